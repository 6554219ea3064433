"""Fixtures for the workbook tests: the demo municipality, its exported workbook, cell editing."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from finans.allocation.records import Period, Scenario
from finans.allocation.validation import parse_scenario
from finans.excel.shipped import DEMO_DAY, PERIOD, demo_records
from finans.excel.writer import write_controller_workbook
from finans.services.actor import Actor, Role
from tests.conftest import demo_database

Edit = Callable[..., Path]


@pytest.fixture(scope="session")
def demo() -> Scenario:
    """The demo municipality as of a fixed day, as records."""
    return demo_records()


MONTH = Period(date(2026, 1, 1), date(2026, 1, 31))
"""The period of the workbooks tests edit: one month keeps ``Fordelt`` short and edits fast."""


@pytest.fixture(scope="session")
def exported_year(tmp_path_factory: pytest.TempPathFactory, demo: Scenario) -> Path:
    """The demo's controller workbook for 2026 (not to be changed)."""
    path = tmp_path_factory.mktemp("export") / "controller-2026.xlsx"
    write_controller_workbook(path, demo, PERIOD)
    return path


@pytest.fixture(scope="session")
def exported_month(tmp_path_factory: pytest.TempPathFactory, demo: Scenario) -> Path:
    path = tmp_path_factory.mktemp("export") / "controller-januar.xlsx"
    write_controller_workbook(path, demo, MONTH)
    return path


@pytest.fixture
def exported(exported_month: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo's controller workbook for January 2026, free to change."""
    path = tmp_path / "controller.xlsx"
    shutil.copyfile(exported_month, path)
    return path


def set_cells(path: Path, cells: Mapping[str, Any], target: Path | None = None) -> Path:
    """Change cells (``{"Fordeling!G2": 30}``) as a controller would in Excel, and save."""
    workbook = load_workbook(path)
    for where, value in cells.items():
        sheet, _, coordinate = where.partition("!")
        workbook[sheet][coordinate] = value
    out = target or path
    workbook.save(out)
    return out


@pytest.fixture
def edit() -> Edit:
    return set_cells


def find_row(path: Path, sheet: str, match: Mapping[str, Any]) -> dict[str, str]:
    """The first data row whose cells under the given headers hold the given values, as
    header → cell (``{"Andel %": "Fordeling!G2", …}``)."""
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    headers = rows[0]
    for number, row in enumerate(rows[1:], 2):
        cells = dict(zip(headers, row, strict=False))
        if all(cells.get(header) == value for header, value in match.items()):
            return {
                str(header): f"{sheet}!{get_column_letter(index)}{number}"
                for index, header in enumerate(headers, 1)
                if header
            }
    raise LookupError(match)


ADMIN = Actor("admin", Role.ADMIN)


@pytest.fixture(scope="session")
def demo_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo municipality, loaded once and copied for each test."""
    return demo_database(sqlite_template, tmp_path_factory.mktemp("demo-db") / "finans.db",
                         DEMO_DAY)


def scenario_of(data: dict[str, Any]) -> Scenario:
    scenario, problems = parse_scenario(data)
    assert scenario is not None, problems
    return scenario


def small(**texts: str) -> dict[str, Any]:
    """Two departments, one case, one intervention split 60/40 from 15-01-2026."""
    return {
        "departments": [
            {"code": texts.get("code", "BFH"), "name": texts.get("name", "Børn og Familie"),
             "account": texts.get("account", "5.28.21")},
            {"code": "JOB", "name": "Jobcenter", "account": "5.68.90"},
        ],
        "cases": [{"ref": texts.get("ref", "S-1"), "family": texts.get("family", "Familie A"),
                   "coordinator": texts.get("coordinator", "r1"), "consent": True,
                   "assessed_on": "2026-01-10"}],
        "interventions": [{
            "id": texts.get("id", "I-1"), "case": texts.get("ref", "S-1"),
            "title": texts.get("title", "Aflastning"),
            "legal_basis": texts.get("legal_basis", "Barnets lov § 32"),
            "granted_by": texts.get("code", "BFH"), "paid_by": texts.get("code", "BFH"),
            "cost": {"amount": texts.get("amount", "12000.00"), "per": "month",
                     "start": "2026-01-15", "end": "2026-12-31"},
            "splits": [{"effective_from": "2026-01-15", "method": "fixed", "status": "agreed",
                        "shares": {texts.get("code", "BFH"): "60", "JOB": "40"},
                        "rationale": texts.get("rationale", "Aftalt på mødet")}],
        }],
    }


HOSTILE = {  # account strings are checked to the municipal shape, so none can look like a formula
    "code": "=CMD|'/CCALC'!A1",
    "name": "+45 12 34 56",
    "family": '=HYPERLINK("http://evil.example","klik")',
    "coordinator": "+r1",
    "title": "-Aflastning",
    "legal_basis": "#N/A",
    "rationale": "=IMPORTXML(A1)",
}
"""Text a spreadsheet would take for a formula, in every text column that may hold it (journal
numbers and intervention ids may only hold letters, digits, ``-``, ``_`` and ``.``, and start with
a letter or digit, so they never look like a formula)."""
