"""The workbooks in ``spreadsheets/`` are what the code writes now (``make spreadsheets``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from finans.excel.shipped import SHIPPED, write_shipped

SPREADSHEETS = Path(__file__).resolve().parents[2] / "spreadsheets"


def contents(path: Path) -> dict[str, Any]:
    """Everything a user sees: per sheet the cells (value and format), charts, lists, tables."""
    workbook = load_workbook(path)
    return {
        sheet.title: {
            "cells": [
                [(cell.value, cell.number_format, cell.data_type) for cell in row]
                for row in sheet.iter_rows()
            ],
            "charts": [(type(chart).__name__, chart.anchor._from.row) for chart in sheet._charts],
            "lists": sorted(
                (dv.formula1, str(dv.sqref)) for dv in sheet.data_validations.dataValidation
            ),
            "tables": sorted(sheet.tables.items()),
            "frozen": sheet.freeze_panes,
        }
        for sheet in workbook
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spreadsheets")
    write_shipped(folder)
    return folder


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_workbook_is_what_the_code_writes(name: str, regenerated: Path) -> None:
    shipped = SPREADSHEETS / name
    assert shipped.exists(), f"{name} mangler; kør 'make spreadsheets'"
    assert contents(shipped) == contents(regenerated / name), (
        f"{name} er forældet; kør 'make spreadsheets'"
    )
