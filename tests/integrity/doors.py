"""Every door a change can come through, each trying one change as one person.

A door returns what happened: ``applied`` (the change is in the database afterwards) and
``refused``, the door's own way of saying no (a 403, a Forbidden, an import's access problem at
the changed cell), so a test can tell the access policy's answer from any other failure. The
workbook and template doors take several changes in one file, as a controller would make them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlmodel import Session

from finans.allocation.records import Period
from finans.excel.imports import import_workbook
from finans.excel.template import write_template
from finans.excel.writer import write_controller_workbook
from finans.services import cases, departments, figures, interventions
from finans.services.errors import Forbidden
from finans.services.scenario import dump_scenario, load_scenario
from tests.integrity.town import ROOT, Person
from tests.web.webclient import Client


@dataclass(frozen=True)
class Change:
    """One change to try: its kind, what it is made to, and the new value that marks it."""

    kind: str
    """``edit_case``, ``edit_intervention``, ``propose_split``, ``create_case`` or
    ``rename_department``."""
    target: str
    """A journal number, an intervention id, a new journal number or a department code."""
    value: str
    """The new family label, title, ``Gælder fra`` (ISO) or department name."""


@dataclass(frozen=True)
class Outcome:
    applied: bool
    refused: bool
    detail: str = ""


class World:
    """The town's database and app, and how to look at them."""

    def __init__(self, app: Flask, session: Session, login: Callable[[str], Client],
                 bearer: Callable[[str], dict[str, str]]) -> None:
        self.app = app
        self.session = session
        self.login = login
        self.bearer = bearer
        self.clients: dict[str, Client] = {}

    def client(self, username: str) -> Client:
        """A client logged in as the user (one per user)."""
        if username not in self.clients:
            self.clients[username] = self.login(username)
        return self.clients[username]

    def applied(self, change: Change) -> bool:
        self.session.rollback()
        self.session.expire_all()
        if change.kind == "edit_case":
            return bool(cases.get_case(self.session, actor=ROOT, ref=change.target)["family"]
                        == change.value)
        if change.kind == "edit_intervention":
            found = interventions.get_intervention(self.session, actor=ROOT, id=change.target)
            return bool(found["title"] == change.value)
        if change.kind == "propose_split":
            found = interventions.get_intervention(self.session, actor=ROOT, id=change.target)
            return any(split["effective_from"] == change.value for split in found["splits"])
        if change.kind == "create_case":
            return any(case["ref"] == change.target
                       for case in cases.list_cases(self.session, actor=ROOT))
        assert change.kind == "rename_department"
        return bool(departments.get_department(self.session, code=change.target)["name"]
                    == change.value)

    def case_of(self, change: Change) -> str:
        if change.kind in ("edit_case", "create_case"):
            return change.target
        return str(interventions.get_intervention(self.session, actor=ROOT,
                                                  id=change.target)["case"])


# --- the screens --------------------------------------------------------------------------------


def _case_form(case: dict[str, Any], family: str) -> dict[str, Any]:
    return {"version": str(case["version"]), "family": family, "coordinator": case["coordinator"],
            "consent": "on" if case["consent"] else "", "core_team": case["core_team"]}


def screen(world: World, person: Person, change: Change) -> Outcome:
    client = world.client(person.username)
    session = world.session
    if change.kind == "edit_case":
        case = cases.get_case(session, actor=ROOT, ref=change.target)
        response = client.post(f"/sager/{change.target}/rediger", _case_form(case, change.value))
    elif change.kind == "edit_intervention":
        found = interventions.get_intervention(session, actor=ROOT, id=change.target)
        cost = found["cost"]
        response = client.post(f"/indsatser/{change.target}/rediger", {
            "version": str(found["version"]), "title": change.value,
            "legal_basis": found["legal_basis"], "granted_by": found["granted_by"],
            "paid_by": found["paid_by"], "cost.amount": cost["amount"].replace(".", ","),
            "cost.per": cost["per"], "cost.start": cost["start"], "cost.end": cost["end"] or "",
        })
    elif change.kind == "propose_split":
        response = client.post(f"/indsatser/{change.target}/fordeling/ny", {
            "action": "propose", "effective_from": change.value, "method": "fixed",
            "shares.BFH": "50", "shares.JOB": "50", "rationale": "Forslag",
        })
    elif change.kind == "create_case":
        response = client.post("/sager/ny", {
            "ref": change.target, "family": change.value, "coordinator": person.username,
            "core_team": [person.department] if person.department else [],
        })
    else:
        department = departments.get_department(session, code=change.target)
        response = client.post(f"/admin/afdelinger/{change.target}", {
            "version": str(department["version"]), "name": change.value,
            "account": department["account"], "active": "on",
        })
    status = response.status_code
    return Outcome(world.applied(change), status == 403, f"{status}")


# --- the API ------------------------------------------------------------------------------------


def api(world: World, person: Person, change: Change) -> Outcome:
    client = world.app.test_client()
    headers = world.bearer(person.username)
    session = world.session
    if change.kind == "edit_case":
        version = cases.get_case(session, actor=ROOT, ref=change.target)["version"]
        response = client.patch(f"/api/v1/cases/{change.target}", headers=headers,
                                json={"version": version, "family": change.value})
    elif change.kind == "edit_intervention":
        version = interventions.get_intervention(session, actor=ROOT, id=change.target)["version"]
        response = client.patch(f"/api/v1/interventions/{change.target}", headers=headers,
                                json={"version": version, "title": change.value})
    elif change.kind == "propose_split":
        response = client.post(f"/api/v1/interventions/{change.target}/splits", headers=headers,
                               json={"effective_from": change.value, "method": "equal",
                                     "departments": ["BFH", "JOB"]})
    elif change.kind == "create_case":
        team = [person.department] if person.department else []
        response = client.post("/api/v1/cases", headers=headers, json={
            "ref": change.target, "family": change.value, "core_team": team})
    else:
        version = departments.get_department(session, code=change.target)["version"]
        response = client.patch(f"/api/v1/departments/{change.target}", headers=headers,
                                json={"version": version, "name": change.value})
    status = response.status_code
    return Outcome(world.applied(change), status == 403,
                   f"{status} {response.get_data(as_text=True)[:200]}")


# --- the controller workbook --------------------------------------------------------------------


def _export(world: World) -> Any:
    scenario, split_ids = figures.records_with_split_ids(world.session)
    target = BytesIO()
    write_controller_workbook(target, scenario, _period(), split_ids=split_ids)
    world.session.rollback()
    return load_workbook(BytesIO(target.getvalue()))


def _period() -> Period:
    return Period(date(2026, 1, 1), date(2026, 12, 31))


def _row_of(sheet: Any, column: int, value: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, column).value == value:
            return row
    raise AssertionError(f"{value} is in {sheet.title}")


def _save(workbook: Any) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _edit_workbook(book: Any, person: Person, change: Change) -> str:
    """Make ``change`` in an exported workbook; the cell a refusal is to be located at."""
    if change.kind == "edit_case":
        sheet = book["Sager"]
        cell = f"B{_row_of(sheet, 1, change.target)}"
    elif change.kind == "edit_intervention":
        sheet = book["Indsatser"]
        cell = f"C{_row_of(sheet, 1, change.target)}"
    elif change.kind == "propose_split":
        sheet = book["Fordeling"]
        first = sheet.max_row + 1
        for code in ("BFH", "JOB"):
            sheet.append([change.target, date.fromisoformat(change.value), "fast", None,
                          "foreslået", code, 50, None, None, None, "Forslag", None, None])
        return f"Fordeling!B{first}"
    elif change.kind == "create_case":
        sheet = book["Sager"]
        sheet.append([change.target, change.value, person.username, "ja", None])
        return f"Sager!A{sheet.max_row}"
    else:
        sheet = book["Afdelinger"]
        cell = f"B{_row_of(sheet, 1, change.target)}"
    sheet[cell] = change.value
    return f"{sheet.title}!{cell}"


def workbook(world: World, person: Person, changes: list[Change]) -> dict[Change, Outcome]:
    """The changes made together in one exported controller workbook, imported as ``person``."""
    book = _export(world)
    cells = {change: _edit_workbook(book, person, change) for change in changes}
    return _import_changes(world, person, cells, _save(book))


def _import_changes(
    world: World, person: Person, cells: dict[Change, str], content: bytes
) -> dict[Change, Outcome]:
    """Import; each change's outcome, a refusal being an access problem at its own cell."""
    try:
        result = import_workbook(world.session, actor=person.actor, source=content, apply=True)
    except Forbidden as refusal:
        return {change: Outcome(world.applied(change), True, refusal.message) for change in cells}
    detail = "; ".join(f"{p.where}: {p.code}: {p.message}" for p in result.problems)
    refused = {p.where for p in result.problems if p.code in ("not_on_case", "admin_only")}
    assert {p.where for p in result.problems} <= set(cells.values()), detail
    return {
        change: Outcome(world.applied(change), cell in refused, detail)
        for change, cell in cells.items()
    }


# --- the lagkage template -----------------------------------------------------------------------


def _edit_template(sheet: Any, change: Change) -> str:
    if change.kind == "edit_case":
        sheet["B5"] = change.value
        return "Lagkage!B5"
    row = _row_of(sheet, 1, change.target)
    if change.kind == "edit_intervention":
        sheet[f"B{row}"] = change.value
        return f"Lagkage!B{row}"
    version = row + 2
    sheet[f"A{version}"] = date.fromisoformat(change.value)
    sheet[f"B{version}"] = "fast"
    sheet[f"D{version}"] = "foreslået"
    for offset, code in enumerate(("BFH", "JOB", None, None, None, None)):
        sheet[f"A{version + 2 + offset}"] = code
        sheet[f"E{version + 2 + offset}"] = 50 if code else None
    return f"Lagkage!A{version}"


def template(world: World, person: Person, changes: list[Change]) -> dict[Change, Outcome]:
    """The changes (all to one case) made together in its lagkage template."""
    refs = {world.case_of(change) for change in changes}
    assert len(refs) == 1, "a template holds one case"
    scenario = figures.scenario_records(world.session, cases=list(refs))
    world.session.rollback()
    target = BytesIO()
    write_template(target, scenario.departments, scenario.cases[0], scenario.interventions)
    book = load_workbook(BytesIO(target.getvalue()))
    cells = {change: _edit_template(book["Lagkage"], change) for change in changes}
    return _import_changes(world, person, cells, _save(book))


# --- finans load --------------------------------------------------------------------------------


def load(world: World, person: Person, change: Change) -> Outcome:
    data = dump_scenario(world.session)
    world.session.rollback()
    if change.kind == "edit_case":
        next(c for c in data["cases"] if c["ref"] == change.target)["family"] = change.value
    elif change.kind == "edit_intervention":
        found = next(i for i in data["interventions"] if i["id"] == change.target)
        found["title"] = change.value
    elif change.kind == "propose_split":
        found = next(i for i in data["interventions"] if i["id"] == change.target)
        found["splits"].append({"effective_from": change.value, "method": "equal",
                                "status": "proposed", "departments": ["BFH", "JOB"]})
    elif change.kind == "create_case":
        data["cases"].append({"ref": change.target, "family": change.value,
                              "coordinator": person.username, "core_team": []})
    else:
        next(d for d in data["departments"] if d["code"] == change.target)["name"] = change.value
    try:
        report = load_scenario(world.session, actor=person.actor, data=data, apply=True)
    except Forbidden as refusal:
        return Outcome(world.applied(change), True, refusal.message)
    detail = "; ".join(f"{p.where}: {p.message}" for p in report.problems)
    return Outcome(world.applied(change), False, detail)


DOORS: dict[str, Callable[[World, Person, Change], Outcome]] = {
    "screen": screen,
    "api": api,
    "load": load,
}
"""Doors that take one change at a time."""
BATCH_DOORS: dict[str, Callable[[World, Person, list[Change]], dict[Change, Outcome]]] = {
    "workbook": workbook,
    "template": template,
}
"""Doors that take several changes in one file (each file costs a workbook written and read)."""
