"""Hand-computed allocations: every expected amount is worked out in the comment above it."""

from __future__ import annotations

import gc
import json
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from finans.allocation import (
    Case,
    CostSchedule,
    Department,
    Intervention,
    Method,
    Per,
    Period,
    Scenario,
    SplitVersion,
    Status,
    Transfer,
    Unsplit,
    allocate,
    settle,
)
from finans.allocation.engine import Allocation, Line, largest_remainder
from finans.allocation.problems import Problem
from finans.allocation.result import calc_document, calc_result, error_document, error_result

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
DEPARTMENTS = (
    Department("BFH", "Børn og Familie – børnehandicap", "5.28.21"),
    Department("JOB", "Jobcenter", "5.68.90"),
    Department("SKO", "Skole og PPR", "3.22.05"),
)
CASE = Case("S-2026-0001", "Familie A", "rådgiver1", consent=True, assessed_on=date(2026, 1, 10))


def fixed(effective_from: date, status: Status = Status.AGREED, **percents: str) -> SplitVersion:
    return SplitVersion(
        effective_from,
        Method.FIXED,
        status,
        shares=tuple((code, Decimal(p)) for code, p in sorted(percents.items())),
    )


def intervention(
    cost: CostSchedule,
    *splits: SplitVersion,
    ident: str = "I-1",
    paid_by: str = "BFH",
) -> Intervention:
    return Intervention(
        ident, CASE.ref, "Aflastning", "Barnets lov § 32", paid_by, paid_by, cost, splits
    )


def run(*interventions: Intervention, period: Period = YEAR_2026) -> Allocation:
    return allocate(Scenario(DEPARTMENTS, (CASE,), interventions), period)


def by_month(allocation: Allocation) -> dict[tuple[str, str], int]:
    return {(line.month, line.department): line.amount for line in allocation.lines}


def design_example() -> Intervention:
    return intervention(
        CostSchedule(1_200_000, Per.MONTH, date(2026, 1, 15), date(2026, 12, 31)),
        fixed(date(2026, 1, 15), BFH="60", JOB="40"),
        SplitVersion(
            date(2026, 7, 1),
            Method.WEIGHTED,
            Status.AGREED,
            alpha=Decimal("0.5"),
            responsibility=(("BFH", Decimal(2)), ("JOB", Decimal(1))),
            benefit=(("BFH", Decimal(1)), ("JOB", Decimal(1))),
        ),
    )


def test_design_example_allocates_each_month_as_the_design_states() -> None:
    allocation = run(design_example())
    months = by_month(allocation)
    # January: 12000.00 × 17/31 = 6580.645… → 6580.65; 60 % = 3948.39 exactly, 40 % = 2632.26.
    assert months[("2026-01", "BFH")] == 394_839
    assert months[("2026-01", "JOB")] == 263_226
    # February–June: full months of 12000.00 at 60/40.
    for month in ("2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
        assert (months[(month, "BFH")], months[(month, "JOB")]) == (720_000, 480_000)
    # July–December: weighted ½·⅔ + ½·½ = 7/12 for BFH → 7000.00, JOB 5/12 → 5000.00.
    for month in ("2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"):
        assert (months[(month, "BFH")], months[(month, "JOB")]) == (700_000, 500_000)
    assert len(allocation.lines) == 24


def test_design_example_totals_and_settlement_match_the_design() -> None:
    allocation = run(design_example())
    # BFH 3948.39 + 5 × 7200 + 6 × 7000 = 81948.39; JOB 2632.26 + 5 × 4800 + 6 × 5000 = 56632.26.
    assert allocation.totals == {"BFH": 8_194_839, "JOB": 5_663_226}
    assert allocation.total == 13_858_065
    # BFH pays every month total; JOB owes it everything allocated to JOB.
    assert allocation.paid == {"BFH": 13_858_065}
    assert settle(allocation) == [Transfer("JOB", "BFH", 5_663_226)]
    assert allocation.unsplit == ()


def test_design_example_gives_the_documented_json() -> None:
    result = calc_result(Scenario(DEPARTMENTS, (CASE,), (design_example(),)), YEAR_2026)
    assert result["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert result["lines"][0] == {
        "intervention": "I-1",
        "case": "S-2026-0001",
        "month": "2026-01",
        "department": "BFH",
        "amount": "3948.39",
    }
    assert result["totals"] == {"BFH": "81948.39", "JOB": "56632.26"}
    assert result["total"] == "138580.65"
    assert result["settlement"] == [{"from": "JOB", "to": "BFH", "amount": "56632.26"}]
    assert result["unsplit"] == []
    # BFH and JOB both hold shares and the family consented.
    assert result["eligibility"] == {"S-2026-0001": {"eligible": True, "unmet": []}}
    assert result["errors"] == []


def test_a_whole_leap_february_costs_one_month_and_a_part_is_prorated_over_29_days() -> None:
    whole = intervention(CostSchedule(290_000, Per.MONTH, date(2028, 2, 1), date(2028, 2, 29)))
    part = intervention(CostSchedule(290_000, Per.MONTH, date(2028, 2, 15), date(2028, 2, 29)))
    common = intervention(CostSchedule(290_000, Per.MONTH, date(2027, 2, 15), date(2027, 2, 28)))
    leap = Period(date(2028, 1, 1), date(2028, 12, 31))
    # 29 of 29 days → the whole 2900.00.
    assert by_month(run(whole, period=leap)) == {("2028-02", "BFH"): 290_000}
    # 15..29 February is 15 days of 29: 2900.00 × 15/29 = 1500.00.
    assert by_month(run(part, period=leap)) == {("2028-02", "BFH"): 150_000}
    # In 2027, 15..28 February is 14 days of 28: 2900.00 × 14/28 = 1450.00.
    common_year = Period(date(2027, 1, 1), date(2027, 12, 31))
    assert by_month(run(common, period=common_year)) == {("2027-02", "BFH"): 145_000}


def test_a_yearly_amount_in_leap_february_is_a_twelfth_over_29_days() -> None:
    leap = Period(date(2028, 1, 1), date(2028, 12, 31))
    # 34800.00 a year → 2900.00 for February → 100.00 a day over 29 days.
    from_20th = intervention(
        CostSchedule(3_480_000, Per.YEAR, date(2028, 2, 20), date(2028, 2, 29))
    )
    # 20..29 February is 10 days → 1000.00.
    assert by_month(run(from_20th, period=leap)) == {("2028-02", "BFH"): 100_000}
    # The leap day alone costs one day → 100.00.
    leap_day = intervention(CostSchedule(3_480_000, Per.YEAR, date(2028, 2, 29), date(2028, 2, 29)))
    assert by_month(run(leap_day, period=leap)) == {("2028-02", "BFH"): 10_000}


def test_a_version_change_mid_month_weighs_each_version_by_its_days() -> None:
    cost = CostSchedule(300_000, Per.MONTH, date(2026, 4, 1), date(2026, 4, 30))
    iv = intervention(
        cost,
        fixed(date(2026, 1, 1), BFH="50", JOB="50"),
        fixed(date(2026, 4, 21), BFH="100"),
    )
    # April: 100.00 a day. 1..20 April at 50/50 → BFH 10 day-shares, JOB 10; 21..30 April all BFH
    # → BFH 10 more. BFH 20/30 of 3000.00 = 2000.00, JOB 10/30 = 1000.00.
    assert by_month(run(iv)) == {("2026-04", "BFH"): 200_000, ("2026-04", "JOB"): 100_000}


def test_a_version_change_mid_month_rounds_once_per_month_with_largest_remainder() -> None:
    cost = CostSchedule(100_000, Per.MONTH, date(2026, 1, 1), date(2026, 1, 31))
    iv = intervention(cost, fixed(date(2026, 1, 1), BFH="100"), fixed(date(2026, 1, 11), JOB="100"))
    # January total 1000.00. BFH 10/31 → 32258.06… øre, JOB 21/31 → 67741.93… øre. Floors sum to
    # 99999; the left øre goes to the larger remainder (.93 > .06): JOB 677.42, BFH 322.58.
    assert by_month(run(iv)) == {("2026-01", "BFH"): 32_258, ("2026-01", "JOB"): 67_742}


def test_a_weekly_amount_costs_a_seventh_per_day() -> None:
    # 700.00 a week = 100.00 a day; 10..20 March is 11 days → 1100.00.
    march = intervention(CostSchedule(70_000, Per.WEEK, date(2026, 3, 10), date(2026, 3, 20)))
    assert by_month(run(march)) == {("2026-03", "BFH"): 110_000}
    # 100.00 a week over January (31 days) = 3100/7 kr = 442.857… → 442.86; February (28 days)
    # = exactly 4 weeks = 400.00.
    winter = intervention(CostSchedule(10_000, Per.WEEK, date(2026, 1, 1), date(2026, 2, 28)))
    assert by_month(run(winter)) == {("2026-01", "BFH"): 44_286, ("2026-02", "BFH"): 40_000}


def test_a_yearly_amount_costs_a_twelfth_of_it_per_month_spread_over_its_days() -> None:
    # 1000.00 a year costs 83.333… a month. The running cost after m whole months is 1000.00 × m/12,
    # rounded half-up: 83.33, 166.67, 250.00, 333.33, …; each month is the difference of two of
    # those, so the months go 83.33, 83.34, 83.33 and the year adds up to exactly 1000.00.
    year = intervention(CostSchedule(100_000, Per.YEAR, date(2026, 1, 1), date(2026, 12, 31)))
    allocation = run(year)
    running = [math.floor(Fraction(100_000 * m, 12) + Fraction(1, 2)) for m in range(13)]
    assert [line.amount for line in allocation.lines] == [
        running[m] - running[m - 1] for m in range(1, 13)
    ]
    assert [line.amount for line in allocation.lines][:3] == [8_333, 8_334, 8_333]
    assert allocation.total == 100_000
    # 1..15 January: 100000 øre × 15 / (12 × 31) = 4032.25… øre → 40.32.
    half = intervention(CostSchedule(100_000, Per.YEAR, date(2026, 1, 1), date(2026, 1, 15)))
    assert by_month(run(half)) == {("2026-01", "BFH"): 4_032}


def test_a_year_of_425000_kr_a_year_from_1_january_costs_exactly_425000_kr() -> None:
    # 425.000,00 a year is 35.416,666… a month; rounding each month alone gave 35.416,67 × 12 =
    # 425.000,04. The running cost after December is exactly 425.000,00, and so is the year.
    iv = intervention(CostSchedule(42_500_000, Per.YEAR, date(2026, 1, 1)))
    assert run(iv).total == 42_500_000
    assert run(iv, period=Period(date(2027, 1, 1), date(2027, 12, 31))).total == 42_500_000


def test_a_month_costs_the_same_whatever_period_is_asked() -> None:
    # 1000.00 a year from 1 January: February's running cost goes from 83.33 to 166.67, so
    # February is 83.34 whether the period is the year, February alone or January–February.
    iv = intervention(CostSchedule(100_000, Per.YEAR, date(2026, 1, 1)))
    for period in (
        YEAR_2026,
        Period(date(2026, 2, 1), date(2026, 2, 28)),
        Period(date(2026, 1, 1), date(2026, 2, 28)),
    ):
        assert by_month(run(iv, period=period))[("2026-02", "BFH")] == 8_334


def test_a_one_off_inside_the_period_falls_whole_on_its_start_and_ignores_its_end() -> None:
    once = intervention(
        CostSchedule(500_000, Per.ONCE, date(2026, 3, 15), date(2026, 12, 31)),
        fixed(date(2026, 1, 1), BFH="60", JOB="40"),
    )
    # 5000.00 on 15 March, split 60/40 → 3000.00 / 2000.00; nothing spreads over later months.
    assert by_month(run(once)) == {("2026-03", "BFH"): 300_000, ("2026-03", "JOB"): 200_000}


def test_a_one_off_counts_on_the_first_and_last_day_of_the_period_but_not_outside() -> None:
    def one_off(day: date) -> Intervention:
        return intervention(CostSchedule(12_345, Per.ONCE, day))

    assert run(one_off(date(2026, 1, 1))).total == 12_345
    assert run(one_off(date(2026, 12, 31))).total == 12_345
    outside = run(one_off(date(2025, 12, 31)), one_off(date(2027, 1, 1)))
    # Nothing is counted, so there are no lines and no unsplit days either.
    assert outside.lines == ()
    assert outside.unsplit == ()
    assert outside.total == 0


def test_an_open_ended_schedule_runs_to_the_end_of_the_period() -> None:
    open_ended = intervention(CostSchedule(100_000, Per.MONTH, date(2026, 11, 1)))
    allocation = run(open_ended, period=Period(date(2026, 1, 1), date(2027, 3, 31)))
    # November 2026 .. March 2027 = 5 whole months of 1000.00.
    assert [line.month for line in allocation.lines] == [
        "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"
    ]
    assert allocation.total == 500_000


def test_a_schedule_is_cut_to_the_period_inside_a_month() -> None:
    iv = intervention(CostSchedule(310_000, Per.MONTH, date(2026, 1, 1), date(2026, 12, 31)))
    # 3100.00 in March = 100.00 a day; the period holds 20..31 March = 12 days → 1200.00.
    allocation = run(iv, period=Period(date(2026, 3, 20), date(2026, 4, 5)))
    # 3100.00 in April (30 days) over 1..5 April = 3100 × 5/30 = 516.666… → 516.67.
    assert by_month(allocation) == {("2026-03", "BFH"): 120_000, ("2026-04", "BFH"): 51_667}


def test_three_equal_shares_of_100_give_the_extra_ore_to_the_first_code() -> None:
    equal = SplitVersion(
        date(2026, 1, 1), Method.EQUAL, Status.AGREED, departments=("SKO", "BFH", "JOB")
    )
    once = intervention(CostSchedule(10_000, Per.ONCE, date(2026, 5, 1)), equal)
    # 10000 øre / 3 = 3333⅓ each; one øre is left and the remainders tie, so it goes to the first
    # code in order, BFH, whatever order the departments were listed in.
    assert by_month(run(once)) == {
        ("2026-05", "BFH"): 3_334,
        ("2026-05", "JOB"): 3_333,
        ("2026-05", "SKO"): 3_333,
    }


def test_a_remainder_tie_goes_to_the_larger_exact_weight_before_the_code() -> None:
    once = intervention(
        CostSchedule(10, Per.ONCE, date(2026, 5, 1)), fixed(date(2026, 1, 1), BFH="25", JOB="75")
    )
    # 10 øre at 25/75 → 2.5 and 7.5: floors 2 + 7, one øre left, remainders tie at .5; JOB has the
    # larger weight, so JOB gets it (the code order alone would have picked BFH).
    assert by_month(run(once)) == {("2026-05", "BFH"): 2, ("2026-05", "JOB"): 8}


def test_largest_remainder_ranks_exact_integer_remainders() -> None:
    # 7 øre over weights 1:1:1:4 → 1, 1, 1, 4 exactly; nothing is left over.
    assert largest_remainder(7, (("A", 1), ("B", 1), ("C", 1), ("D", 4))) == [
        ("A", 1), ("B", 1), ("C", 1), ("D", 4)
    ]
    # 5 øre over 1:1:1:1 → 1.25 each; one øre left, remainders and weights tie → A.
    assert largest_remainder(5, (("A", 1), ("B", 1), ("C", 1), ("D", 1))) == [
        ("A", 2), ("B", 1), ("C", 1), ("D", 1)
    ]
    # 2 øre over 1:2:3 → 1/3, 2/3, 1: floors 0, 0, 1; one left, to B (2/3 beats 1/3); A gets
    # nothing and is left out.
    assert largest_remainder(2, (("A", 1), ("B", 2), ("C", 3))) == [("B", 1), ("C", 1)]


def test_days_before_the_first_agreed_version_are_unsplit_and_paid_by_paid_by() -> None:
    iv = intervention(
        CostSchedule(310_000, Per.MONTH, date(2026, 3, 1), date(2026, 3, 31)),
        fixed(date(2026, 3, 11), BFH="50", JOB="50"),
        paid_by="SKO",
    )
    allocation = run(iv)
    # March: 100.00 a day. 1..10 March (10 days) have no agreed split → SKO 1000.00; 11..31 March
    # (21 days) at 50/50 → BFH and JOB 1050.00 each.
    assert by_month(allocation) == {
        ("2026-03", "BFH"): 105_000,
        ("2026-03", "JOB"): 105_000,
        ("2026-03", "SKO"): 100_000,
    }
    assert allocation.unsplit == (Unsplit("I-1", CASE.ref, "SKO", 10),)
    assert all(line.paid_by == "SKO" for line in allocation.lines)


def test_unsplit_days_count_only_days_inside_the_period() -> None:
    iv = intervention(CostSchedule(100_000, Per.MONTH, date(2025, 12, 1), date(2026, 2, 28)))
    # No split at all; the period 2026 holds January (31) and February (28) = 59 counted days.
    assert run(iv).unsplit == (Unsplit("I-1", CASE.ref, "BFH", 59),)
    # A fully agreed intervention has no unsplit entry.
    covered = intervention(iv.cost, fixed(date(2025, 1, 1), JOB="100"), ident="I-2")
    assert run(covered).unsplit == ()


def test_draft_proposed_and_rejected_versions_finance_nothing() -> None:
    iv = intervention(
        CostSchedule(100_000, Per.MONTH, date(2026, 1, 1), date(2026, 4, 30)),
        fixed(date(2026, 1, 1), BFH="100"),
        fixed(date(2026, 2, 1), Status.DRAFT, JOB="100"),
        fixed(date(2026, 3, 1), Status.PROPOSED, JOB="100"),
        fixed(date(2026, 4, 1), Status.REJECTED, JOB="100"),
    )
    # Only the agreed version counts: all four months go 100 % to BFH.
    assert {line.department for line in run(iv).lines} == {"BFH"}
    assert run(iv).total == 400_000
    # With only a proposal, every day is unsplit and falls on paid_by.
    proposed_only = intervention(iv.cost, fixed(date(2026, 1, 1), Status.PROPOSED, JOB="100"))
    allocation = run(proposed_only)
    assert allocation.totals == {"BFH": 400_000}
    # January 31 + February 28 + March 31 + April 30 = 120 days.
    assert allocation.unsplit == (Unsplit("I-1", CASE.ref, "BFH", 120),)


def weighted(alpha: str) -> SplitVersion:
    return SplitVersion(
        date(2026, 1, 1),
        Method.WEIGHTED,
        Status.AGREED,
        alpha=Decimal(alpha),
        responsibility=(("BFH", Decimal(3)), ("JOB", Decimal(1))),
        benefit=(("JOB", Decimal(1)), ("SKO", Decimal(1))),
    )


def test_alpha_one_uses_responsibility_only() -> None:
    cost = CostSchedule(100_000, Per.ONCE, date(2026, 6, 1))
    # Responsibility 3:1 → BFH 750.00, JOB 250.00; SKO's benefit weighs nothing.
    assert by_month(run(intervention(cost, weighted("1")))) == {
        ("2026-06", "BFH"): 75_000,
        ("2026-06", "JOB"): 25_000,
    }


def test_alpha_zero_uses_benefit_only() -> None:
    cost = CostSchedule(100_000, Per.ONCE, date(2026, 6, 1))
    # Benefit 1:1 → JOB 500.00, SKO 500.00; BFH's responsibility weighs nothing.
    assert by_month(run(intervention(cost, weighted("0")))) == {
        ("2026-06", "JOB"): 50_000,
        ("2026-06", "SKO"): 50_000,
    }


def test_savings_shares_are_proportional_to_expected_savings() -> None:
    savings = SplitVersion(
        date(2026, 1, 1),
        Method.SAVINGS,
        Status.AGREED,
        savings=(("BFH", Decimal("30000")), ("JOB", Decimal("10000"))),
    )
    once = intervention(CostSchedule(100_000, Per.ONCE, date(2026, 6, 1)), savings)
    # 30000 : 10000 = 3/4 : 1/4 of 1000.00.
    assert by_month(run(once)) == {("2026-06", "BFH"): 75_000, ("2026-06", "JOB"): 25_000}


def test_four_decimal_percents_are_honoured_to_the_last_digit() -> None:
    once = intervention(
        CostSchedule(100_000, Per.ONCE, date(2026, 6, 1)),
        fixed(date(2026, 1, 1), BFH="33.3333", JOB="33.3333", SKO="33.3334"),
    )
    # 100000 øre × .333333 = 33333.3 (BFH, JOB), × .333334 = 33333.4 (SKO). Floors sum to 99999;
    # SKO's remainder .4 is the largest, so SKO gets 333.34 (the code order would have picked BFH).
    assert by_month(run(once)) == {
        ("2026-06", "BFH"): 33_333,
        ("2026-06", "JOB"): 33_333,
        ("2026-06", "SKO"): 33_334,
    }


def test_a_department_with_share_zero_takes_part_in_nothing() -> None:
    iv = intervention(
        CostSchedule(1, Per.ONCE, date(2026, 6, 1)),
        fixed(date(2026, 1, 1), BFH="0", JOB="50", SKO="50"),
        paid_by="BFH",
    )
    allocation = run(iv)
    # 1 øre at 50/50 between JOB and SKO: a tie on remainder and weight → JOB by code. BFH has no
    # line, no total and never receives the leftover øre even though it sorts first.
    assert by_month(allocation) == {("2026-06", "JOB"): 1}
    assert allocation.totals == {"JOB": 1}
    # BFH pays the provider, so JOB owes BFH; BFH is paid_by only.
    assert settle(allocation) == [Transfer("JOB", "BFH", 1)]


def test_totals_and_paid_sum_the_lines_of_every_intervention() -> None:
    a = intervention(
        CostSchedule(100_000, Per.MONTH, date(2026, 1, 1), date(2026, 2, 28)),
        fixed(date(2026, 1, 1), BFH="50", JOB="50"),
        ident="I-1",
        paid_by="BFH",
    )
    b = intervention(
        CostSchedule(30_000, Per.ONCE, date(2026, 1, 5)),
        fixed(date(2026, 1, 1), JOB="100"),
        ident="I-2",
        paid_by="SKO",
    )
    allocation = run(a, b)
    # I-1: 2 × 1000.00 at 50/50 → BFH 1000.00, JOB 1000.00; I-2: 300.00 to JOB, paid by SKO.
    assert allocation.totals == {"BFH": 100_000, "JOB": 130_000}
    assert allocation.paid == {"BFH": 200_000, "SKO": 30_000}
    assert allocation.total == 230_000


def test_lines_are_sorted_by_intervention_month_and_department_whatever_the_input_order() -> None:
    late = intervention(
        CostSchedule(100_000, Per.MONTH, date(2026, 1, 1), date(2026, 2, 28)),
        fixed(date(2026, 1, 1), SKO="50", BFH="50"),
        ident="I-2",
    )
    early = intervention(
        CostSchedule(100_000, Per.ONCE, date(2026, 2, 1)), fixed(date(2026, 1, 1), JOB="100")
    )
    keys = [(line.intervention, line.month, line.department) for line in run(late, early).lines]
    assert keys == [
        ("I-1", "2026-02", "JOB"),
        ("I-2", "2026-01", "BFH"),
        ("I-2", "2026-01", "SKO"),
        ("I-2", "2026-02", "BFH"),
        ("I-2", "2026-02", "SKO"),
    ]


def test_the_json_result_has_the_documented_shape_and_formats() -> None:
    one_ore = intervention(
        CostSchedule(1, Per.ONCE, date(2026, 3, 1)),
        fixed(date(2026, 1, 1), BFH="50", JOB="50"),
        ident="I-2",
    )
    unsplit = intervention(
        CostSchedule(123_450, Per.ONCE, date(2026, 2, 1)), ident="I-1", paid_by="JOB"
    )
    scenario = Scenario(DEPARTMENTS, (CASE,), (one_ore, unsplit))
    result = calc_result(scenario, Period(date(2026, 1, 1), date(2026, 3, 31)))
    # I-1: 1234.50 unsplit on JOB (one counted day). I-2: 1 øre at 50/50 → BFH by code, and JOB's
    # 0.00 line is left out.
    assert result == {
        "period": {"from": "2026-01-01", "to": "2026-03-31"},
        "lines": [
            {"intervention": "I-1", "case": "S-2026-0001", "month": "2026-02",
             "department": "JOB", "amount": "1234.50"},
            {"intervention": "I-2", "case": "S-2026-0001", "month": "2026-03",
             "department": "BFH", "amount": "0.01"},
        ],
        "totals": {"BFH": "0.01", "JOB": "1234.50"},
        "total": "1234.51",
        "settlement": [],
        "unsplit": [{"intervention": "I-1", "case": "S-2026-0001", "paid_by": "JOB", "days": 1}],
        "eligibility": {"S-2026-0001": {"eligible": True, "unmet": []}},
        # No refund rates and nothing refundable: no refunds, and net equals gross.
        "refunds": [],
        "refund_totals": {},
        "net_totals": {"BFH": "0.01", "JOB": "1234.50"},
        "refund_missing_years": [],
        "errors": [],
    }
    assert json.loads(json.dumps(result)) == result


def test_the_json_document_is_the_result_with_one_text_line_per_allocation_line() -> None:
    odd = Intervention("I-\"ø", CASE.ref, "Aflastning", "", "BFH", "BFH",
                       CostSchedule(123_456, Per.MONTH, date(2026, 1, 10), date(2026, 3, 5)),
                       (fixed(date(2026, 1, 1), BFH="50", JOB="50"),))
    scenario = Scenario(DEPARTMENTS, (CASE,), (design_example(), odd))
    for mode in ("pairwise", "minimal"):
        document = calc_document(scenario, YEAR_2026, mode)
        assert json.loads(document) == calc_result(scenario, YEAR_2026, mode)
        lines = document.splitlines()
        assert lines[1] == '"lines": ['
        # 'I-"ø' sorts first; its quote is escaped and its ø kept. January 10–31 is 22 of 31 days:
        # 1234.56 × 22/31 = 876.1393… → 876.14, half of it 438.07 to BFH.
        assert lines[2] == (
            '{"intervention": "I-\\"ø", "case": "S-2026-0001", "month": "2026-01", '
            '"department": "BFH", "amount": "438.07"},'
        )
        # "period" and "lines": [ above the lines; "]" and the ten fields after "lines" below.
        assert len(lines) == 2 + len(calc_result(scenario, YEAR_2026)["lines"]) + 1 + 10
    problem = Problem("shares_sum", "Andelene summerer til 90 %", "interventions[0]")
    assert json.loads(error_document([problem], YEAR_2026)) == error_result([problem], YEAR_2026)
    assert json.loads(error_document([])) == error_result([])


def test_the_json_result_can_settle_minimally() -> None:
    scenario = Scenario(DEPARTMENTS, (CASE,), (design_example(),))
    result = calc_result(scenario, YEAR_2026, mode="minimal")
    # One payer, one debtor: the minimal settlement is the same single transfer.
    assert result["settlement"] == [{"from": "JOB", "to": "BFH", "amount": "56632.26"}]


def test_the_error_result_has_the_same_shape_with_nothing_computed() -> None:
    problem = Problem("shares_sum", "Andelene summerer til 90 %, ikke 100 %", "interventions[0]")
    result = error_result([problem], YEAR_2026)
    assert result == {
        "period": {"from": "2026-01-01", "to": "2026-12-31"},
        "lines": [],
        "totals": {},
        "total": "0.00",
        "settlement": [],
        "unsplit": [],
        "eligibility": {},
        "refunds": [],
        "refund_totals": {},
        "net_totals": {},
        "refund_missing_years": [],
        "errors": [
            {"code": "shares_sum", "message": "Andelene summerer til 90 %, ikke 100 %",
             "where": "interventions[0]"}
        ],
    }
    assert error_result([])["period"] is None


def test_lines_carry_the_case_and_the_paying_department() -> None:
    iv = intervention(
        CostSchedule(100_000, Per.ONCE, date(2026, 1, 2)),
        fixed(date(2026, 1, 1), JOB="100"),
        paid_by="SKO",
    )
    assert run(iv).lines == (Line("I-1", CASE.ref, "2026-01", "JOB", 100_000, "SKO"),)


def test_allocate_leaves_the_garbage_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    run(design_example())
    assert gc.isenabled()
    gc.disable()
    try:
        run(design_example())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_allocate_reenables_the_garbage_collector_when_it_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(split: SplitVersion) -> dict[str, object]:
        raise RuntimeError("resolving failed")

    monkeypatch.setattr("finans.allocation.engine.share_weights", failing)
    with pytest.raises(RuntimeError):
        run(design_example())
    assert gc.isenabled()
