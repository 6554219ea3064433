"""Properties of the engine on random small valid scenarios, against the naive reference."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import TypeVar

from hypothesis import given
from hypothesis import strategies as st

from benchmarks.synthetic import generate
from finans.allocation import (
    CostSchedule,
    Department,
    Intervention,
    Per,
    Period,
    Scenario,
    SplitVersion,
    allocate,
    settle,
)
from finans.allocation.engine import largest_remainder
from finans.allocation.settlement import net_positions
from finans.allocation.validation import parse_scenario
from tests.reference import largest_remainder as reference_largest_remainder
from tests.reference import month_totals, reference_allocate, round_half_up, running_cost
from tests.unit.strategies import CODES, PROPERTY_SETTINGS, month_end, periods, scenarios

T = TypeVar("T")


def net_flows(transfers: list[tuple[str, str, int]]) -> dict[str, int]:
    flows: dict[str, int] = {}
    for sender, receiver, amount in transfers:
        flows[receiver] = flows.get(receiver, 0) + amount
        flows[sender] = flows.get(sender, 0) - amount
    return {code: amount for code, amount in sorted(flows.items()) if amount}


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_engine_lines_equal_the_naive_reference_exactly(scenario: Scenario, period: Period) -> None:
    allocation = allocate(scenario, period)
    lines, unsplit = reference_allocate(scenario, period)
    assert list(allocation.lines) == lines
    assert {u.intervention: u.days for u in allocation.unsplit} == unsplit


@PROPERTY_SETTINGS
@given(
    st.integers(0, 24),
    st.dictionaries(st.sampled_from(CODES), st.sampled_from([1, 2, 3, 6]), min_size=2, max_size=5),
)
def test_largest_remainder_breaks_ties_like_the_reference(
    total: int, weights: dict[str, int]
) -> None:
    # Small totals over small weights tie often, on remainder and on weight.
    ordered = tuple(sorted(weights.items()))
    expected = reference_largest_remainder(total, {c: Fraction(w) for c, w in ordered})
    assert largest_remainder(total, ordered) == [(c, a) for c, a in expected.items() if a]


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_department_amounts_of_a_month_sum_exactly_to_the_month_total(
    scenario: Scenario, period: Period
) -> None:
    sums: dict[tuple[str, str], int] = {}
    for line in allocate(scenario, period).lines:
        key = (line.intervention, line.month)
        sums[key] = sums.get(key, 0) + line.amount
    expected = {
        (intervention.id, month): total
        for intervention in scenario.interventions
        for month, total in month_totals(intervention, period).items()
        if total
    }
    assert sums == expected


def month_sums(scenario: Scenario, period: Period) -> dict[tuple[str, str], int]:
    """Each (intervention, month) total of the engine's lines."""
    sums: dict[tuple[str, str], int] = {}
    for line in allocate(scenario, period).lines:
        key = (line.intervention, line.month)
        sums[key] = sums.get(key, 0) + line.amount
    return sums


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_any_run_of_consecutive_months_totals_the_rounded_running_cost_at_its_ends(
    scenario: Scenario, period: Period
) -> None:
    # The period's months of an intervention are one run of consecutive months: their totals add
    # up to R(last counted day) − R(day before the first), each R rounded once.
    allocation = allocate(scenario, period)
    for intervention in scenario.interventions:
        cost = intervention.cost
        first = max(cost.start, period.start)
        last = period.end if cost.end is None or cost.per is Per.ONCE else min(cost.end, period.end)
        if cost.per is Per.ONCE and not period.start <= cost.start <= period.end:
            continue
        if first > last:
            continue
        lines = [line for line in allocation.lines if line.intervention == intervention.id]
        exact = running_cost(cost, last) - running_cost(cost, first - timedelta(1))
        total = sum(line.amount for line in lines)
        assert total == round_half_up(running_cost(cost, last)) - round_half_up(
            running_cost(cost, first - timedelta(1))
        )
        assert abs(total - exact) < 1


@PROPERTY_SETTINGS
@given(scenarios(), periods(), periods())
def test_a_months_total_is_the_same_whatever_period_is_asked(
    scenario: Scenario, one: Period, other: Period
) -> None:
    # A month wholly inside both periods has the same total in both.
    def whole_months(period: Period) -> set[str]:
        months = set()
        day = period.start.replace(day=1)
        while day <= period.end:
            if period.start <= day and month_end(day) <= period.end:
                months.add(f"{day.year:04d}-{day.month:02d}")
            day = month_end(day) + timedelta(1)
        return months

    shared = whole_months(one) & whole_months(other)
    first, second = month_sums(scenario, one), month_sums(scenario, other)
    assert {k: v for k, v in first.items() if k[1] in shared} == {
        k: v for k, v in second.items() if k[1] in shared
    }


@PROPERTY_SETTINGS
@given(st.integers(1, 10**9), st.integers(2000, 2100), st.sampled_from([Per.YEAR, Per.MONTH]))
def test_a_year_of_a_yearly_or_monthly_schedule_from_1_january_totals_its_amount_exactly(
    amount: int, year: int, per: Per
) -> None:
    iv = Intervention(
        "I-1", "S-1", "Indsats", "BL § 32", "A", "A",
        CostSchedule(amount, per, date(year, 1, 1)),
        (),
    )
    scenario = Scenario((Department("A", "Afdeling A"),), (), (iv,))
    total = allocate(scenario, Period(date(year, 1, 1), date(year, 12, 31))).total
    assert total == (amount if per is Per.YEAR else 12 * amount)
    # The 425.000,00 kr. schedule of the contract, in a later year too.
    yearly = replace(iv, cost=CostSchedule(42_500_000, Per.YEAR, date(year, 1, 1)))
    later = Period(date(year + 1, 1, 1), date(year + 1, 12, 31))
    assert allocate(replace(scenario, interventions=(yearly,)), later).total == 42_500_000


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_period_totals_equal_the_sum_of_their_lines(scenario: Scenario, period: Period) -> None:
    allocation = allocate(scenario, period)
    totals: dict[str, int] = {}
    paid: dict[str, int] = {}
    owed: dict[tuple[str, str], int] = {}
    for line in allocation.lines:
        assert line.amount > 0
        totals[line.department] = totals.get(line.department, 0) + line.amount
        paid[line.paid_by] = paid.get(line.paid_by, 0) + line.amount
        if line.department != line.paid_by:
            key = (line.department, line.paid_by)
            owed[key] = owed.get(key, 0) + line.amount
    assert allocation.totals == totals
    assert allocation.paid == paid
    assert allocation.owed == dict(sorted(owed.items()))
    assert allocation.total == sum(line.amount for line in allocation.lines)


@PROPERTY_SETTINGS
@given(scenarios(), periods(), st.data())
def test_two_adjacent_periods_allocate_like_their_union(
    scenario: Scenario, period: Period, data: st.DataObject
) -> None:
    boundaries = []
    day = month_end(period.start)
    while day < period.end:
        boundaries.append(day)
        day = month_end(day + timedelta(1))
    if not boundaries:
        boundaries = [period.start - timedelta(1)]
    cut = data.draw(st.sampled_from(boundaries))
    first = allocate(scenario, Period(period.start, cut)) if cut >= period.start else None
    second = allocate(scenario, Period(cut + timedelta(1), period.end))
    union = allocate(scenario, period)
    parts = [part for part in (first, second) if part is not None]
    assert union.lines == tuple(sorted(line for part in parts for line in part.lines))
    unsplit: dict[str, int] = {}
    for part in parts:
        for entry in part.unsplit:
            unsplit[entry.intervention] = unsplit.get(entry.intervention, 0) + entry.days
    assert {entry.intervention: entry.days for entry in union.unsplit} == unsplit


def shuffled(scenario: Scenario, rng: random.Random) -> Scenario:
    def mix(items: tuple[T, ...]) -> tuple[T, ...]:
        copy = list(items)
        rng.shuffle(copy)
        return tuple(copy)

    def mix_split(split: SplitVersion) -> SplitVersion:
        return replace(
            split,
            shares=mix(split.shares),
            departments=mix(split.departments),
            responsibility=mix(split.responsibility),
            benefit=mix(split.benefit),
            savings=mix(split.savings),
        )

    return Scenario(
        mix(scenario.departments),
        scenario.cases,
        mix(
            tuple(
                replace(iv, splits=mix(tuple(mix_split(s) for s in iv.splits)))
                for iv in scenario.interventions
            )
        ),
    )


@PROPERTY_SETTINGS
@given(scenarios(), periods(), st.randoms(use_true_random=False))
def test_the_order_of_interventions_departments_splits_and_weights_changes_nothing(
    scenario: Scenario, period: Period, rng: random.Random
) -> None:
    original = allocate(scenario, period)
    mixed = allocate(shuffled(scenario, rng), period)
    assert mixed == original
    assert settle(mixed, "minimal") == settle(original, "minimal")
    assert settle(mixed) == settle(original)


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_settlement_moves_exactly_paid_minus_allocated_in_both_modes(
    scenario: Scenario, period: Period
) -> None:
    allocation = allocate(scenario, period)
    positions = {code: amount for code, amount in net_positions(allocation).items() if amount}
    expected = {
        code: allocation.paid.get(code, 0) - allocation.totals.get(code, 0)
        for code in allocation.paid.keys() | allocation.totals.keys()
    }
    assert positions == {code: amount for code, amount in sorted(expected.items()) if amount}
    pairwise = settle(allocation)
    minimal = settle(allocation, "minimal")
    assert net_flows(pairwise) == positions
    assert net_flows(minimal) == positions
    assert len(minimal) <= len(pairwise)
    for transfers in (pairwise, minimal):
        assert all(t.amount > 0 and t.from_ != t.to for t in transfers)
        assert transfers == sorted(transfers)


def test_a_small_synthetic_municipality_allocates_like_the_reference() -> None:
    # Realistic shapes through the whole input path: scenario JSON → validation → engine.
    scenario, problems = parse_scenario(generate(seed=7, cases=12, interventions=30, months=14))
    assert problems == []
    assert scenario is not None
    period = Period(date(2024, 1, 1), date(2025, 2, 28))
    allocation = allocate(scenario, period)
    lines, unsplit = reference_allocate(scenario, period)
    assert len(lines) > 100
    assert list(allocation.lines) == lines
    assert {u.intervention: u.days for u in allocation.unsplit} == unsplit
