"""The refund in the controller workbook: ``Refusionsberettiget`` and ``Refusionssatser`` round
trip unchanged, rates change only by an administrator's hand, bad cells are named and change
nothing, and older workbooks without the new column keep what is stored."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from finans.excel.imports import import_workbook
from finans.excel.writer import write_controller_workbook
from finans.services.actor import Actor, Role
from finans.services.figures import scenario_records
from finans.services.scenario import dump_scenario
from finans.store.db import make_engine
from tests.excel.conftest import ADMIN, MONTH, find_row, set_cells

CONTROLLER = Actor("controller.job", Role.CONTROLLER, "JOB")


@pytest.fixture
def municipality(demo_sqlite: Path, tmp_path: Path) -> Iterator[Session]:
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def workbook(municipality: Session, tmp_path: Path) -> Path:
    path = tmp_path / "eksport.xlsx"
    write_controller_workbook(path, scenario_records(municipality), MONTH)
    return path


def refundable(session: Session) -> dict[str, bool]:
    return {iv["id"]: iv["refundable"] for iv in dump_scenario(session)["interventions"]}


def rates(session: Session) -> dict[str, object]:
    return dump_scenario(session)["refund"]["years"]


def test_the_export_writes_each_interventions_stored_refundable_as_ja_or_nej(
    municipality: Session, workbook: Path
) -> None:
    stored = refundable(municipality)
    sheet = load_workbook(workbook, read_only=True)["Indsatser"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = header.index("Refusionsberettiget")
    assert {row[0]: row[column] for row in rows} == {
        ident: "ja" if value else "nej" for ident, value in stored.items()}
    assert set(stored.values()) == {True, False}


def test_the_rates_sheet_holds_every_year_and_reimports_unchanged(
    municipality: Session, workbook: Path
) -> None:
    sheet = load_workbook(workbook, read_only=True)["Refusionssatser"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == ["År", "Grænse 1", "Grænse 2", "Grænse 3", "Pct. 1", "Pct. 2",
                            "Pct. 3"]
    assert [row[0] for row in rows] == [int(year) for year in rates(municipality)]
    before = dump_scenario(municipality)
    for actor in (ADMIN, CONTROLLER):
        result = import_workbook(municipality, actor=actor, source=workbook, apply=True)
        assert result.problems == [] and result.changes == 0
    assert dump_scenario(municipality) == before


def test_a_changed_refundable_cell_changes_that_intervention_only(
    municipality: Session, workbook: Path
) -> None:
    before = refundable(municipality)
    ident = next(key for key, value in before.items() if value)
    row = find_row(workbook, "Indsatser", {"ID": ident})
    set_cells(workbook, {row["Refusionsberettiget"]: "  Nej "})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert result.problems == []
    changed = [change for change in result.report.interventions.changed]  # type: ignore[union-attr]
    assert [(c.key, c.fields) for c in changed] == [(ident, ("refundable",))]
    assert refundable(municipality) == {**before, ident: False}


def test_an_empty_refundable_cell_means_nej(municipality: Session, workbook: Path) -> None:
    ident = next(key for key, value in refundable(municipality).items() if value)
    row = find_row(workbook, "Indsatser", {"ID": ident})
    set_cells(workbook, {row["Refusionsberettiget"]: None})
    assert import_workbook(municipality, actor=ADMIN, source=workbook, apply=True).changes == 1
    assert refundable(municipality)[ident] is False


def test_a_word_that_is_not_ja_or_nej_is_named_at_its_cell(
    municipality: Session, workbook: Path
) -> None:
    before = dump_scenario(municipality)
    row = find_row(workbook, "Indsatser", {"ID": "I-1"})
    set_cells(workbook, {row["Refusionsberettiget"]: "måske"})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert [p.where for p in result.problems] == [row["Refusionsberettiget"]]
    assert "ja, nej" in result.problems[0].message
    assert dump_scenario(municipality) == before


def test_a_workbook_without_the_column_keeps_what_is_stored(
    municipality: Session, workbook: Path, tmp_path: Path
) -> None:
    before = dump_scenario(municipality)
    book = load_workbook(workbook)
    sheet = book["Indsatser"]
    sheet.delete_cols(sheet.max_column)
    del book["Refusionssatser"]
    older = tmp_path / "aeldre.xlsx"
    book.save(older)
    result = import_workbook(municipality, actor=ADMIN, source=older, apply=True)
    assert result.problems == [] and result.changes == 0
    assert "Refusionssatser" not in [counts.sheet for counts in result.sheets()]
    assert dump_scenario(municipality) == before


def test_an_administrator_changes_and_adds_rates_through_the_sheet(
    municipality: Session, workbook: Path
) -> None:
    last = max(int(year) for year in rates(municipality))
    set_cells(workbook, {"Refusionssatser!B2": 900000, "Refusionssatser!A10": last + 1,
                         "Refusionssatser!B10": "1.100.000", "Refusionssatser!C10": 2150000,
                         "Refusionssatser!D10": 2700000, "Refusionssatser!E10": 25,
                         "Refusionssatser!F10": "50", "Refusionssatser!G10": 75})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert result.problems == []
    report = result.report
    assert report is not None and report.refund_rates.created == [str(last + 1)]
    first = min(rates(municipality))
    assert [change.key for change in report.refund_rates.changed] == [first]
    stored = rates(municipality)
    assert stored[first]["thresholds"][0] == "900000.00"  # type: ignore[index]
    assert stored[first]["statutory"] is False  # type: ignore[index]
    assert stored[str(last + 1)]["thresholds"] == [  # type: ignore[index]
        "1100000.00", "2150000.00", "2700000.00"]


def test_others_changing_a_rate_are_refused_at_its_row_and_nothing_is_saved(
    municipality: Session, workbook: Path
) -> None:
    before = dump_scenario(municipality)
    set_cells(workbook, {"Refusionssatser!C3": 1700000})
    result = import_workbook(municipality, actor=CONTROLLER, source=workbook, apply=True)
    assert [(p.code, p.where) for p in result.problems] == [("admin_only",
                                                               "Refusionssatser!A3")]
    assert result.problems[0].message == "Som controller kan du ikke ændre refusionssatserne."
    assert dump_scenario(municipality) == before


def test_bad_rate_cells_are_each_named_and_nothing_is_saved(
    municipality: Session, workbook: Path
) -> None:
    before = dump_scenario(municipality)
    set_cells(workbook, {"Refusionssatser!B2": "mange", "Refusionssatser!D3": 1000,
                         "Refusionssatser!F3": 150, "Refusionssatser!A4": 2025.5})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert sorted(p.where for p in result.problems) == [
        "Refusionssatser!A4", "Refusionssatser!B2", "Refusionssatser!D3", "Refusionssatser!F3"]
    assert dump_scenario(municipality) == before
