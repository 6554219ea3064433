"""Hypothesis strategies for small valid scenarios, shared by the engine's property tests.

Schedules and split versions are drawn around month and year edges (leap February included) over
a window of a little more than a year, with two cases so households can combine costs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from finans.allocation import (
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
)

PROPERTY_SETTINGS = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

CODES = ("A", "BFH", "JOB", "PPR", "SKO", "VOK", "Z")
EARLIEST = date(2027, 11, 1)
LATEST = date(2029, 3, 31)
EDGE_DAYS = tuple(
    date(year, month, day)
    for year, month, day in [
        (2027, 12, 31), (2028, 1, 1), (2028, 1, 31), (2028, 2, 1), (2028, 2, 28), (2028, 2, 29),
        (2028, 3, 1), (2028, 3, 31), (2028, 4, 30), (2028, 12, 31), (2029, 1, 1), (2029, 2, 28),
        (2029, 3, 1),
    ]
)

days = st.one_of(st.dates(EARLIEST, LATEST), st.sampled_from(EDGE_DAYS))
amounts = st.one_of(
    st.integers(0, 50_000_000),
    st.sampled_from([0, 1, 2, 3, 6, 7, 10, 99, 100, 10_000, 1_200_000]),
)
points = st.one_of(
    st.integers(0, 5).map(Decimal),
    st.decimals(0, 100_000, places=2, allow_nan=False, allow_infinity=False),
)
alphas = st.one_of(
    st.sampled_from([Decimal(0), Decimal(1), Decimal("0.5")]),
    st.decimals(0, 1, places=3, allow_nan=False, allow_infinity=False),
)


@st.composite
def weight_table(
    draw: st.DrawFn, codes: list[str], positive: bool
) -> tuple[tuple[str, Decimal], ...]:
    """Points per department, with at least one above zero when ``positive``."""
    chosen = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
    table = [(code, draw(points)) for code in sorted(chosen)]
    if positive and not any(value for _, value in table):
        table[0] = (table[0][0], Decimal(1))
    return tuple(table)


@st.composite
def percent_table(draw: st.DrawFn, codes: list[str]) -> tuple[tuple[str, Decimal], ...]:
    """Percents with up to four decimals summing to exactly 100, zeros allowed."""
    chosen = sorted(draw(st.lists(st.sampled_from(codes), min_size=1, unique=True)))
    cut = st.one_of(st.integers(0, 1_000_000), st.sampled_from(range(0, 1_000_001, 125_000)))
    cuts = sorted(draw(st.lists(cut, min_size=len(chosen) - 1, max_size=len(chosen) - 1)))
    bounds = [0, *cuts, 1_000_000]
    return tuple(
        (code, Decimal(high - low).scaleb(-4))
        for code, low, high in zip(chosen, bounds, bounds[1:], strict=False)
    )


@st.composite
def split_versions(draw: st.DrawFn, codes: list[str]) -> SplitVersion:
    method = draw(st.sampled_from(Method))
    status = draw(st.sampled_from([Status.AGREED, Status.AGREED, *Status]))
    effective_from = draw(days)
    if method is Method.FIXED:
        return SplitVersion(effective_from, method, status, shares=draw(percent_table(codes)))
    if method is Method.EQUAL:
        departments = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
        return SplitVersion(effective_from, method, status, departments=tuple(departments))
    if method is Method.SAVINGS:
        return SplitVersion(
            effective_from, method, status, savings=draw(weight_table(codes, positive=True))
        )
    alpha = draw(alphas)
    return SplitVersion(
        effective_from,
        method,
        status,
        alpha=alpha,
        responsibility=draw(weight_table(codes, positive=alpha > 0)),
        benefit=draw(weight_table(codes, positive=alpha < 1)),
    )


def without_agreed_twins(splits: list[SplitVersion]) -> tuple[SplitVersion, ...]:
    """Two agreed versions may not share a date: later twins become proposals."""
    seen: set[date] = set()
    kept = []
    for split in splits:
        if split.status is Status.AGREED and split.effective_from in seen:
            split = replace(split, status=Status.PROPOSED)
        if split.status is Status.AGREED:
            seen.add(split.effective_from)
        kept.append(split)
    return tuple(kept)


@st.composite
def interventions(draw: st.DrawFn, ident: str, codes: list[str]) -> Intervention:
    per = draw(st.sampled_from(Per))
    start = draw(days)
    end = draw(st.one_of(st.none(), st.integers(0, 400).map(lambda n: start + timedelta(n))))
    splits = draw(st.lists(split_versions(codes), min_size=0, max_size=4))
    return Intervention(
        ident,
        draw(st.sampled_from(["S-1", "S-2"])),
        "Indsats",
        "BL § 32",
        draw(st.sampled_from(codes)),
        draw(st.sampled_from(codes)),
        CostSchedule(draw(amounts), per, start, end),
        without_agreed_twins(splits),
        refundable=draw(st.booleans()),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=5, unique=True))
    count = draw(st.integers(1, 3))
    years = draw(
        st.one_of(
            st.just([2027, 2028, 2029]),
            st.lists(st.sampled_from([2027, 2028, 2029]), unique=True),
        )
    )
    return Scenario(
        tuple(Department(code, f"Afdeling {code}") for code in codes),
        (),
        tuple(draw(interventions(f"I-{n}", codes)) for n in range(1, count + 1)),
        tuple(draw(refund_rates(year)) for year in sorted(years)),
    )


@st.composite
def households(draw: st.DrawFn) -> Scenario:
    """A scenario of one household whose two to four interventions all count towards the refund,
    each paid by any department: refunds gathering cost that several departments pay."""
    drawn = draw(scenarios())
    codes = [department.code for department in drawn.departments]
    count = draw(st.integers(2, 4))
    return replace(drawn, interventions=tuple(
        replace(draw(interventions(f"I-{n}", codes)), case="S-1", refundable=True)
        for n in range(1, count + 1)
    ))


percents = st.one_of(
    st.sampled_from([Decimal(0), Decimal(25), Decimal(50), Decimal(75), Decimal(100)]),
    st.decimals(0, 100, places=4, allow_nan=False, allow_infinity=False),
)


@st.composite
def refund_rates(draw: st.DrawFn, year: int) -> RefundRates:
    """One to four tiers with thresholds (øre per year) that monthly costs reach, often 0 first."""
    bounds = draw(st.lists(st.integers(0, 120_000_000), min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        bounds[0] = 0
    thresholds = tuple(sorted(set(bounds)))
    return RefundRates(
        year, thresholds, tuple(draw(percents) for _ in thresholds)
    )


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Often the whole window every schedule is drawn from, otherwise any stretch of it."""
    if draw(st.booleans()):
        return Period(EARLIEST, LATEST)
    start = draw(days)
    return Period(start, start + timedelta(draw(st.integers(0, 500))))


def month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(1)
