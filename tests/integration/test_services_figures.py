"""The database's money figures are the engine's figures on the same data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from finans.allocation.records import Period
from finans.allocation.result import calc_result
from finans.allocation.validation import parse_scenario
from finans.demo import demo_scenario
from finans.services import figures
from finans.services.scenario import dump_scenario, load_scenario
from finans.services.settings import get_criteria, update_criteria
from tests.integration.municipality import ADMIN

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def demo(session: Session) -> Session:
    assert load_scenario(session, actor=ADMIN, data=demo_scenario(date(2026, 11, 23)),
                         apply=True).applied
    return session


def test_database_figures_equal_the_calculator_on_the_dump(demo: Session) -> None:
    dumped = json.loads(json.dumps(dump_scenario(demo)), parse_float=Decimal)
    scenario, problems = parse_scenario(dumped)
    assert scenario is not None, problems
    for period in (YEAR, Period(date(2025, 3, 15), date(2027, 2, 28))):
        for mode in ("pairwise", "minimal"):
            assert json.loads(figures.calc_json(demo, period=period, mode=mode)) == calc_result(
                scenario, period, mode
            )


def test_the_records_read_from_the_database_are_the_records_of_its_dump(demo: Session) -> None:
    from_dump, _ = parse_scenario(dump_scenario(demo))
    from_rows = figures.scenario_records(demo)
    assert from_dump is not None
    assert from_rows.departments == from_dump.departments
    assert from_rows.cases == from_dump.cases
    by_id = {intervention.id: intervention for intervention in from_dump.interventions}
    assert {iv.id: iv for iv in from_rows.interventions} == by_id


def test_a_case_allocation_is_its_share_of_the_whole(demo: Session) -> None:
    whole = figures.allocation(demo, period=YEAR)
    ref = whole.lines[0].case
    part = figures.allocation(demo, period=YEAR, case=ref)
    assert part.lines == tuple(line for line in whole.lines if line.case == ref)
    one = figures.allocation(demo, period=YEAR, intervention=whole.lines[0].intervention)
    assert {line.intervention for line in one.lines} == {whole.lines[0].intervention}
    assert one.lines == tuple(
        line for line in whole.lines if line.intervention == whole.lines[0].intervention
    )


def test_settlement_balances_every_department(demo: Session) -> None:
    allocation = figures.allocation(demo, period=YEAR)
    transfers = figures.settlement(demo, period=YEAR)
    for code in allocation.totals:
        received = sum(t.amount for t in transfers if t.to == code)
        sent = sum(t.amount for t in transfers if t.from_ == code)
        assert allocation.paid.get(code, 0) - allocation.totals[code] == received - sent


def test_eligibility_follows_the_criteria_the_administrator_sets(demo: Session) -> None:
    before = figures.eligibility(demo)
    assert not all(result.eligible for result in before.values())
    update_criteria(demo, actor=ADMIN, version=get_criteria(demo).version,
                    data={"min_departments": 1, "require_consent": False})
    assert all(result.eligible for result in figures.eligibility(demo).values())
    assert json.loads(figures.calc_json(demo, period=YEAR))["eligibility"] == {
        ref: {"eligible": True, "unmet": []} for ref in before
    }
