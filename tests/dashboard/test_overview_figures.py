"""The overview's figures are the engine's figures for the period, cached until data changes."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session

from finans.allocation.engine import Allocation, allocate
from finans.allocation.records import Period, Scenario
from finans.allocation.settlement import net_positions
from finans.services import budgets, cases, dashboard, figures, interventions, splits
from finans.services.errors import Forbidden, NotFound
from tests.dashboard.overview_people import ADMIN, CASEWORKER, MANAGER, TODAY, controller

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
PERIODS = (
    YEAR,
    Period(date(2026, 4, 1), date(2026, 6, 30)),
    Period(date(2026, 2, 1), date(2026, 2, 28)),
    Period(date(2025, 10, 17), date(2026, 3, 9)),
)


def engine_run(session: Session, period: Period) -> Allocation:
    return allocate(figures.scenario_records(session), period)


def records(session: Session) -> Scenario:
    return figures.scenario_records(session)


@pytest.mark.parametrize("period", PERIODS, ids=["year", "quarter", "month", "range"])
def test_each_departments_allocated_paid_and_net_amounts_are_the_engines(
    demo: Session, period: Period
) -> None:
    assert_engines_figures(demo, period)


def test_the_figures_are_the_engines_on_every_kind_of_database(demo_everywhere: Session) -> None:
    assert_engines_figures(demo_everywhere, YEAR)


def assert_engines_figures(session: Session, period: Period) -> None:
    shown = dashboard.overview(session, actor=MANAGER, period=period, today=TODAY)
    expected = engine_run(session, period)
    assert {row.code: row.allocated for row in shown.departments if row.allocated} == \
        expected.totals
    assert {row.code: row.paid for row in shown.departments if row.paid} == expected.paid
    positions = net_positions(expected)
    assert {row.code: row.net for row in shown.departments} == {
        row.code: positions.get(row.code, 0) for row in shown.departments
    }
    assert shown.total == expected.total
    assert dict(shown.pie()) == {code: amount for code, amount in expected.totals.items() if amount}


def test_every_department_of_the_database_has_a_row(demo: Session) -> None:
    shown = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    assert [row.code for row in shown.departments] == sorted(
        department.code for department in records(demo).departments
    )


def test_monthly_bars_hold_the_engines_month_lines(demo: Session) -> None:
    period = PERIODS[3]
    shown = dashboard.overview(demo, actor=MANAGER, period=period, today=TODAY)
    months, series = shown.bars()
    assert months == ("2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03")
    expected: Counter[tuple[str, str]] = Counter()
    for line in engine_run(demo, period).lines:
        expected[(line.department, line.month)] += line.amount
    shown_sums = {
        (code, month): amount
        for code, amounts in series
        for month, amount in zip(months, amounts, strict=True)
        if amount
    }
    assert shown_sums == {key: amount for key, amount in expected.items() if amount}


def test_spend_so_far_is_the_engine_from_new_year_to_today(demo: Session) -> None:
    shown = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    so_far = engine_run(demo, Period(date(2026, 1, 1), TODAY)).totals
    assert {row.code: row.spent for row in shown.departments if row.spent} == so_far


def test_the_forecast_is_the_whole_years_allocation_to_the_ore(demo: Session) -> None:
    shown = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    year = engine_run(demo, Period(date(2026, 1, 1), date(2026, 12, 31))).totals
    assert {row.code: row.forecast for row in shown.departments if row.forecast} == year
    assert all(row.forecast >= row.spent for row in shown.departments)
    assert any(row.forecast > row.spent for row in shown.departments)


def test_a_past_year_is_all_spent_and_a_future_year_is_all_forecast(demo: Session) -> None:
    past = dashboard.overview(demo, actor=MANAGER, period=Period(date(2025, 1, 1),
                                                                 date(2025, 12, 31)), today=TODAY)
    assert all(row.spent == row.forecast == row.allocated for row in past.departments)
    coming = Period(date(2027, 1, 1), date(2027, 12, 31))
    future = dashboard.overview(demo, actor=MANAGER, period=coming, today=TODAY)
    assert all(row.spent == 0 and row.forecast == row.allocated for row in future.departments)
    assert sum(row.forecast for row in future.departments) > 0


def test_a_quarter_is_followed_up_against_its_years_budget(demo_everywhere: Session) -> None:
    demo = demo_everywhere
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2026,
                                                   "amount": "2500000.50"})
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2025,
                                                   "amount": "1.00"})
    shown = dashboard.overview(demo, actor=MANAGER, period=PERIODS[1], today=TODAY)
    rows = {row.code: row for row in shown.departments}
    assert shown.budget_year == 2026
    assert rows["JOB"].budget == 250000050
    assert rows["JOB"].remaining == 250000050 - (rows["JOB"].forecast
                                                 - rows["JOB"].forecast_refund)
    assert rows["BFH"].budget is None and rows["BFH"].remaining is None
    assert ("JOB", 250000050, rows["JOB"].spent, rows["JOB"].forecast) in shown.budget_rows()


def test_cases_in_joint_financing_are_those_financed_by_two_departments(demo: Session) -> None:
    shown = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    financing: dict[tuple[str, str], set[str]] = {}
    for line in engine_run(demo, YEAR).lines:
        financing.setdefault((line.case, line.intervention), set()).add(line.department)
    joint: dict[str, set[str]] = {}
    for (case, _), codes in financing.items():
        if len(codes) > 1:
            joint.setdefault(case, set()).update(codes)
    assert shown.joint_cases == len(joint) > 0
    for row in shown.departments:
        assert row.joint_cases == sum(1 for codes in joint.values() if row.code in codes)


def test_pending_approvals_are_counted_per_department_with_the_oldest_age(demo: Session) -> None:
    shown = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    queue = splits.pending_approvals(demo, actor=MANAGER, today=TODAY)
    assert len(shown.pending) == len(queue) > 0
    for row in shown.departments:
        own = [item for item in queue if item.department == row.code]
        assert row.pending == len(own)
        assert row.oldest_pending_days == (max(i.age_days for i in own) if own else None)
    ages = [item.age(TODAY) for item in shown.pending]
    assert ages == sorted(ages, reverse=True)


def test_eligible_cases_without_an_agreed_split_are_counted(demo: Session) -> None:
    before = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    cases.create_case(demo, actor=CASEWORKER, data={
        "ref": "S-2026-9001", "family": "Familie Ny", "consent": True,
        "core_team": ["BFH", "JOB"],
    })
    interventions.create_intervention(demo, actor=CASEWORKER, data={
        "case": "S-2026-9001", "title": "Mentor", "granted_by": "BFH", "paid_by": "JOB",
        "cost": {"amount": "1000.00", "per": "month", "start": "2026-11-01"},
    })
    after = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    assert after.eligible_without_split == before.eligible_without_split + 1
    changed = {
        row.code
        for old, row in zip(before.departments, after.departments, strict=True)
        if row.eligible_without_split == old.eligible_without_split + 1
    }
    assert changed == {"BFH", "JOB"}


def test_a_controller_gets_their_own_departments_row_and_queue(demo: Session) -> None:
    shown = dashboard.overview(demo, actor=controller("HJM"), period=YEAR, today=TODAY)
    everything = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    assert [row.code for row in shown.departments] == ["HJM"]
    assert shown.departments[0] == next(r for r in everything.departments if r.code == "HJM")
    assert {item.department for item in shown.pending} == {"HJM"}
    assert shown.pie() == everything.pie()


def test_caseworkers_do_not_see_the_overview(demo: Session) -> None:
    with pytest.raises(Forbidden):
        dashboard.overview(demo, actor=CASEWORKER, period=YEAR, today=TODAY)


def test_a_change_through_the_services_is_seen_at_once(demo: Session) -> None:
    before = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    assert dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY) is before
    budgets.create_budget(demo, actor=ADMIN, data={"department": "SUN", "year": 2026,
                                                   "amount": "10.00"})
    after = dashboard.overview(demo, actor=MANAGER, period=YEAR, today=TODAY)
    assert next(row.budget for row in after.departments if row.code == "SUN") == 1000


def test_the_drill_down_splits_a_departments_amount_over_its_cases_and_interventions(
    demo: Session,
) -> None:
    detail = dashboard.department_detail(demo, actor=MANAGER, code="JOB", period=YEAR)
    lines = engine_run(demo, YEAR).lines
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line in lines:
        total[line.intervention] += line.amount
        if line.department == "JOB":
            own[line.intervention] += line.amount
    assert {item.id: item.amount for item in detail.interventions} == dict(own)
    assert all(item.total == total[item.id] for item in detail.interventions)
    assert detail.amount == sum(own.values()) == sum(case.amount for case in detail.cases)
    assert [item.amount for item in detail.interventions] == sorted(
        (item.amount for item in detail.interventions), reverse=True
    )


def test_the_drill_down_refuses_unknown_departments_and_other_controllers(demo: Session) -> None:
    with pytest.raises(NotFound):
        dashboard.department_detail(demo, actor=MANAGER, code="NOPE", period=YEAR)
    with pytest.raises(Forbidden):
        dashboard.department_detail(demo, actor=controller("JOB"), code="BFH", period=YEAR)
    own = dashboard.department_detail(demo, actor=controller("JOB"), code="JOB", period=YEAR)
    assert own.amount > 0
