"""Importing workbooks into the database: dry runs, all-or-nothing applies, immutable agreements."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from finans.allocation.records import Scenario, SplitVersion
from finans.excel.imports import import_workbook
from finans.excel.template import write_template
from finans.excel.writer import write_controller_workbook
from finans.services.actor import Actor, Role
from finans.services.errors import Forbidden
from finans.services.figures import records_with_split_ids, scenario_records
from finans.services.scenario import dump_scenario
from finans.store.db import make_engine
from tests.conftest import load_demo
from tests.excel.conftest import ADMIN, DEMO_DAY, MONTH, find_row, set_cells

CONTROLLER = Actor("controller.job", Role.CONTROLLER, "JOB")


@pytest.fixture
def municipality(demo_sqlite: Path, tmp_path: Path) -> Iterator[Session]:
    """A session on a SQLite database holding the demo municipality."""
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        yield session
    engine.dispose()


def export(session: Session, folder: Path) -> Path:
    """The database's controller workbook for January 2026."""
    path = folder / "eksport.xlsx"
    write_controller_workbook(path, scenario_records(session), MONTH)
    return path


@pytest.fixture
def workbook(municipality: Session, tmp_path: Path) -> Path:
    return export(municipality, tmp_path)


def export_with_ids(session: Session, folder: Path) -> Path:
    """The controller workbook as ``finans export`` writes it: each version with its id."""
    path = folder / "eksport-med-id.xlsx"
    scenario, split_ids = records_with_split_ids(session)
    write_controller_workbook(path, scenario, MONTH, split_ids=split_ids)
    return path


def splits_of(session: Session, intervention: str) -> list[dict[str, Any]]:
    data = dump_scenario(session)
    return next(iv for iv in data["interventions"] if iv["id"] == intervention)["splits"]


def a_proposal(session: Session) -> tuple[str, SplitVersion]:
    """A proposed fixed split and its intervention's id."""
    for intervention in scenario_records(session).interventions:
        for split in intervention.splits:
            if split.status.value == "proposed" and split.method.value == "fixed":
                return intervention.id, split
    raise LookupError


def test_reimporting_an_unchanged_export_changes_nothing(session: Session, tmp_path: Path) -> None:
    municipality = load_demo(session, DEMO_DAY)
    workbook = export(municipality, tmp_path)
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert result.problems == []
    assert result.changes == 0
    assert [(s.sheet, s.created, s.changed) for s in result.sheets()] == [
        ("Afdelinger", 0, 0), ("Sager", 0, 0), ("Indsatser", 0, 0), ("Fordeling", 0, 0),
        ("Refusionssatser", 0, 0),
    ]
    assert sum(s.unchanged for s in result.sheets()) > 300


def test_a_changed_proposed_share_is_exactly_one_change(session: Session, tmp_path: Path) -> None:
    municipality = load_demo(session, DEMO_DAY)
    workbook = export(municipality, tmp_path)
    ident, split = a_proposal(municipality)
    (first, _), (second, _) = split.shares[:2]
    rows = [
        find_row(workbook, "Fordeling", {"Indsats-ID": ident, "Status": "foreslået",
                                         "Afdeling": code})
        for code in (first, second)
    ]
    given = dict(split.shares)
    set_cells(workbook, {rows[0]["Andel %"]: float(given[first] - 5),
                         rows[1]["Andel %"]: float(given[second] + 5)})
    dry = import_workbook(municipality, actor=ADMIN, source=workbook)
    assert dry.problems == [] and dry.changes == 1 and not dry.applied
    before = dump_scenario(municipality)
    assert splits_of(municipality, ident) == next(
        iv for iv in before["interventions"] if iv["id"] == ident)["splits"]
    applied = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert applied.applied and applied.changes == 1
    assert [c.key for c in applied.report.splits.changed] == [
        f"{ident}/{split.effective_from.isoformat()}"
    ]
    stored = next(s for s in splits_of(municipality, ident) if s["status"] == "proposed")
    assert {code: Decimal(value) for code, value in stored["shares"].items()} == {
        **given, first: given[first] - 5, second: given[second] + 5
    }


def test_a_share_total_of_90_percent_names_the_cell_and_changes_nothing(
    municipality: Session, workbook: Path
) -> None:
    ident, split = a_proposal(municipality)
    code = split.shares[0][0]
    row = find_row(workbook, "Fordeling", {"Indsats-ID": ident, "Status": "foreslået",
                                           "Afdeling": code})
    set_cells(workbook, {row["Andel %"]: float(dict(split.shares)[code] - 10)})
    before = dump_scenario(municipality)
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert not result.applied
    (problem,) = result.problems
    assert problem.code == "shares_sum" and problem.where.startswith("Fordeling!G")
    assert "summerer til 90 %, ikke 100 %" in problem.message
    assert dump_scenario(municipality) == before


def test_changing_an_agreed_version_says_to_add_a_new_version(
    municipality: Session, workbook: Path
) -> None:
    row = find_row(workbook, "Fordeling", {"Indsats-ID": "I-1", "Status": "aftalt",
                                           "Afdeling": "BFH"})
    other = find_row(workbook, "Fordeling", {"Indsats-ID": "I-1", "Status": "aftalt",
                                             "Afdeling": "JOB"})
    set_cells(workbook, {row["Andel %"]: 70, other["Andel %"]: 30})
    before = dump_scenario(municipality)
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    (problem,) = result.problems
    assert problem.code == "immutable_split"
    assert problem.where == row["Gælder fra"]
    assert "ny version med en senere 'Gælder fra'" in problem.message
    assert dump_scenario(municipality) == before


def test_a_new_version_enters_the_workflow_as_a_proposal(
    municipality: Session, workbook: Path
) -> None:
    row = find_row(workbook, "Fordeling", {"Indsats-ID": "I-1", "Status": "aftalt",
                                           "Afdeling": "BFH"})
    other = find_row(workbook, "Fordeling", {"Indsats-ID": "I-1", "Status": "aftalt",
                                             "Afdeling": "JOB"})
    new = date(2026, 9, 1)
    set_cells(workbook, {row["Gælder fra"]: new, other["Gælder fra"]: new})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert result.problems == [] and result.applied
    assert result.report.splits.created == [f"I-1/{new.isoformat()}"]
    created = next(s for s in splits_of(municipality, "I-1") if s["effective_from"] == "2026-09-01")
    assert created["status"] == "proposed" and created.get("decisions", []) == []


def test_a_controller_may_import_but_not_change_departments(
    municipality: Session, workbook: Path
) -> None:
    set_cells(workbook, {"Afdelinger!B2": "Nyt navn"})
    result = import_workbook(municipality, actor=CONTROLLER, source=workbook, apply=True)
    assert [(p.code, p.where) for p in result.problems] == [("admin_only", "Afdelinger!B2")]
    assert not result.applied


def test_a_manager_may_not_import(municipality: Session, workbook: Path) -> None:
    with pytest.raises(Forbidden):
        import_workbook(municipality, actor=Actor("leder", Role.MANAGER), source=workbook)


def test_an_unchanged_template_changes_nothing_even_beside_a_rejected_version(
    municipality: Session, demo: Scenario, tmp_path: Path
) -> None:
    stored = scenario_records(municipality)
    intervention = next(
        iv for iv in stored.interventions
        if len({s.effective_from for s in iv.splits}) < len(iv.splits)
    )
    case = next(case for case in stored.cases if case.ref == intervention.case)
    path = tmp_path / "lagkage.xlsx"
    write_template(path, stored.departments, case,
                   [iv for iv in stored.interventions if iv.case == case.ref])
    result = import_workbook(municipality, actor=ADMIN, source=path, apply=True)
    assert result.problems == [] and result.changes == 0
    assert {s.sheet for s in result.sheets()} == {"Afdelinger", "Lagkage"}


@pytest.mark.parametrize("kind", ["csv", "xlsm", "formula", "zip bomb"])
def test_hostile_files_change_nothing(
    kind: str, municipality: Session, workbook: Path, tmp_path: Path
) -> None:
    if kind == "csv":
        path = tmp_path / "fil.xlsx"
        path.write_text("Kode;Navn\n=cmd;x\n", encoding="utf-8")
    elif kind == "xlsm":
        path = tmp_path / "fil.xlsm"
        path.write_bytes(workbook.read_bytes())
    elif kind == "formula":
        path = set_cells(workbook, {"Sager!B2": '=HYPERLINK("http://evil.example","x")'})
    else:
        path = tmp_path / "bombe.xlsx"
        with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(path, "w") as bomb:
            for name in source.namelist():
                bomb.writestr(name, source.read(name), zipfile.ZIP_DEFLATED)
            bomb.writestr("xl/media/nul.bin", b"\0" * (30 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    before = dump_scenario(municipality)
    result = import_workbook(municipality, actor=ADMIN, source=path, apply=True)
    assert result.problems and not result.applied
    assert dump_scenario(municipality) == before


def test_a_row_named_by_its_id_may_not_change_an_agreed_version_and_says_to_clear_the_id(
    municipality: Session, tmp_path: Path
) -> None:
    workbook = export_with_ids(municipality, tmp_path)
    rows = [find_row(workbook, "Fordeling", {"Indsats-ID": "I-1", "Status": "aftalt",
                                             "Afdeling": code}) for code in ("BFH", "JOB")]
    new = date(2026, 9, 1)
    set_cells(workbook, {row["Gælder fra"]: new for row in rows})
    before = dump_scenario(municipality)
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    (problem,) = result.problems
    assert (problem.code, problem.where) == ("immutable_split", rows[0]["Gælder fra"])
    assert problem.message.endswith("senere 'Gælder fra' og et tomt Fordelings-ID")
    assert dump_scenario(municipality) == before
    set_cells(workbook, {row["Fordelings-ID"]: None for row in rows})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert result.problems == [] and result.report is not None
    assert result.report.splits.created == [f"I-1/{new.isoformat()}"]


def test_an_open_version_named_by_its_id_moves_to_another_day(
    municipality: Session, tmp_path: Path
) -> None:
    workbook = export_with_ids(municipality, tmp_path)
    ident, split = a_proposal(municipality)
    new = date(2027, 6, 1)
    rows = [find_row(workbook, "Fordeling", {"Indsats-ID": ident, "Status": "foreslået",
                                             "Afdeling": code}) for code, _ in split.shares]
    set_cells(workbook, {row["Gælder fra"]: new for row in rows})
    result = import_workbook(municipality, actor=ADMIN, source=workbook, apply=True)
    assert result.problems == [] and result.report is not None
    (changed,) = result.report.splits.changed
    assert (changed.key, changed.fields[0]) == (f"{ident}/{new.isoformat()}", "effective_from")
    assert result.report.splits.created == []
    moved = [s for s in splits_of(municipality, ident) if s["effective_from"] == new.isoformat()]
    assert [(s["status"], s.get("decisions", [])) for s in moved] == [("proposed", [])]


def test_an_unknown_id_is_refused_at_its_cell(municipality: Session, tmp_path: Path) -> None:
    workbook = export_with_ids(municipality, tmp_path)
    ident, split = a_proposal(municipality)
    rows = [find_row(workbook, "Fordeling", {"Indsats-ID": ident, "Status": "foreslået",
                                             "Afdeling": code}) for code, _ in split.shares]
    set_cells(workbook, {row["Fordelings-ID"]: 999_999 for row in rows})
    result = import_workbook(municipality, actor=ADMIN, source=workbook)
    assert [(p.code, p.where) for p in result.problems] == [
        ("unknown_split", rows[0]["Fordelings-ID"]),
    ]
    assert "Fordeling 999999 hører ikke til indsats" in result.problems[0].message


def test_the_rows_of_one_version_share_its_day(municipality: Session, tmp_path: Path) -> None:
    workbook = export_with_ids(municipality, tmp_path)
    ident, split = a_proposal(municipality)
    rows = [find_row(workbook, "Fordeling", {"Indsats-ID": ident, "Status": "foreslået",
                                             "Afdeling": code}) for code, _ in split.shares]
    set_cells(workbook, {rows[1]["Gælder fra"]: date(2027, 6, 1)})
    result = import_workbook(municipality, actor=ADMIN, source=workbook)
    assert [(p.code, p.where) for p in result.problems] == [
        ("version_mismatch", rows[1]["Gælder fra"]),
    ]
    assert result.problems[0].message.startswith("Gælder fra skal være den samme i alle rækker af")
