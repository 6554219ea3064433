"""Postings and closed months on the demo municipality, on SQLite and PostgreSQL.

Closing freezes what the months posted; later changes to closed months come back as corrections
in the first open month, and the closed months' files stay byte for byte as they were.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from finans.allocation.engine import allocate
from finans.allocation.money import format_ore
from finans.allocation.postings import last_day, months_of
from finans.allocation.records import Period, Scenario
from finans.allocation.settlement import net_positions
from finans.excel.writer import write_controller_workbook
from finans.ledger import G69Settings
from finans.services import bookkeeping, closing, figures, lookup
from finans.services.actor import Actor, Role
from finans.services.casework import intervention_correction, preview_split
from finans.services.departments import get_department, update_department
from finans.services.errors import Forbidden, ServiceError
from finans.services.interventions import get_intervention, update_intervention
from finans.services.splits import propose_split
from finans.store import models
from tests.conftest import load_demo

TODAY = date(2026, 11, 23)
FINANCE = Actor("okonomi", Role.FINANCE)
ADMIN = Actor("admin", Role.ADMIN)
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
FIRST_QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))
G69 = G69Settings(machine_number=482, municipality=151)


@pytest.fixture
def demo(session: Session) -> Session:
    return load_demo(session, TODAY)


def file_bytes(session: Session, period: Period, file_format: str = "csv") -> bytes:
    target = io.BytesIO()
    found = bookkeeping.postings(session, actor=FINANCE, period=period)
    bookkeeping.write_file(found, target, file_format, G69)  # type: ignore[arg-type]
    return target.getvalue()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def ore(text: str) -> int:
    kroner, _, rest = text.partition(",")
    return int(kroner) * 100 + int(rest or 0) if text else 0


def shared_intervention(scenario: Scenario) -> str:
    """A demo intervention with cost in February and March 2026 and no version from 10-02."""
    lines = allocate(scenario, Period(date(2026, 2, 1), date(2026, 3, 31))).lines
    costed = {line.intervention for line in lines}
    return next(
        iv.id for iv in scenario.interventions
        if iv.id in costed and iv.cost.per.value == "month"
        and all(split.effective_from != date(2026, 2, 10) for split in iv.splits)
    )


def reassess_back(session: Session, ident: str, other: str = "JOB") -> None:
    """Agree at a meeting that ``other`` and the payer share the intervention from 10-02-2026."""
    intervention = get_intervention(session, actor=ADMIN, id=ident)
    case = lookup.case(session, intervention.case)
    payer = intervention.paid_by
    other = other if other != payer else "SKO"
    caseworker = Actor(case.coordinator, Role.CASEWORKER, payer)
    propose_split(
        session, actor=caseworker, intervention=ident,
        data={"effective_from": "2026-02-10", "method": "fixed",
              "shares": {payer: "30", other: "70"}, "rationale": "Revurderet bagud"},
        meeting={payer: "Anne Holm", other: "Bo Vang"},
    )


def test_the_years_posting_file_balances_per_date_and_nets_to_the_settlement(
    demo: Session,
) -> None:
    found = bookkeeping.postings(demo, actor=FINANCE, period=YEAR)
    summary = bookkeeping.summarise(found)
    allocation = figures.allocation(demo, period=YEAR)
    assert summary.legs > 1000
    assert summary.balanced
    assert list(summary.days) == [last_day(month).isoformat() for month in months_of(YEAR)]
    # Each department nets to its settlement position, and to what the refund's share-back
    # moves (tested on its own in test_services_refund_postings.py).
    nets = {code: summary.refunds.get(code, 0) - position
            for code, position in net_positions(allocation).items()}
    assert summary.refunds and set(summary.refunds) <= set(nets)
    assert summary.departments == {code: net for code, net in nets.items() if net}
    assert summary.corrections == ()


def test_reading_the_csv_back_gives_the_allocation(demo: Session) -> None:
    rows = csv_rows(file_bytes(demo, YEAR))
    allocation = figures.allocation(demo, period=YEAR)
    debits: dict[tuple[str, str, str], int] = {}
    nets: dict[str, int] = {}
    for row in rows:
        if not row["Tekst"].startswith("Fælles finansiering "):
            assert row["Tekst"].startswith("Refusion ") and not row["Indsats"]
            continue
        net = ore(row["Debet"]) - ore(row["Kredit"])
        nets[row["Afdeling"]] = nets.get(row["Afdeling"], 0) + net
        if row["Debet"]:
            month = row["Tekst"].split()[2]
            key = (row["Indsats"], month, row["Afdeling"])
            debits[key] = debits.get(key, 0) + ore(row["Debet"])
    assert debits == {
        (line.intervention, line.month, line.department): line.amount
        for line in allocation.lines if line.department != line.paid_by
    }
    for code, total in allocation.totals.items():
        assert nets.get(code, 0) + allocation.paid.get(code, 0) == total


def test_a_cash_benefit_is_credited_on_its_own_account(demo: Session) -> None:
    scenario = figures.scenario_records(demo)
    cash = {iv.id for iv in scenario.interventions if iv.account == "5.57.72"}
    rows = csv_rows(file_bytes(demo, YEAR))
    credited = {row["Kontostreng"] for row in rows if row["Kredit"] and row["Indsats"] in cash}
    assert cash and credited == {"5.57.72"}


def test_closing_freezes_what_was_shown_and_a_reassessment_back_is_corrected_in_april(
    demo: Session,
) -> None:
    before_csv, before_g69 = file_bytes(demo, FIRST_QUARTER), file_bytes(demo, FIRST_QUARTER, "g69")
    result = closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    assert result.closed[-3:] == ("2026-01", "2026-02", "2026-03")
    assert result.closed_through == "2026-03" and result.corrections == 0
    assert file_bytes(demo, FIRST_QUARTER) == before_csv
    scenario = figures.scenario_records(demo)
    ident = shared_intervention(scenario)
    was = allocate(scenario, Period(date(2026, 2, 1), date(2026, 3, 31)))
    april_before = csv_rows(file_bytes(demo, APRIL))

    reassess_back(demo, ident)

    assert file_bytes(demo, FIRST_QUARTER) == before_csv
    assert file_bytes(demo, FIRST_QUARTER, "g69") == before_g69
    now = allocate(figures.scenario_records(demo), Period(date(2026, 2, 1), date(2026, 3, 31)))
    expected: dict[tuple[str, str], int] = {}
    for sign, lines in ((1, now.lines), (-1, was.lines)):
        for line in lines:
            if line.intervention == ident:
                key = (line.month, line.department)
                expected[key] = expected.get(key, 0) + sign * line.amount
    found = bookkeeping.postings(demo, actor=FINANCE, period=APRIL)
    assert {(e.month, e.department): e.amount for e in found.corrections} == {
        key: amount for key, amount in expected.items() if amount
    }
    april = csv_rows(file_bytes(demo, APRIL))
    corrections = [row for row in april if row["Tekst"].startswith("Efterregulering")]
    assert [row for row in april if row["Indsats"] != ident] == [
        row for row in april_before if row["Indsats"] != ident]
    assert {row["Tekst"] for row in corrections} == {
        f"Efterregulering {month} {ident}" for month, _ in expected}
    assert all(row["Bilagsdato"] == "30-04-2026" for row in corrections)
    assert bookkeeping.summarise(found).balanced


def test_closing_april_freezes_the_corrections_and_may_carries_none(demo: Session) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    reassess_back(demo, shared_intervention(figures.scenario_records(demo)))
    april = file_bytes(demo, APRIL)
    result = closing.close_months(demo, actor=ADMIN, month="2026-04", today=TODAY)
    assert result.closed == ("2026-04",) and result.corrections > 0
    assert file_bytes(demo, APRIL) == april
    may = bookkeeping.postings(demo, actor=FINANCE, period=Period(date(2026, 5, 1),
                                                                   date(2026, 5, 31)))
    assert may.corrections == ()
    _, due = closing.pending_corrections(demo)
    assert due == []


def test_a_changed_cost_and_an_earlier_end_are_corrected_per_department(demo: Session) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    ident = shared_intervention(figures.scenario_records(demo))
    intervention = get_intervention(demo, actor=ADMIN, id=ident)
    case = lookup.case(demo, intervention.case)
    caseworker = Actor(case.coordinator, Role.CASEWORKER, intervention.paid_by)
    current = intervention.cost
    cost = {"amount": format_ore(current.amount), "per": current.per,
            "start": current.start.isoformat(), "end": "2026-02-14"}
    was = allocate(figures.scenario_records(demo), FIRST_QUARTER)
    update_intervention(demo, actor=caseworker, id=ident, version=intervention.version,
                        data={"cost": cost})
    now = allocate(figures.scenario_records(demo), FIRST_QUARTER)
    moved: dict[str, int] = {}
    for sign, lines in ((1, now.lines), (-1, was.lines)):
        for line in lines:
            if line.intervention == ident:
                moved[line.department] = moved.get(line.department, 0) + sign * line.amount
    preview = intervention_correction(demo, actor=caseworker, intervention=ident)
    assert preview is not None and preview.posted_in == "2026-04"
    assert preview.departments == {code: amount for code, amount in moved.items() if amount}
    assert all(amount < 0 for amount in preview.departments.values())


def test_a_split_preview_dated_into_a_closed_month_shows_the_correction(demo: Session) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    ident = shared_intervention(figures.scenario_records(demo))
    intervention = get_intervention(demo, actor=ADMIN, id=ident)
    case = lookup.case(demo, intervention.case)
    caseworker = Actor(case.coordinator, Role.CASEWORKER, intervention.paid_by)
    payer = intervention.paid_by
    other = "JOB" if payer != "JOB" else "SKO"
    data = {"effective_from": "2026-02-10", "method": "fixed",
            "shares": {payer: "30", other: "70"}}
    preview = preview_split(demo, actor=caseworker, intervention=ident, data=data, today=TODAY)
    assert preview.correction is not None
    assert preview.correction.closed_through == "2026-03"
    assert set(preview.correction.departments) >= {other}
    assert sum(preview.correction.departments.values()) == 0
    later = preview_split(demo, actor=caseworker, intervention=ident,
                          data={**data, "effective_from": "2026-04-01"}, today=TODAY)
    assert later.correction is None


def test_closed_months_keep_the_account_strings_they_were_booked_on(demo: Session) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    before = file_bytes(demo, FIRST_QUARTER)
    job = get_department(demo, code="JOB")
    update_department(demo, actor=ADMIN, code="JOB", version=job.version,
                      data={"account": "5.68.91 2002"})
    assert file_bytes(demo, FIRST_QUARTER) == before
    april = csv_rows(file_bytes(demo, APRIL))
    assert "5.68.91 2002" in {row["Kontostreng"] for row in april if row["Afdeling"] == "JOB"}


def test_closing_again_changes_nothing_and_is_written_to_the_audit_log(demo: Session) -> None:
    first = closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    count = demo.exec(select(func.count()).select_from(models.PostedAmount)).one()
    assert count == first.entries > 0
    again = closing.close_months(demo, actor=FINANCE, month="2026-02", today=TODAY)
    assert again.closed == () and again.closed_through == "2026-03"
    assert demo.exec(select(func.count()).select_from(models.PostedAmount)).one() == count
    entries = demo.exec(select(models.AuditEntry).where(models.AuditEntry.entity == "period"))
    assert [(e.action, e.key, e.actor) for e in entries] == [("close", "2026-03", "okonomi")]
    view = closing.closed_months(demo, actor=Actor("leder", Role.MANAGER))
    assert view.closed_through == "2026-03" and view.first_open == "2026-04"


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.CONTROLLER, Role.MANAGER])
def test_only_finance_and_administrators_close_months_and_take_postings(
    demo: Session, role: Role
) -> None:
    someone = Actor("someone", role, "BFH" if role in (Role.CASEWORKER, Role.CONTROLLER) else None)
    with pytest.raises(Forbidden):
        closing.close_months(demo, actor=someone, month="2026-03", today=TODAY)
    with pytest.raises(Forbidden):
        bookkeeping.postings(demo, actor=someone, period=YEAR)
    assert closing.closed_through(demo) is None


@pytest.mark.parametrize(("month", "code"), [
    ("2026-12", "month_not_begun"), ("2026-13", "bad_month"), ("marts", "bad_month"), (None,
                                                                                     "bad_month"),
])
def test_a_month_not_begun_or_not_a_month_is_refused_where_it_stands(
    demo: Session, month: object, code: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        closing.close_months(demo, actor=FINANCE, month=month, today=TODAY)
    assert [(p.code, p.where) for p in refused.value.problems] == [(code, "month")]
    assert closing.closed_through(demo) is None


def test_a_department_without_an_account_string_stops_postings_and_closing(
    demo: Session,
) -> None:
    job = get_department(demo, code="JOB")
    update_department(demo, actor=ADMIN, code="JOB", version=job.version, data={"account": ""})
    with pytest.raises(ServiceError) as refused:
        bookkeeping.postings(demo, actor=FINANCE, period=YEAR)
    assert [(p.code, p.where) for p in refused.value.problems] == [
        ("account_missing", "departments.JOB.account")]
    with pytest.raises(ServiceError):
        closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    assert closing.closed_through(demo) is None
    assert demo.exec(select(func.count()).select_from(models.PostedAmount)).one() == 0


def test_the_database_refuses_a_second_freeze_and_any_change_to_a_closed_month(
    demo: Session,
) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    connection = demo.connection()
    with pytest.raises(IntegrityError):
        with connection.begin_nested():
            connection.execute(text(
                "INSERT INTO closed_months (month, closed_at, closed_by) "
                "VALUES ('2026-03', CURRENT_TIMESTAMP, 'x')"))
    with pytest.raises(IntegrityError):
        with connection.begin_nested():
            connection.execute(text(
                "INSERT INTO posted_amounts (posted_in, line, month, intervention, case_ref, "
                "department, paid_by, amount, account, payer_account) SELECT posted_in, "
                "line + 1000000, month, intervention, case_ref, department, paid_by, amount, "
                "account, payer_account FROM posted_amounts WHERE posted_in = '2026-03'"))
    row = demo.exec(select(models.PostedAmount).limit(1)).one()
    row.amount += 1
    with pytest.raises(RuntimeError):
        demo.flush()
    demo.rollback()
    with pytest.raises(RuntimeError):
        demo.delete(demo.exec(select(models.ClosedMonth).limit(1)).one())
        demo.flush()


def test_two_closes_at_the_same_moment_freeze_the_months_once(
    new_session: Callable[[], Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with new_session() as setup:
        load_demo(setup, TODAY)
    both_read = threading.Barrier(2, timeout=30)
    read_records = figures.scenario_records

    def read_together(*args: Any, **kwargs: Any) -> Scenario:
        found = read_records(*args, **kwargs)
        both_read.wait()
        return found

    monkeypatch.setattr(figures, "scenario_records", read_together)
    results: list[object] = []

    def close() -> None:
        with new_session() as session:
            try:
                results.append(closing.close_months(session, actor=FINANCE, month="2026-03",
                                                    today=TODAY))
            except Exception as error:  # noqa: BLE001 - the test looks at what each got
                results.append(error)

    threads = [threading.Thread(target=close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 2
    assert all(isinstance(result, closing.CloseResult) for result in results), results
    closed = sorted((result for result in results if isinstance(result, closing.CloseResult)),
                    key=lambda result: len(result.closed))
    assert closed[0].closed == () and closed[0].closed_through == "2026-03"
    assert closed[1].closed[-1] == "2026-03" and closed[1].entries > 0
    with new_session() as check:
        rows = check.exec(select(func.count()).select_from(models.PostedAmount)).one()
        months = check.exec(select(func.count()).select_from(models.ClosedMonth)).one()
    assert rows == closed[1].entries
    assert months == len(closed[1].closed)


def test_the_workbook_shows_closed_months_as_booked_and_marks_the_corrections(
    demo: Session, tmp_path: Path
) -> None:
    closing.close_months(demo, actor=FINANCE, month="2026-03", today=TODAY)
    ident = shared_intervention(figures.scenario_records(demo))
    reassess_back(demo, ident)
    scenario = figures.scenario_records(demo)
    path = tmp_path / "controller.xlsx"
    write_controller_workbook(path, scenario, YEAR, bookings=bookkeeping.bookings(demo, YEAR))
    workbook = load_workbook(path)
    rows = list(workbook["Fordelt"].iter_rows(min_row=2, values_only=True))
    marked = [row for row in rows if row[6] is not None]
    assert marked and {row[0] for row in marked} == {ident}
    assert all(row[2].month == 4 and row[6].month in (2, 3) for row in marked)
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row[3]] = totals.get(row[3], Decimal(0)) + Decimal(str(row[5]))
    allocation = allocate(scenario, YEAR)
    assert totals == {code: Decimal(amount).scaleb(-2)
                      for code, amount in allocation.totals.items()}
    listed = list(workbook["Efterregulering"].iter_rows(min_row=2, values_only=True))
    assert len(listed) == len(marked)
