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
from sqlmodel import Session

from finans.allocation.records import Period, Scenario
from finans.demo import demo_scenario
from finans.excel.shipped import DEMO_DAY, PERIOD, demo_records
from finans.excel.writer import write_controller_workbook
from finans.services.actor import Actor, Role
from finans.services.scenario import load_scenario
from finans.store.db import make_engine

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


def load_demo(session: Session) -> Session:
    report = load_scenario(session, actor=ADMIN, data=demo_scenario(DEMO_DAY), apply=True)
    assert report.applied and not report.problems
    return session


@pytest.fixture(scope="session")
def demo_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo municipality, loaded once and copied for each test."""
    path = tmp_path_factory.mktemp("demo-db") / "finans.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        load_demo(session)
    engine.dispose()
    return path
