"""The state refund for expensive cases: hand-computed examples, worked out above each assert.

The rates are the statutory 2022 amounts (860.000 / 1.680.000 / 2.120.000 kr. a year at 25 / 50 /
75 %), so a month's thresholds are 71.666,666… / 140.000 / 176.666,666… kr.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

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
from finans.allocation.engine import Allocation
from finans.allocation.refund import Refunds
from finans.allocation.result import calc_result
from finans.cli import main

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
DEPARTMENTS = (Department("BFH", "Børn og Familie"), Department("JOB", "Jobcenter"),
               Department("SKO", "Skole og PPR"))
CASES = (Case("S-1", "Familie A"), Case("S-2", "Familie B"))
STATUTORY = (86_000_000, 168_000_000, 212_000_000), (Decimal(25), Decimal(50), Decimal(75))
EXAMPLE = Path(__file__).parents[2] / "examples" / "refusion.json"


def rates(year: int) -> RefundRates:
    return RefundRates(year, *STATUTORY)


def shared(*percents: tuple[str, str], since: date = date(2020, 1, 1)) -> SplitVersion:
    return SplitVersion(
        since, Method.FIXED, Status.AGREED,
        shares=tuple((code, Decimal(p)) for code, p in sorted(percents)),
    )


def intervention(
    ident: str, cost: CostSchedule, *splits: SplitVersion, case: str = "S-1",
    refundable: bool = True,
) -> Intervention:
    return Intervention(ident, case, "Anbringelse", "Barnets lov § 46", "BFH", "BFH", cost,
                        splits, refundable=refundable)


def scenario(*interventions: Intervention, years: tuple[int, ...] = (2026,)) -> Scenario:
    return Scenario(DEPARTMENTS, CASES, interventions, tuple(rates(y) for y in years))


def run(*interventions: Intervention, period: Period = YEAR_2026,
        years: tuple[int, ...] = (2026,)) -> tuple[Allocation, Refunds]:
    built = scenario(*interventions, years=years)
    allocation = allocate(built, period)
    return allocation, refunds(built, allocation)


def placement(amount: int = 150_000_000, case: str = "S-1", ident: str = "I-1",
              refundable: bool = True) -> Intervention:
    """A yearly placement from 1 January 2026, shared 50/50 by BFH and JOB."""
    return intervention(ident, CostSchedule(amount, Per.YEAR, date(2026, 1, 1)),
                        shared(("BFH", "50"), ("JOB", "50")), case=case, refundable=refundable)


def test_a_placement_of_1_5_million_a_year_shared_50_50_gives_each_half_of_the_refund() -> None:
    allocation, result = run(placement())
    # 1.500.000 kr. a year is 125.000 kr. a month: above 71.666,666… kr., below 140.000 kr.
    # 25 % × (125.000 − 71.666,666…) = 13.333,333… kr. → 13.333,33 kr. in each month.
    assert [(r.month, r.basis, r.amount) for r in result.refunds] == [
        (f"2026-{m:02d}", 12_500_000, 1_333_333) for m in range(1, 13)
    ]
    # 1.333.333 øre at 50/50 is 666.666,5 each: one øre left, remainders and weights tie → BFH.
    assert {r.departments for r in result.refunds} == {(("BFH", 666_667), ("JOB", 666_666))}
    assert result.totals == {"BFH": 12 * 666_667, "JOB": 12 * 666_666}
    # Each department carries 750.000 kr. gross; JOB's net is 750.000 − 79.999,92 kr.
    assert allocation.totals == {"BFH": 75_000_000, "JOB": 75_000_000}
    assert result.missing_years == ()


def test_a_household_reaching_every_tier_gets_each_tiers_percent() -> None:
    _, result = run(placement(amount=240_000_000))
    # 2.400.000 kr. a year is 200.000 kr. a month:
    # 25 % × (140.000 − 71.666,666…) = 17.083,333…; 50 % × (176.666,666… − 140.000) = 18.333,333…;
    # 75 % × (200.000 − 176.666,666…) = 17.500; together 52.916,666… kr. → 52.916,67 kr.
    assert {r.amount for r in result.refunds} == {5_291_667}


def test_the_household_is_the_case_so_its_refundable_costs_count_together() -> None:
    # Two placements of 600.000 kr. a year are each below 860.000 kr.; together they are
    # 100.000 kr. a month: 25 % × (100.000 − 71.666,666…) = 7.083,333… → 7.083,33 kr.
    _, together = run(placement(60_000_000, ident="I-1"), placement(60_000_000, ident="I-2"))
    assert {r.amount for r in together.refunds} == {708_333}
    assert {r.case for r in together.refunds} == {"S-1"}
    # In two households neither reaches the threshold, and nothing is refunded.
    _, apart = run(placement(60_000_000, ident="I-1"),
                   placement(60_000_000, ident="I-2", case="S-2"))
    assert apart.refunds == ()


def test_interventions_not_marked_refundable_do_not_count() -> None:
    # The 600.000 kr. placement alone is below the first threshold; the 1.500.000 kr. one is not
    # refundable (say Folkeskoleloven), so the household gets nothing.
    _, result = run(placement(60_000_000, ident="I-1"),
                    placement(150_000_000, ident="I-2", refundable=False))
    assert result.refunds == ()


def test_a_one_off_counts_a_twelfth_in_every_month_of_its_calendar_year() -> None:
    one_off = intervention("I-1", CostSchedule(120_000_000, Per.ONCE, date(2026, 5, 12)),
                           shared(("BFH", "60"), ("JOB", "40")))
    allocation, result = run(one_off)
    # 1.200.000 kr. on 12 May 2026 counts 100.000 kr. in each month of 2026:
    # 25 % × (100.000 − 71.666,666…) = 7.083,333… → 7.083,33 kr. a month.
    assert [(r.month, r.basis, r.amount) for r in result.refunds] == [
        (f"2026-{m:02d}", 10_000_000, 708_333) for m in range(1, 13)
    ]
    # BFH's part of each month is 1/12 of its 720.000 kr.: 60 % → 424.999,8 øre, JOB 283.333,2.
    # Floors 424.999 + 283.333 leave one øre; BFH's remainder .8 is the larger.
    assert {r.departments for r in result.refunds} == {(("BFH", 425_000), ("JOB", 283_333))}
    assert allocation.totals == {"BFH": 72_000_000, "JOB": 48_000_000}


def test_a_one_off_outside_the_period_still_counts_in_the_periods_months_of_its_year() -> None:
    one_off = intervention("I-1", CostSchedule(120_000_000, Per.ONCE, date(2026, 5, 12)),
                           shared(("BFH", "60"), ("JOB", "40")))
    # The second half of 2026 does not hold the one-off's day, but its months are months of its
    # year: each still counts 100.000 kr. and gets 7.083,33 kr., shared by the one-off's split.
    allocation, result = run(one_off, period=Period(date(2026, 7, 1), date(2026, 12, 31)))
    assert allocation.lines == ()
    assert [r.month for r in result.refunds] == [f"2026-{m:02d}" for m in range(7, 13)]
    assert result.totals == {"BFH": 6 * 425_000, "JOB": 6 * 283_333}
    # A one-off of 2025 counts nothing in 2026.
    earlier = intervention("I-1", CostSchedule(120_000_000, Per.ONCE, date(2025, 5, 12)))
    assert run(earlier)[1].refunds == ()


def test_only_whole_months_of_the_period_get_a_refund() -> None:
    # 15 January – 10 March holds February whole; January and March are cut.
    _, result = run(placement(), period=Period(date(2026, 1, 15), date(2026, 3, 10)))
    assert [r.month for r in result.refunds] == ["2026-02"]


def test_a_month_under_a_twelfth_of_the_first_threshold_gets_nothing() -> None:
    # 860.000 kr. a year is exactly the threshold: 71.666,666… kr. a month, nothing above it.
    _, at_threshold = run(placement(86_000_000))
    assert at_threshold.refunds == ()
    # One øre a month above the threshold's twelfth: 860.000,12 kr. a year is 71.666,67 kr. a
    # month, 0,333… øre above 71.666,666…: 25 % of that is 0,083… øre → 0,00 kr., left out.
    _, just_above = run(placement(86_000_012))
    assert just_above.refunds == ()


def test_a_year_without_rates_gives_no_refund_and_is_listed() -> None:
    # The placement runs on into 2027, which has no rates row.
    period = Period(date(2026, 12, 1), date(2027, 2, 28))
    _, result = run(placement(), period=period)
    assert [r.month for r in result.refunds] == ["2026-12"]
    assert result.missing_years == (2027,)
    # Without any rates at all, every year with refundable cost is listed.
    _, none = run(placement(), years=())
    assert none.refunds == () and none.missing_years == (2026,)


def test_the_json_result_carries_refunds_refund_totals_and_net_totals() -> None:
    result = calc_result(scenario(placement()), YEAR_2026)
    assert result["refunds"][0] == {
        "case": "S-1", "month": "2026-01", "basis": "125000.00", "amount": "13333.33",
        "departments": {"BFH": "6666.67", "JOB": "6666.66"},
    }
    assert len(result["refunds"]) == 12
    # 12 × 6.666,67 = 80.000,04 for BFH and 12 × 6.666,66 = 79.999,92 for JOB.
    assert result["refund_totals"] == {"BFH": "80000.04", "JOB": "79999.92"}
    assert result["net_totals"] == {"BFH": "669999.96", "JOB": "670000.08"}
    assert result["refund_missing_years"] == []


def test_without_refund_rates_net_totals_equal_totals() -> None:
    built = Scenario(DEPARTMENTS, CASES, (placement(refundable=False),))
    result = calc_result(built, YEAR_2026)
    assert result["refunds"] == [] and result["refund_totals"] == {}
    assert result["net_totals"] == result["totals"] == {"BFH": "750000.00", "JOB": "750000.00"}
    assert result["refund_missing_years"] == []


def test_a_spread_basis_is_shown_rounded_to_the_ore() -> None:
    # A one-off of 1.000.000,01 kr. counts 83.333,334166… kr. a month, shown as 83.333,33.
    one_off = intervention("I-1", CostSchedule(100_000_001, Per.ONCE, date(2026, 3, 1)))
    result = calc_result(scenario(one_off), YEAR_2026)
    assert {r["basis"] for r in result["refunds"]} == {"83333.33"}


def test_the_example_scenario_gives_the_refund_worked_out_in_the_calculation_notes(
    tmp_path: Path,
) -> None:
    out = CliRunner().invoke(main, ["calc", str(EXAMPLE), "--from", "2026-01-01",
                                    "--to", "2026-12-31"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    january = next(r for r in result["refunds"] if r["month"] == "2026-01")
    # Placement 125.000 + one-off 90.000 / 12 = 7.500 → basis 132.500 kr.:
    # 25 % × (132.500 − 71.666,666…) = 15.208,333… → 15.208,33 kr.
    assert january["basis"] == "132500.00" and january["amount"] == "15208.33"
    text = CliRunner().invoke(main, ["calc", str(EXAMPLE), "--from", "2026-01-01",
                                     "--to", "2026-12-31", "--format", "text"])
    assert "Statsrefusion" in text.output and "15.208,33" in text.output
    assert "Udgift efter refusion" in text.output
