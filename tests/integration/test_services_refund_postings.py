"""The state refund passed on in the postings of the demo municipality, on SQLite and PostgreSQL.

Finance books the refund on the departments that pay a household's refundable interventions; the
share-back legs pass each department's part on from those payers. Summed per department, its
credits are its part of the refund less what it keeps as payer, its debits what it received as
payer less the same, so the net (debit − credit) is what it received as payer less its part.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import Session

from finans.allocation.engine import allocate
from finans.allocation.records import Period, Scenario
from finans.allocation.refund import refunds
from finans.services import bookkeeping, closing, figures, lookup
from finans.services.actor import Actor, Role
from finans.services.interventions import get_intervention, update_intervention
from tests.conftest import load_demo
from tests.integration.test_services_postings import (
    APRIL,
    FINANCE,
    FIRST_QUARTER,
    TODAY,
    YEAR,
    csv_rows,
    file_bytes,
    ore,
)
from tests.reference import RefShareBack, reference_share_back

MAY = Period(date(2026, 5, 1), date(2026, 5, 31))
CLOSED = Period(date(2020, 1, 1), date(2026, 3, 31))
"""Every month closed by closing March 2026: the whole history up to it."""


@pytest.fixture
def demo(session: Session) -> Session:
    return load_demo(session, TODAY)


def expensive_households(scenario: Scenario, period: Period) -> Scenario:
    """The scenario cut to the households with a refund in the period (a household's refund
    depends on its own interventions only), small enough for the naive reference."""
    cases = {refund.case for refund in refunds(scenario, allocate(scenario, period)).refunds}
    assert cases, "the demo has households with a refund"
    return replace(scenario, interventions=tuple(
        iv for iv in scenario.interventions if iv.case in cases))


def per_department(passed: RefShareBack) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Per department: its part of the refunds, what it received as payer, what it kept."""
    part: dict[str, int] = {}
    received: dict[str, int] = {}
    kept: dict[str, int] = {}
    for amounts in passed.values():
        for (department, payer), amount in amounts.items():
            part[department] = part.get(department, 0) + amount
            received[payer] = received.get(payer, 0) + amount
            if department == payer:
                kept[department] = kept.get(department, 0) + amount
    return part, received, kept


def share_back_rows(data: bytes) -> list[dict[str, str]]:
    return [row for row in csv_rows(data) if not row["Indsats"]]


def test_the_share_back_legs_sum_per_department_to_its_refund_part_less_what_it_keeps(
    demo: Session,
) -> None:
    scenario = figures.scenario_records(demo)
    division = refunds(scenario, figures.allocation(demo, period=YEAR))
    part, received, kept = per_department(
        reference_share_back(expensive_households(scenario, YEAR), YEAR))
    assert part == division.totals
    assert any(code not in received for code in part)  # parts passed on to non-payers

    rows = share_back_rows(file_bytes(demo, YEAR))
    credits: dict[str, int] = {}
    debits: dict[str, int] = {}
    for row in rows:
        assert row["Tekst"] == f"Refusion {row['Tekst'].split()[1]} {row['Sag']}"
        credits[row["Afdeling"]] = credits.get(row["Afdeling"], 0) + ore(row["Kredit"])
        debits[row["Afdeling"]] = debits.get(row["Afdeling"], 0) + ore(row["Debet"])
    codes = {*part, *received}
    assert {code: credits.get(code, 0) for code in codes} == {
        code: part.get(code, 0) - kept.get(code, 0) for code in codes}
    assert {code: debits.get(code, 0) for code in codes} == {
        code: received.get(code, 0) - kept.get(code, 0) for code in codes}

    summary = bookkeeping.summarise(bookkeeping.postings(demo, actor=FINANCE, period=YEAR))
    assert summary.refunds == {
        code: received.get(code, 0) - part.get(code, 0) for code in sorted(codes)
        if received.get(code, 0) != part.get(code, 0)}


def test_the_year_file_balances_per_date_with_the_share_back(demo: Session) -> None:
    rows = csv_rows(file_bytes(demo, YEAR))
    shared_back = [row for row in rows if not row["Indsats"]]
    assert shared_back and len(shared_back) % 2 == 0
    for chosen in (rows, shared_back):
        days: dict[str, list[int]] = {}
        for row in chosen:
            pair = days.setdefault(row["Bilagsdato"], [0, 0])
            pair[0] += ore(row["Debet"])
            pair[1] += ore(row["Kredit"])
        assert len(days) == 12 and all(debit == credit for debit, credit in days.values())
    g69 = file_bytes(demo, YEAR, "g69").decode("iso-8859-1")
    assert g69.count("&153Refusion 2026-") == len(shared_back)


def test_a_case_without_a_refund_gets_no_share_back_legs(demo: Session) -> None:
    scenario = figures.scenario_records(demo)
    found = refunds(scenario, figures.allocation(demo, period=YEAR)).refunds
    refunded = {refund.case for refund in found}
    without = {iv.case for iv in scenario.interventions if iv.refundable} - refunded
    assert refunded and without  # households with refundable cost below the thresholds too
    # A refund whose parts all go to the payers themselves is kept where finance booked it.
    passed_to_others = {refund.case for refund in found
                        if any(department != payer for department, payer, _ in refund.sources)}
    rows = share_back_rows(file_bytes(demo, YEAR))
    assert {row["Sag"] for row in rows} == passed_to_others
    assert not passed_to_others & without


def placement(session: Session) -> str:
    """The demo's refundable placement shared with another department than its payer."""
    scenario = figures.scenario_records(session)
    return next(iv.id for iv in scenario.interventions
                if iv.refundable and iv.title == "Anbringelse på specialiseret døgninstitution")


def passed_on(session: Session, period: Period) -> dict[tuple[str, str, str, str], int]:
    """(month, case, department, payer) → the share-back entry's amount the months give now."""
    scenario = figures.scenario_records(session)
    return {
        (refund.month, refund.case, department, payer): -amount
        for refund in refunds(scenario, allocate(scenario, period)).refunds
        for department, payer, amount in refund.sources
    }


def test_a_changed_refundable_cost_of_a_closed_month_moves_its_share_back_in_the_next_month(
    demo: Session,
) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    closed_csv, closed_g69 = file_bytes(demo, FIRST_QUARTER), file_bytes(demo, FIRST_QUARTER, "g69")
    assert share_back_rows(closed_csv)
    was = passed_on(demo, CLOSED)
    ident = placement(demo)
    intervention = get_intervention(demo, actor=FINANCE, id=ident)
    case = lookup.case(demo, intervention.case)
    caseworker = Actor(case.coordinator, Role.CASEWORKER, intervention.paid_by)
    current = intervention.cost
    cost = {"amount": "171000.00", "per": current.per, "start": current.start.isoformat(),
            "end": current.end.isoformat() if current.end else None}
    update_intervention(demo, actor=caseworker, id=ident, version=intervention.version,
                        data={"cost": cost})

    assert file_bytes(demo, FIRST_QUARTER) == closed_csv
    assert file_bytes(demo, FIRST_QUARTER, "g69") == closed_g69
    now = passed_on(demo, CLOSED)
    difference = {key: now.get(key, 0) - was.get(key, 0) for key in {*now, *was}}
    found = bookkeeping.postings(demo, actor=FINANCE, period=APRIL)
    carried = {(e.month, e.case, e.department, e.paid_by): e.amount
               for e in found.corrections if e.is_refund}
    assert carried == {key: amount for key, amount in difference.items() if amount}
    assert any(department != payer and amount for (_, _, department, payer), amount
               in carried.items())
    assert {e.month for e in found.corrections if e.is_refund} >= {"2026-01", "2026-03"}
    assert all(e.posted_in == "2026-04" for e in found.corrections)

    april = file_bytes(demo, APRIL)
    rows = [row for row in csv_rows(april) if row["Tekst"].startswith("Efterregulering refusion")]
    nets: dict[str, int] = {}
    for row in rows:
        assert row["Bilagsdato"] == "30-04-2026" and row["Sag"] == case.ref
        nets[row["Afdeling"]] = nets.get(row["Afdeling"], 0) + ore(row["Debet"]) - ore(
            row["Kredit"])
    expected: dict[str, int] = {}
    for (_, _, department, payer), amount in carried.items():
        if department != payer:
            expected[department] = expected.get(department, 0) + amount
            expected[payer] = expected.get(payer, 0) - amount
    assert {code: net for code, net in nets.items() if net} == {
        code: net for code, net in expected.items() if net}

    # Closing April freezes the corrections with it: its file stays, May carries none.
    closing.close_months(demo, actor=FINANCE, month="2026-04", today=TODAY)
    assert file_bytes(demo, APRIL) == april
    assert bookkeeping.postings(demo, actor=FINANCE, period=MAY).corrections == ()
    assert file_bytes(demo, FIRST_QUARTER) == closed_csv


def test_closing_freezes_the_share_back_as_it_was_shown(demo: Session) -> None:
    before = passed_on(demo, FIRST_QUARTER)
    shown, shown_g69 = file_bytes(demo, FIRST_QUARTER), file_bytes(demo, FIRST_QUARTER, "g69")
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    found = bookkeeping.postings(demo, actor=FINANCE, period=FIRST_QUARTER)
    frozen = {(e.month, e.case, e.department, e.paid_by): e.amount
              for e in found.entries() if e.is_refund}
    assert frozen == before and frozen
    assert closing.pending_corrections(demo)[1] == []
    assert file_bytes(demo, FIRST_QUARTER) == shown
    assert file_bytes(demo, FIRST_QUARTER, "g69") == shown_g69
