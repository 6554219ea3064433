"""The refund in the store and services: refundable by legal basis and by the caseworker's word,
rates and refundable through dump and load, the case's refund and the quarterly claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from finans.allocation.engine import allocate
from finans.allocation.records import Period
from finans.allocation.refund import refunds
from finans.services import casework, figures, interventions, refund_claim, refund_rates
from finans.services.errors import Forbidden, ServiceError
from finans.services.refund_claim import Quarter, parse_quarter
from finans.services.scenario import dump_scenario, load_scenario
from tests.integration.municipality import ADMIN, CASEWORKER, MANAGER, controller, small

PLACEMENT = {"case": "S-2026-0001", "title": "Anbringelse", "legal_basis": "Barnets lov § 46",
             "granted_by": "BFH", "paid_by": "BFH",
             "cost": {"amount": "1800000.00", "per": "year", "start": "2026-01-01"}}
RATES_2026 = {"years": {"2026": {"thresholds": ["860000", "1680000", "2120000"],
                                 "percents": ["25", "50", "75"]}}}


@pytest.fixture
def expensive(session: Session) -> Session:
    """The small municipality with 2026 rates and a 1,8 mio. kr. a year placement (I-3) in
    S-2026-0001, split 60/40 between BFH and JOB; the file leaves the others' ``refundable``
    out, so they do not count."""
    data = small()
    data["refund"] = RATES_2026
    data["interventions"].append({"id": "I-3", **PLACEMENT, "refundable": True, "splits": [
        {"effective_from": "2026-01-01", "method": "fixed", "status": "agreed",
         "shares": {"BFH": "60", "JOB": "40"},
         "decisions": [{"department": "BFH", "decision": "approve", "by": "b"},
                       {"department": "JOB", "decision": "approve", "by": "j"}]}]})
    report = load_scenario(session, actor=ADMIN, data=data, apply=True)
    assert report.applied, report.problems
    return session


def test_a_new_intervention_counts_toward_the_refund_by_its_legal_basis(seeded: Session) -> None:
    made = interventions.create_intervention(seeded, actor=CASEWORKER, data=PLACEMENT)
    assert made.refundable is True
    school = {**PLACEMENT, "title": "Specialskole", "legal_basis": "Folkeskoleloven § 20"}
    assert interventions.create_intervention(seeded, actor=CASEWORKER,
                                             data=school).refundable is False


def test_the_caseworker_overrides_the_default_and_null_follows_the_basis_again(
    seeded: Session,
) -> None:
    made = interventions.create_intervention(seeded, actor=CASEWORKER,
                                             data={**PLACEMENT, "refundable": False})
    assert made.refundable is False
    kept = interventions.update_intervention(seeded, actor=CASEWORKER, id=made.id,
                                             version=made.version, data={"title": "Ny"})
    assert kept.refundable is False
    back = interventions.update_intervention(
        seeded, actor=CASEWORKER, id=made.id, version=kept.version,
        data={"refundable": None, "legal_basis": "SEL § 107"})
    assert back.refundable is True


def test_refundable_must_be_yes_or_no(seeded: Session) -> None:
    with pytest.raises(ServiceError) as refused:
        interventions.create_intervention(seeded, actor=CASEWORKER,
                                          data={**PLACEMENT, "refundable": "ja"})
    assert [p.where for p in refused.value.problems] == ["refundable"]


def test_a_dump_keeps_rates_notes_and_refundable_and_loads_back_unchanged(
    expensive: Session,
) -> None:
    refund_rates.update_rate(expensive, actor=ADMIN, year=2026, version=1,
                             data={"note": "Fra satsloven"})
    dumped = dump_scenario(expensive)
    assert dumped["refund"]["years"]["2026"] == {
        "thresholds": ["860000.00", "1680000.00", "2120000.00"], "percents": ["25", "50", "75"],
        "note": "Fra satsloven", "statutory": False}
    assert dumped["refund"]["years"]["2022"]["statutory"] is True
    assert [iv["refundable"] for iv in dumped["interventions"]] == [False, False, True]
    report = load_scenario(expensive, actor=ADMIN, data=dumped, apply=True)
    assert report.changes == 0 and report.refund_rates.unchanged == ["2022", "2026"]


def test_a_load_with_other_than_three_tiers_is_refused_at_the_year(session: Session) -> None:
    data = small()
    data["refund"] = {"years": {"2026": {"thresholds": ["860000", "1680000"],
                                         "percents": ["25", "50"]}}}
    report = load_scenario(session, actor=ADMIN, data=data, apply=True)
    assert [(p.code, p.where) for p in report.problems] == [
        ("tier_count", "refund.years.2026.thresholds")]
    assert not report.applied
    assert [rate.year for rate in refund_rates.list_rates(session, actor=ADMIN)] == [2022]


def test_the_case_page_has_the_engines_refund_with_every_month_and_its_tier(
    expensive: Session,
) -> None:
    shown = casework.case_figures(expensive, actor=CASEWORKER, ref="S-2026-0001",
                                  today=date(2026, 6, 1)).refund
    scenario = figures.scenario_records(expensive, cases=["S-2026-0001"])
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    engine = refunds(scenario, allocate(scenario, year))
    assert [(m.month, m.amount, m.departments) for m in shown.months] == [
        (r.month, r.amount, r.departments) for r in engine.refunds]
    assert shown.totals == engine.totals and shown.missing_years == ()
    # 150.000 kr. a month passes 1/12 of the second threshold (140.000 kr.), not the third.
    assert {m.tier for m in shown.months} == {2}
    assert all(m.basis == 15_000_000 for m in shown.months)
    assert sum(m.amount for m in shown.months) == sum(engine.totals.values())


def test_the_claim_is_the_refund_to_date_less_the_previous_quarters(expensive: Session) -> None:
    quarter, _ = parse_quarter("2026Q2")
    assert quarter == Quarter(2026, 2)
    claim = refund_claim.quarter_claim(expensive, actor=MANAGER, quarter=quarter)
    monthly = next(month.amount for month in claim.months)
    assert [(row.case, row.refund, row.claimed_before, row.claim) for row in claim.rows] == [
        ("S-2026-0001", 6 * monthly, 3 * monthly, 3 * monthly)]
    assert claim.rows[0].basis == 6 * 15_000_000 and monthly == 2_208_333
    assert claim.rates is not None and claim.rates.percents[0] == Decimal(25)
    assert claim.missing_years == ()
    first = refund_claim.quarter_claim(expensive, actor=ADMIN, quarter=Quarter(2026, 1))
    assert first.rows[0].claimed_before == 0 and first.rows[0].claim == 3 * monthly


def test_a_year_without_rates_gives_no_claim_and_says_so(expensive: Session) -> None:
    claim = refund_claim.quarter_claim(expensive, actor=ADMIN, quarter=Quarter(2027, 1))
    assert claim.rows == () and claim.rates is None and claim.missing_years == (2027,)


@pytest.mark.parametrize("actor", [CASEWORKER, controller("BFH")])
def test_only_managers_and_administrators_draw_the_claim(
    expensive: Session, actor: object
) -> None:
    with pytest.raises(Forbidden):
        refund_claim.quarter_claim(expensive, actor=actor,  # type: ignore[arg-type]
                                   quarter=Quarter(2026, 2))


@pytest.mark.parametrize("text", ["2026Q5", "Q2", "2026-2", "26Q1", "1800Q1", ""])
def test_a_quarter_is_written_as_year_and_quarter(text: str) -> None:
    quarter, problems = parse_quarter(text)
    assert quarter is None and [p.where for p in problems] == ["quarter"]
