"""The import page: upload, the preview of changes and of errors by cell, then apply the very file
that was previewed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlmodel import Session

from finans.allocation.money import to_ore
from finans.allocation.records import Period
from finans.excel.writer import write_controller_workbook
from finans.formatting import format_amount
from finans.services import interventions
from finans.services.figures import scenario_records
from finans.store.db import make_engine
from finans.store.timestamps import local, now
from tests.web.webclient import CASEWORKER, Client


@pytest.fixture(scope="module")
def export(demo_template: Path) -> Iterator[bytes]:
    """The controller workbook of the demo for this month, as exported (made once)."""
    today = local(now()).date()
    target = BytesIO()
    engine = make_engine(f"sqlite:///{demo_template}")
    with Session(engine) as session:
        write_controller_workbook(target, scenario_records(session),
                                  Period(date(today.year, today.month, 1), today))
    engine.dispose()
    yield target.getvalue()


def edited(workbook: bytes, sheet: str, cell: str, value: object) -> bytes:
    book = load_workbook(BytesIO(workbook))
    book[sheet][cell] = value
    target = BytesIO()
    book.save(target)
    return target.getvalue()


def upload(client: Client, content: bytes, name: str = "controller.xlsx") -> str:
    client.get("/import")
    response = client.post("/import", {"workbook": (BytesIO(content), name)},
                           content_type="multipart/form-data")
    return f"{response.status_code} {response.text}"


@pytest.fixture
def controller(login: Callable[[str], Client]) -> Client:
    return login("controller.bfh")


def test_an_unchanged_export_changes_nothing(controller: Client, export: bytes) -> None:
    page = upload(controller, export)
    assert page.startswith("200 ")
    assert "Filen ændrer ingenting i finans." in page
    assert "Gennemfør importen" not in page


def test_a_workbook_with_one_error_shows_the_error_by_cell_and_saves_nothing(
    controller: Client, export: bytes, session: Session
) -> None:
    page = upload(controller, edited(export, "Indsatser", "G2", "tolv kroner"))
    assert page.startswith("422 ")
    assert "Filen har 1 fejl. Intet er gemt." in page
    assert re.search(r"<td>Indsatser!G2</td><td>[^<]*tolv kroner", page)
    assert "Hent fejlark (Excel)" in page


def test_a_change_is_previewed_then_applied_from_the_kept_file(
    app: Flask, controller: Client, export: bytes, session: Session
) -> None:
    book = load_workbook(BytesIO(export))
    first_id = book["Indsatser"]["A2"].value
    old_title = book["Indsatser"]["C2"].value
    page = upload(controller, edited(export, "Indsatser", "C2", "Aflastning, ny titel"))
    assert page.startswith("200 ")
    assert f"Ændret: {first_id}" in page
    assert f"indsats: <del>{old_title}</del> → <ins>Aflastning, ny titel</ins>" in page
    action = re.search(r'action="(/import/[0-9a-f]{64})"', page)
    assert action is not None
    assert interventions.get_intervention(session, actor=CASEWORKER, id=first_id)[
        "title"] != "Aflastning, ny titel"
    response = controller.post(action.group(1), {"name": "controller.xlsx"})
    assert response.status_code == 302
    assert "1 ændringer er gemt" in controller.get("/import").text
    session.expire_all()
    assert interventions.get_intervention(session, actor=CASEWORKER, id=first_id)[
        "title"] == "Aflastning, ny titel"
    assert controller.post(action.group(1), {"name": "controller.xlsx"}).status_code == 404


def test_the_dry_run_shows_each_changed_field_old_to_new_in_danish(
    controller: Client, export: bytes
) -> None:
    book = load_workbook(BytesIO(export))
    amount = book["Indsatser"]["G2"].value
    changed = edited(edited(export, "Indsatser", "G2", amount + 1000), "Sager", "B2",
                     "Familie Ny")
    page = upload(controller, changed)
    assert page.startswith("200 ")
    old = format_amount(to_ore(str(amount)))
    new = format_amount(to_ore(str(amount)) + 100_000)
    assert f"beløb: <del>{old} kr.</del> → <ins>{new} kr.</ins>" in page
    assert f"familie: <del>{book['Sager']['B2'].value}</del> → <ins>Familie Ny</ins>" in page


def test_errors_of_every_sheet_and_of_the_load_come_in_one_list(
    controller: Client, export: bytes
) -> None:
    book = load_workbook(BytesIO(export))
    sheet = book["Fordeling"]
    header = [cell.value for cell in sheet[1]]
    status, reason = header.index("Status") + 1, header.index("Begrundelse") + 1
    rows = [row for row in range(2, sheet.max_row + 1)
            if sheet.cell(row, status).value == "aftalt"]
    first = rows[0]
    version = [row for row in rows
               if sheet.cell(row, 1).value == sheet.cell(first, 1).value
               and sheet.cell(row, 2).value == sheet.cell(first, 2).value]
    for row in version:
        sheet.cell(row, reason).value = "Ændret bagefter"
    book["Sager"]["D2"] = "måske"
    book["Indsatser"]["G3"] = "mange penge"
    target = BytesIO()
    book.save(target)
    page = upload(controller, target.getvalue())
    assert page.startswith("422 ")
    cells = re.findall(r"<tr><td>([A-Za-zæøå]+![A-Z]+[0-9]+)</td>", page)
    assert "Sager!D2" in cells and "Indsatser!G3" in cells
    assert any(cell.startswith("Fordeling!") for cell in cells)
    assert "er aftalt og kan ikke ændres" in page


def test_the_errors_workbook_holds_the_failing_rows(controller: Client, export: bytes) -> None:
    page = upload(controller, edited(export, "Indsatser", "G2", "tolv kroner"))
    link = re.search(r'href="(/import/[0-9a-f]{64}/fejl\.xlsx[^"]*)"', page)
    assert link is not None
    response = controller.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(response.data))
    assert book["Fejl"]["A2"].value == "Indsatser!G2"


def test_a_file_that_is_no_workbook_is_refused_with_a_clear_message(controller: Client) -> None:
    page = upload(controller, b"Sagsnr;Familie\nS-1;Familie A\n", name="sager.csv")
    assert page.startswith("422 ")
    assert "Intet er gemt" in page
