"""Postings from allocations: two balanced legs per financed share, corrections of closed months."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from hypothesis import given

from finans.allocation import (
    CostSchedule,
    Department,
    Intervention,
    Method,
    Per,
    Period,
    Scenario,
    SplitVersion,
    Status,
    allocate,
)
from finans.allocation.engine import Line
from finans.allocation.postings import (
    Chart,
    Entry,
    Key,
    Leg,
    balance_by_day,
    correction_totals,
    corrections,
    entries,
    legs,
    lines_by_month,
    missing_accounts,
    months_of,
    net_by_department,
    posted_amounts,
    sums_by_account,
)
from finans.allocation.settlement import net_positions
from tests.unit.test_properties import PROPERTY_SETTINGS, periods, scenarios

ACCOUNTS = {"A": "1.11.11", "BFH": "5.28.21", "JOB": "5.68.90", "PPR": "3.22.08",
            "SKO": "3.22.09", "VOK": "5.38.52", "Z": "9.99.99 1001"}
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def with_accounts(scenario: Scenario) -> Scenario:
    return replace(scenario, departments=tuple(
        replace(department, account=ACCOUNTS[department.code])
        for department in scenario.departments
    ))


def shared(split_from: date = date(2026, 1, 1), job: str = "40", **cost: object) -> Scenario:
    """One intervention paid by BFH, financed 100 − job % by BFH and job % by JOB."""
    schedule = CostSchedule(1_200_000, Per.MONTH, date(2026, 1, 1), date(2026, 12, 31))
    split = SplitVersion(split_from, Method.FIXED, Status.AGREED,
                         shares=(("BFH", 100 - int(job)), ("JOB", int(job))))
    intervention = Intervention("I-1", "S-1", "Aflastning", "BL § 32", "BFH", "BFH",
                                replace(schedule, **cost), (split,))
    return Scenario(
        (Department("BFH", "Børnehandicap", "5.28.21"), Department("JOB", "Jobcenter", "5.68.90")),
        (), (intervention,),
    )


def test_a_financed_share_is_a_debit_on_its_department_and_a_credit_on_the_payer() -> None:
    scenario = shared()
    found = list(legs(entries(allocate(scenario, YEAR).lines, Chart.of(scenario))))
    assert len(found) == 24
    assert found[:2] == [
        Leg(date(2026, 1, 31), "5.68.90", 480_000, 0, "Fælles finansiering 2026-01 I-1", "I-1",
            "S-1", "JOB", "BFH"),
        Leg(date(2026, 1, 31), "5.28.21", 0, 480_000, "Fælles finansiering 2026-01 I-1", "I-1",
            "S-1", "BFH", "JOB"),
    ]
    assert [leg.day for leg in found[::2]] == [
        date(2026, 2, 28) if m == 2 else date(2026, m, 30 if m in (4, 6, 9, 11) else 31)
        for m in range(1, 13)
    ]


def test_the_paying_departments_own_share_gives_no_legs() -> None:
    scenario = shared(job="0")
    assert list(legs(entries(allocate(scenario, YEAR).lines, Chart.of(scenario)))) == []


def test_an_intervention_with_its_own_account_is_credited_there() -> None:
    scenario = shared()
    cash = replace(scenario, interventions=(replace(scenario.interventions[0],
                                                    account="5.57.72"),))
    found = list(legs(entries(allocate(cash, YEAR).lines, Chart.of(cash))))
    assert {leg.account for leg in found if leg.credit} == {"5.57.72"}
    assert {leg.account for leg in found if leg.debit} == {"5.68.90"}


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_every_posting_date_balances_and_each_department_nets_to_its_settlement(
    scenario: Scenario, period: Period
) -> None:
    scenario = with_accounts(scenario)
    allocation = allocate(scenario, period)
    found = list(legs(entries(allocation.lines, Chart.of(scenario))))
    assert all(debit == credit for debit, credit in balance_by_day(found).values())
    assert all(leg.debit > 0 and leg.credit == 0 or leg.credit > 0 and leg.debit == 0
               for leg in found)
    nets = net_by_department(found)
    for code, position in net_positions(allocation).items():
        assert nets.get(code, 0) == -position
    accounts = sums_by_account(found)
    assert sum(b.debit for b in accounts.values()) == sum(b.credit for b in accounts.values())


@PROPERTY_SETTINGS
@given(scenarios(), scenarios(), periods())
def test_posted_plus_corrections_is_what_the_months_give_now(
    before: Scenario, after: Scenario, period: Period
) -> None:
    before, after = with_accounts(before), with_accounts(after)
    chart = Chart.of(after)
    was = allocate(before, period)
    now = allocate(after, period)
    posted = list(entries(was.lines, Chart.of(before)))
    found = corrections(entries(now.lines, chart), posted_amounts(posted), "2030-01", chart)
    assert all(entry.posted_in == "2030-01" and entry.amount for entry in found)
    def amounts(found: Iterable[Entry]) -> dict[Key, int]:
        return {key: amount for key, (_, amount) in posted_amounts(found).items() if amount}

    assert amounts([*posted, *found]) == amounts(entries(now.lines, chart))
    # Through the legs, each department moves by the change in its settlement position.
    correction_nets = net_by_department(legs(found))
    moved = {
        code: net_positions(was).get(code, 0) - net_positions(now).get(code, 0)
        for code in {*net_positions(was), *net_positions(now)}
    }
    assert {code: amount for code, amount in correction_nets.items() if amount} == {
        code: amount for code, amount in moved.items() if amount
    }
    assert all(debit == credit for debit, credit in balance_by_day(legs(found)).values())


def test_a_share_taken_back_swaps_debit_and_credit() -> None:
    chart = Chart({"BFH": "5.28.21", "JOB": "5.68.90"}, {})
    posted = {("2026-01", "I-1", "", "JOB", "BFH"): ("S-1", 400),
              ("2026-01", "I-1", "", "BFH", "BFH"): ("S-1", 600)}
    now = [Line("I-1", "S-1", "2026-01", "BFH", 700, "BFH"),
           Line("I-1", "S-1", "2026-01", "JOB", 300, "BFH")]
    found = corrections(entries(now, chart), posted, "2026-04", chart)
    assert correction_totals(found) == {"BFH": 100, "JOB": -100}
    assert list(legs(found)) == [
        Leg(date(2026, 4, 30), "5.28.21", 100, 0, "Efterregulering 2026-01 I-1", "I-1", "S-1",
            "BFH", "JOB"),
        Leg(date(2026, 4, 30), "5.68.90", 0, 100, "Efterregulering 2026-01 I-1", "I-1", "S-1",
            "JOB", "BFH"),
    ]


def test_a_new_payer_takes_back_the_old_legs_and_posts_new_ones() -> None:
    chart = Chart({"BFH": "5.28.21", "JOB": "5.68.90"}, {})
    posted = {("2026-01", "I-1", "", "JOB", "BFH"): ("S-1", 400),
              ("2026-01", "I-1", "", "BFH", "BFH"): ("S-1", 600)}
    now = [Line("I-1", "S-1", "2026-01", "BFH", 600, "JOB"),
           Line("I-1", "S-1", "2026-01", "JOB", 400, "JOB")]
    found = corrections(entries(now, chart), posted, "2026-02", chart)
    assert [(e.department, e.paid_by, e.amount) for e in found] == [
        ("BFH", "BFH", -600), ("BFH", "JOB", 600), ("JOB", "BFH", -400), ("JOB", "JOB", 400),
    ]
    assert net_by_department(legs(found)) == {"BFH": 1000, "JOB": -1000}


def test_unchanged_months_need_no_correction() -> None:
    scenario = shared()
    lines = allocate(scenario, YEAR).lines
    posted = posted_amounts(entries(lines, Chart.of(scenario)))
    chart = Chart.of(scenario)
    assert corrections(entries(lines, chart), posted, "2027-01", chart) == []


def test_a_department_without_an_account_string_is_named_before_anything_is_posted() -> None:
    scenario = shared()
    chart = Chart({"BFH": "5.28.21", "JOB": ""}, {})
    problems = missing_accounts(entries(allocate(scenario, YEAR).lines, chart))
    assert [(p.code, p.where) for p in problems] == [("account_missing", "departments.JOB.account")]
    assert missing_accounts(entries(allocate(scenario, YEAR).lines, Chart.of(scenario))) == []


def test_lines_are_grouped_by_month_in_the_engines_order() -> None:
    scenario = shared()
    grouped = lines_by_month(allocate(scenario, YEAR).lines)
    assert list(grouped) == months_of(YEAR)
    assert [line.department for line in grouped["2026-03"]] == ["BFH", "JOB"]


def test_a_period_covers_every_month_it_touches() -> None:
    assert months_of(Period(date(2025, 12, 31), date(2026, 2, 1))) == [
        "2025-12", "2026-01", "2026-02"]
