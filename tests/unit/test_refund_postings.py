"""The state refund passed on as postings: from the departments that pay a household's refundable
interventions (finance books the refund on them) to the departments whose part of it it is.

The hand-computed household: a placement of 1.500.000 kr. a year paid by BFH and shared 50/50 by
BFH and JOB (125.000 kr. a month), and support of 240.000 kr. a year paid by JOB and shared 50/50 by
JOB and SKO (20.000 kr. a month). A month's basis is 145.000 kr.: BFH 62.500, JOB 72.500 (62.500 of
it in BFH's placement, 10.000 in its own support), SKO 10.000. At the statutory rates the refund is
25 % × (140.000 − 71.666,67) + 50 % × (145.000 − 140.000) = 19.583,33 kr. (1.958.333 øre).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from finans.allocation import (
    Case,
    CostSchedule,
    Department,
    Intervention,
    Method,
    Per,
    Period,
    RefundRates,
    Scenario,
    SplitVersion,
    Status,
    allocate,
    refunds,
)
from finans.allocation.postings import (
    Chart,
    Entry,
    Key,
    Leg,
    balance_by_day,
    corrections,
    entries,
    legs,
    missing_accounts,
    net_by_department,
    posted_amounts,
    refund_entries,
    refunds_by_month,
)
from finans.allocation.validation import parse_scenario
from tests.reference import reference_share_back
from tests.unit.strategies import PROPERTY_SETTINGS, households, periods, scenarios
from tests.unit.test_postings import with_accounts

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31))
DEPARTMENTS = (Department("BFH", "Børn og Familie", "5.28.21"),
               Department("JOB", "Jobcenter", "5.68.90"),
               Department("SKO", "Skole og PPR", "3.22.08"))
STATUTORY = RefundRates(2026, (86_000_000, 168_000_000, 212_000_000),
                        (Decimal(25), Decimal(50), Decimal(75)))
EXAMPLE = Path(__file__).parents[2] / "examples" / "refusion.json"


def half_and_half(paid_by: str, other: str) -> SplitVersion:
    return SplitVersion(date(2026, 1, 1), Method.FIXED, Status.AGREED,
                        shares=((paid_by, Decimal(50)), (other, Decimal(50))))


def household(placement: int = 150_000_000, case: str = "S-1") -> tuple[Intervention, ...]:
    yearly = Per.YEAR
    return (
        Intervention("I-1", case, "Anbringelse", "Barnets lov § 46", "BFH", "BFH",
                     CostSchedule(placement, yearly, date(2026, 1, 1)),
                     (half_and_half("BFH", "JOB"),), refundable=True),
        Intervention("I-2", case, "Støtte", "Serviceloven § 85", "JOB", "JOB",
                     CostSchedule(24_000_000, yearly, date(2026, 1, 1)),
                     (half_and_half("JOB", "SKO"),), refundable=True),
    )


def scenario(*interventions: Intervention) -> Scenario:
    return Scenario(DEPARTMENTS, (Case("S-1", "Familie A"), Case("S-2", "Familie B")),
                    interventions, (STATUTORY,))


def shared_back(built: Scenario, period: Period) -> list[Entry]:
    return list(refund_entries(refunds(built, allocate(built, period)).refunds,
                               Chart.of(built)))


def test_each_part_is_passed_on_from_the_payers_in_proportion_to_its_basis() -> None:
    built = scenario(*household())
    (january,) = refunds(built, allocate(built, JANUARY)).refunds
    # Parts of 1.958.333 øre by 62.500 / 72.500 / 10.000: 844.109,05 / 979.166,50 / 135.057,45;
    # the øre left goes to JOB's largest remainder.
    assert january.departments == (("BFH", 844_109), ("JOB", 979_167), ("SKO", 135_057))
    # JOB's part by 62.500 (BFH pays) / 10.000 (JOB pays): 844.109,48 / 135.057,52, the øre left
    # to the larger remainder, JOB's own.
    assert january.sources == (
        ("BFH", "BFH", 844_109), ("JOB", "BFH", 844_109), ("JOB", "JOB", 135_058),
        ("SKO", "JOB", 135_057),
    )


def test_a_part_passed_on_is_a_credit_on_its_department_and_a_debit_on_the_payer() -> None:
    built = scenario(*household())
    found = shared_back(built, JANUARY)
    assert [(e.department, e.paid_by, e.amount) for e in found] == [
        ("BFH", "BFH", -844_109), ("JOB", "BFH", -844_109), ("JOB", "JOB", -135_058),
        ("SKO", "JOB", -135_057),
    ]
    day, text = date(2026, 1, 31), "Refusion 2026-01 S-1"
    assert list(legs(found)) == [
        Leg(day, "5.28.21", 844_109, 0, text, "", "S-1", "BFH", "JOB"),
        Leg(day, "5.68.90", 0, 844_109, text, "", "S-1", "JOB", "BFH"),
        Leg(day, "5.68.90", 135_057, 0, text, "", "S-1", "JOB", "SKO"),
        Leg(day, "3.22.08", 0, 135_057, text, "", "S-1", "SKO", "JOB"),
    ]
    # Net (debit − credit) = what the department received as payer less its part of the refund:
    # BFH 1.688.218 − 844.109, JOB 270.115 − 979.167, SKO 0 − 135.057.
    assert net_by_department(legs(found)) == {"BFH": 844_109, "JOB": -709_052, "SKO": -135_057}


def test_the_worked_example_passes_skos_part_on_from_bfh_every_month() -> None:
    built, problems = parse_scenario(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert built is not None and not problems
    grouped = refunds_by_month(refunds(built, allocate(built, YEAR)).refunds, Chart.of(built))
    assert len(grouped) == 12
    for month, found in grouped.items():
        # docs/calculation.md: BFH 8.034,59 kr. and SKO 7.173,74 kr. of 15.208,33 kr. a month;
        # BFH pays both refundable interventions, so all of it comes from BFH.
        assert [(e.department, e.paid_by, e.amount) for e in found] == [
            ("BFH", "BFH", -803_459), ("SKO", "BFH", -717_374)]
        assert [(leg.account, leg.debit, leg.credit, leg.text) for leg in legs(found)] == [
            ("5.28.21", 717_374, 0, f"Refusion {month} S-2026-0101"),
            ("3.22.08", 0, 717_374, f"Refusion {month} S-2026-0101"),
        ]


def test_a_household_without_a_refund_gives_no_share_back() -> None:
    cheap = [replace(iv, case="S-2", id=f"{iv.id}b", cost=replace(iv.cost, amount=100_000_00))
             for iv in household()]
    built = scenario(*household(), *cheap)
    found = shared_back(built, YEAR)
    assert found and {entry.case for entry in found} == {"S-1"}
    assert shared_back(scenario(*cheap), YEAR) == []
    not_refundable = [replace(iv, refundable=False) for iv in household()]
    assert shared_back(scenario(*not_refundable), YEAR) == []


def test_a_changed_cost_of_a_closed_month_corrects_the_share_back_by_the_difference() -> None:
    before, after = scenario(*household()), scenario(*household(placement=180_000_000))
    posted = posted_amounts(shared_back(before, JANUARY))
    found = corrections(shared_back(after, JANUARY), posted, "2026-02", Chart.of(after))
    was = {(e.department, e.paid_by): e.amount for e in shared_back(before, JANUARY)}
    now = {(e.department, e.paid_by): e.amount for e in shared_back(after, JANUARY)}
    assert {(e.department, e.paid_by): e.amount for e in found} == {
        key: now[key] - was.get(key, 0) for key in now if now[key] != was.get(key, 0)}
    assert all(e.amount < 0 for e in found)  # a dearer placement, a larger refund to pass on
    assert {leg.text for leg in legs(found)} == {"Efterregulering refusion 2026-01 S-1"}
    assert {leg.day for leg in legs(found)} == {date(2026, 2, 28)}


def test_two_households_passing_on_between_the_same_departments_are_kept_apart() -> None:
    second = [replace(iv, case="S-2", id=f"{iv.id}b") for iv in household()]
    built = scenario(*household(), *second)
    found = shared_back(built, JANUARY)
    keys = list(posted_amounts(found))
    assert len(keys) == len(found) == 8
    assert {key[2] for key in keys} == {"S-1", "S-2"}


def test_a_payer_without_an_account_string_is_named() -> None:
    built = scenario(*household())
    chart = Chart({"BFH": "5.28.21", "JOB": "", "SKO": "3.22.08"}, {})
    found = refund_entries(refunds(built, allocate(built, JANUARY)).refunds, chart)
    assert [(p.code, p.where) for p in missing_accounts(found)] == [
        ("account_missing", "departments.JOB.account")]


# --- properties on random small scenarios ---------------------------------------------------------

households_and_scenarios = st.one_of(households(), scenarios())
"""Often one household whose cost several departments pay, otherwise any small scenario."""


def passed_on(built: Scenario, period: Period) -> Iterator[tuple[str, str, str, str, int]]:
    for refund in refunds(built, allocate(built, period)).refunds:
        for department, payer, amount in refund.sources:
            yield refund.case, refund.month, department, payer, amount


@PROPERTY_SETTINGS
@given(households_and_scenarios, periods())
def test_the_refund_passed_on_sums_to_each_part_and_equals_the_naive_reference(
    built: Scenario, period: Period
) -> None:
    found = refunds(built, allocate(built, period)).refunds
    expected = reference_share_back(built, period)
    assert {(r.case, r.month): {(d, p): a for d, p, a in r.sources} for r in found} == expected
    for refund in found:
        assert all(amount > 0 for *_, amount in refund.sources)
        parts: dict[str, int] = {}
        for department, _, amount in refund.sources:
            parts[department] = parts.get(department, 0) + amount
        assert tuple(sorted(parts.items())) == refund.departments


@PROPERTY_SETTINGS
@given(households_and_scenarios, periods())
def test_the_share_back_legs_balance_and_net_to_what_each_received_as_payer_less_its_part(
    built: Scenario, period: Period
) -> None:
    built = with_accounts(built)
    found = list(legs(shared_back(built, period)))
    assert all(debit == credit for debit, credit in balance_by_day(found).values())
    assert all(leg.intervention == "" and leg.text.startswith("Refusion ") for leg in found)
    part: dict[str, int] = {}  # r: the department's part of the refunds
    received: dict[str, int] = {}  # R: the refunds booked on it as payer
    kept: dict[str, int] = {}  # its part of the refunds it received as payer
    for _, _, department, payer, amount in passed_on(built, period):
        part[department] = part.get(department, 0) + amount
        received[payer] = received.get(payer, 0) + amount
        if department == payer:
            kept[department] = kept.get(department, 0) + amount
    nets = net_by_department(found)
    credits: dict[str, int] = {}
    for leg in found:
        credits[leg.department] = credits.get(leg.department, 0) + leg.credit
    for code in {*part, *received}:
        assert nets.get(code, 0) == received.get(code, 0) - part.get(code, 0)
        assert credits.get(code, 0) == part.get(code, 0) - kept.get(code, 0)


def everything(built: Scenario, period: Period) -> Iterator[Entry]:
    """What whole months post: the allocation's entries, then the refunds passed on."""
    chart = Chart.of(built)
    allocation = allocate(built, period)
    yield from entries(allocation.lines, chart)
    yield from refund_entries(refunds(built, allocation).refunds, chart)


@PROPERTY_SETTINGS
@given(households_and_scenarios, households_and_scenarios, periods())
def test_posted_plus_corrections_is_what_the_months_give_now_refunds_included(
    before: Scenario, after: Scenario, period: Period
) -> None:
    before, after = with_accounts(before), with_accounts(after)
    posted = list(everything(before, period))
    found = corrections(everything(after, period), posted_amounts(posted), "2030-01",
                        Chart.of(after))
    assert all(entry.posted_in == "2030-01" and entry.amount for entry in found)

    def amounts(found: Iterable[Entry]) -> dict[Key, int]:
        return {key: amount for key, (_, amount) in posted_amounts(found).items() if amount}

    assert amounts([*posted, *found]) == amounts(everything(after, period))
    assert all(debit == credit for debit, credit in balance_by_day(legs(found)).values())
    # Month by month, the allocation's corrections come before the refunds'.
    assert [(e.month, e.is_refund) for e in found] == sorted((e.month, e.is_refund) for e in found)
    assert all(leg.text.startswith("Efterregulering refusion ") == (not leg.intervention)
               for leg in legs(found))
