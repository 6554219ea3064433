"""Reading a controller workbook or a lagkage template back into scenario JSON.

The file is checked by :mod:`finans.excel.guard` before any parser sees it, then read with openpyxl
in read-only mode with formulas left as formulas (``data_only=False``): nothing in an uploaded file
is ever evaluated, and a formula in a cell the import reads is a problem ("Formler er ikke tilladt
her"), never silently replaced by a value Excel once cached. ``defusedxml`` is installed, so
openpyxl parses the XML parts with entity expansion refused.

Only ``Afdelinger``, ``Sager``, ``Indsatser``, ``Fordeling`` and, when there, ``Refusionssatser``
are read (or ``Lagkage`` and ``Afdelinger`` for a template); computed sheets are never even
opened. Columns are found by their
header in row 1 (trimmed, any case, any order). A sheet is read until :data:`EMPTY_RUN_LIMIT` empty
rows in a row, so thousands of formatted but empty rows cost nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from finans.allocation.problems import Problem
from finans.allocation.validation import parse_scenario
from finans.excel import layout
from finans.excel.cells import RawCell
from finans.excel.collector import Collector
from finans.excel.guard import DEFAULT_LIMITS, Limits, check_workbook
from finans.excel.inputs import (
    InputSheet,
    Row,
    attach_splits,
    group_versions,
    read_cases,
    read_departments,
    read_interventions,
)
from finans.excel.layout import SheetLayout
from finans.excel.refund_inputs import read_refund_rates
from finans.excel.template import read_template

EMPTY_RUN_LIMIT = 1_000
"""This many empty rows in a row end a sheet: rows below them are not read."""

MAX_COLUMNS = 64
"""Headers beyond this column are not looked for (the widest sheet has twelve)."""

TEMPLATE_COLUMNS = 16
"""Columns read from a lagkage template sheet (its blocks use nine)."""

Progress = Callable[[int, int], None]
"""Called with (sheets read so far, sheets to read) while a workbook is read."""

_INPUT_SHEET_NAMES = (
    layout.TEMPLATE_SHEET, *(sheet.name for sheet in layout.IMPORTED_SHEETS),
    layout.REFUND_RATES.name,
)
_QUOTED = re.compile(r'"[^"]*"|\\.')


@dataclass
class SheetRows:
    """The rows read from one sheet: ``(row number, cells)`` for rows with anything in them."""

    name: str
    rows: list[Row]
    headers: tuple[str, ...] = ()


@dataclass
class WorkbookRead:
    """What a workbook held.

    Attributes:
      data: scenario JSON (docs/scenario.md), or ``None`` when the file could not be read at all.
      collector: the cell of every JSON path, and the problems found reading cells.
      sheets: the rows of every sheet read, for the errors workbook.
      template: the file was a lagkage template.
    """

    data: dict[str, Any] | None
    collector: Collector
    sheets: dict[str, SheetRows] = field(default_factory=dict)
    template: bool = False

    @property
    def problems(self) -> list[Problem]:
        return self.collector.problems

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """The read problems plus ``problems`` (at JSON paths) moved to their cells."""
        return self.collector.locate(problems)


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that is not parsed through once at opening to learn its size.

    openpyxl does that for every sheet without a ``<dimension>`` element (its own write-only
    files, and files made to be slow), which for an exported workbook means parsing 100,000
    ``Fordelt`` rows that the import never reads. Rows are read as a stream instead.
    """

    def _get_size(self) -> None:
        return None


class _InputSheetsReader(ExcelReader):
    """openpyxl's read-only workbook reader, opening only the sheets the import reads."""

    def __init__(self, source: Any) -> None:
        super().__init__(source, read_only=True, keep_vba=False, data_only=False, keep_links=False)
        self.wanted = {name.casefold() for name in _INPUT_SHEET_NAMES}

    def read_worksheets(self) -> None:
        for sheet, relation in self.parser.find_sheets():
            if (
                relation.target in self.valid_files
                and "chartsheet" not in relation.Type
                and sheet.name.strip().casefold() in self.wanted
            ):
                # As openpyxl's own reader adds a sheet (the stubs leave the list out).
                self.wb._sheets.append(  # type: ignore[attr-defined]
                    _UnsizedSheet(self.wb, sheet.name, relation.target, self.shared_strings)
                )


def _open(source: Path | bytes) -> Any:
    """The workbook with its input sheets, read-only, formulas as formulas."""
    reader = _InputSheetsReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    reader.read()
    return reader.wb


def _is_percent(number_format: str) -> bool:
    """A number format that shows a value times 100 with ``%`` (quoted ``"%"`` does not count)."""
    return "%" in _QUOTED.sub("", number_format)


def _raw(cell: Any, sheet: str, row: int, column: int) -> RawCell:
    value = cell.value
    where = f"{sheet}!{get_column_letter(column)}{row}"
    if value is None:
        return RawCell(None, False, False, where)
    data_type = getattr(cell, "data_type", "n")
    percent = data_type == "n" and _is_percent(cell.number_format or "")
    return RawCell(value, data_type == "f", percent, where)


def _width(worksheet: Any, name: str) -> int:
    """How many columns to read: up to the last header in row 1 (a template: a fixed width)."""
    if name == layout.TEMPLATE_SHEET:
        return TEMPLATE_COLUMNS
    for cells in worksheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS):
        filled = [index for index, cell in enumerate(cells, 1) if cell.value is not None]
        return max(filled, default=1)
    return 1


def _read_rows(worksheet: Any, name: str) -> list[Row]:
    """Non-empty rows of a read-only sheet, stopping after a long run of empty rows."""
    rows: list[Row] = []
    empty_run = 0
    width = _width(worksheet, name)
    for number, cells in enumerate(worksheet.iter_rows(min_row=1, max_col=width), 1):
        if all(cell.value is None for cell in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                break
            continue
        empty_run = 0
        rows.append(
            (number, tuple(_raw(cell, name, number, index) for index, cell in enumerate(cells, 1)))
        )
    return rows


# --- the workbook -------------------------------------------------------------------------------


def _sheet_named(workbook: Any, name: str) -> Any | None:
    for title in workbook.sheetnames:
        if title.strip().casefold() == name.casefold():
            return workbook[title]
    return None


def _read_sheets(
    workbook: Any,
    names: tuple[str, ...],
    read: WorkbookRead,
    progress: Progress | None,
    optional: tuple[str, ...] = (),
) -> bool:
    """Read the rows of the named sheets into ``read.sheets``; a missing sheet is a problem
    unless it is ``optional`` (then it is just not read)."""
    wanted = names + tuple(name for name in optional if _sheet_named(workbook, name) is not None)
    if progress is not None:
        progress(0, len(wanted))
    for done, name in enumerate(wanted, 1):
        worksheet = _sheet_named(workbook, name)
        if worksheet is None:
            message = f"Arket '{name}' mangler i projektmappen"
            read.collector.problem("missing_sheet", message, f"{name}!A1")
        else:
            read.sheets[name] = SheetRows(name, _read_rows(worksheet, name))
        if progress is not None:
            progress(done, len(wanted))
    return all(name in read.sheets for name in names)


def _input_sheet(read: WorkbookRead, sheet: SheetLayout) -> InputSheet:
    rows = read.sheets[sheet.name]
    found = InputSheet(sheet, sheet.name, rows.rows, read.collector)
    header = rows.rows[0][1] if rows.rows and rows.rows[0][0] == 1 else ()
    headers = ["" if cell.empty else str(cell.value).strip() for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    rows.headers = tuple(headers)
    return found


def _controller_data(read: WorkbookRead) -> dict[str, Any] | None:
    collector = read.collector
    sheets = {sheet.name: _input_sheet(read, sheet) for sheet in layout.IMPORTED_SHEETS}
    if not all(sheet.complete for sheet in sheets.values()):
        return None
    departments = read_departments(sheets[layout.DEPARTMENTS.name], collector)
    cases = read_cases(sheets[layout.CASES.name], collector)
    interventions = read_interventions(sheets[layout.INTERVENTIONS.name], collector)
    known = {intervention["id"] for intervention in interventions if intervention["id"]}
    versions = group_versions(sheets[layout.SPLITS.name], collector, known)
    attach_splits(interventions, versions, collector)
    data: dict[str, Any] = {
        "departments": departments, "cases": cases, "interventions": interventions,
    }
    if layout.REFUND_RATES.name in read.sheets:
        rates = _input_sheet(read, layout.REFUND_RATES)
        if rates.complete:
            data["refund"] = read_refund_rates(rates, collector)
    return data


def _template_data(read: WorkbookRead) -> dict[str, Any] | None:
    departments_sheet = _input_sheet(read, layout.DEPARTMENTS)
    if not departments_sheet.complete:
        return None
    departments = read_departments(departments_sheet, read.collector)
    case, interventions = read_template(
        layout.TEMPLATE_SHEET, read.sheets[layout.TEMPLATE_SHEET].rows, read.collector
    )
    cases = [case] if case is not None else []
    return {"departments": departments, "cases": cases, "interventions": interventions}


def read_workbook(
    source: Path | bytes,
    *,
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> WorkbookRead:
    """Read a controller workbook or a lagkage template into scenario JSON, never raising.

    ``data`` is ``None`` when the file is refused or cannot be parsed; otherwise it is the scenario
    JSON as far as the cells could be read, not yet validated (see :func:`check_workbook_data`).
    ``progress`` is told how many of the input sheets are read, before the first and after each.
    """
    label = name if name is not None else (source.name if isinstance(source, Path) else "fil")
    read = WorkbookRead(None, Collector(label))
    refusals = check_workbook(source, name=name, limits=limits)
    if refusals:
        read.collector.problems.extend(refusals)
        return read
    try:
        workbook = _open(source)
        try:
            read.template = _sheet_named(workbook, layout.TEMPLATE_SHEET) is not None
            names = (
                (layout.TEMPLATE_SHEET, layout.DEPARTMENTS.name)
                if read.template
                else tuple(sheet.name for sheet in layout.IMPORTED_SHEETS)
            )
            optional = () if read.template else (layout.REFUND_RATES.name,)
            complete = _read_sheets(workbook, names, read, progress, optional)
        finally:
            workbook.close()
    except Exception:  # openpyxl and its XML parsers raise many kinds of error on a damaged file
        read.collector.problem(
            "unreadable", "Filen kan ikke læses som en Excel-projektmappe (.xlsx)", label
        )
        return read
    if complete:
        read.data = _template_data(read) if read.template else _controller_data(read)
    return read


def check_workbook_data(read: WorkbookRead) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The scenario JSON of a read workbook when it is valid, else ``None`` and every problem.

    The engine's own validation runs on the JSON and its problems are moved to the cells.
    """
    if read.data is None:
        return None, list(read.problems)
    _, problems = parse_scenario(read.data)
    located = read.locate(problems)
    return (None, located) if located else (read.data, [])


def scenario_from_workbook(
    path: Path, *, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """``finans calc WORKBOOK.xlsx``: the workbook's scenario JSON, or every problem by cell."""
    return check_workbook_data(read_workbook(Path(path), limits=limits))
