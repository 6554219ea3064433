"""The errors workbook: every problem of an import, and the failing rows to fix them in.

Sheet ``Fejl`` lists every problem by place (``Fordeling!G7``) and message. Then, for each sheet
with problems in its rows, a sheet of the same name holds those rows as they were read, with their
original row number first and a ``Fejl`` column with the messages, so a controller can filter,
correct and copy them back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finans.allocation.problems import Problem
from finans.excel import layout
from finans.excel.cells import RawCell, guard_text, needs_text_guard, safe_text, set_number
from finans.excel.reader import SheetRows, WorkbookRead
from finans.excel.writer import Target

ERRORS_SHEET = "Fejl"
ROW_HEADER = "Række"
_CELL = re.compile(r"(?P<sheet>[^!]+)!(?P<column>[A-Z]{1,3})(?P<row>[0-9]+)")
_BOLD = Font(bold=True)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value as read: text stays text (formulas too), numbers stay exact."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool) or value is None:
        cell.value = value
    elif isinstance(value, float):
        set_number(cell, Decimal(repr(value)))
    elif isinstance(value, int | Decimal):
        set_number(cell, value)
    elif isinstance(value, datetime | date):
        cell.value = value
        cell.number_format = layout.DATE_FORMAT
    else:
        text = safe_text(str(value))
        cell.value = text
        if needs_text_guard(text):
            guard_text(cell)


def _header(sheet: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = sheet.cell(row=1, column=column, value=text)
        cell.font = _BOLD
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def _by_row(problems: Sequence[Problem]) -> dict[str, dict[int, list[str]]]:
    """Sheet → row number → ``G7: message`` texts, for problems in data rows."""
    found: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        match = _CELL.fullmatch(problem.where)
        if match and int(match["row"]) > 1:
            cell = f"{match['column']}{match['row']}"
            found[match["sheet"]][int(match["row"])].append(f"{cell}: {problem.message}")
    return found


def _used_width(cells: Sequence[RawCell]) -> int:
    """Columns up to the last one holding anything."""
    filled = [index for index, cell in enumerate(cells, 1) if not cell.empty or cell.formula]
    return max(filled, default=0)


def _failing_rows(
    workbook: Workbook, rows: SheetRows, messages: dict[int, list[str]]
) -> None:
    """A sheet with the rows that have problems, as read, and their messages."""
    sheet = workbook.create_sheet(rows.name)
    failing = [(number, cells) for number, cells in rows.rows if number in messages]
    if rows.headers:
        headers = list(rows.headers)
    else:
        width = max((_used_width(cells) for _, cells in failing), default=0)
        headers = [get_column_letter(column) for column in range(1, width + 1)]
    _header(sheet, [ROW_HEADER, *headers, ERRORS_SHEET], [8] + [16] * len(headers) + [70])
    for line, (number, cells) in enumerate(failing, 2):
        _put(sheet, line, 1, number)
        for column, raw in enumerate(cells[: len(headers)], 2):
            _put(sheet, line, column, raw.value)
        errors = sheet.cell(row=line, column=len(headers) + 2)
        errors.value = safe_text("\n".join(messages[number]))
        errors.alignment = Alignment(wrap_text=True, vertical="top")


def write_errors_workbook(target: Target, read: WorkbookRead, problems: Sequence[Problem]) -> None:
    """Write the problems of an import and the rows they are in to ``target``."""
    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = ERRORS_SHEET
    _header(overview, ["Sted", ERRORS_SHEET], [18, 100])
    for line, problem in enumerate(problems, 2):
        _put(overview, line, 1, problem.where)
        _put(overview, line, 2, problem.message)
    rows_with_problems = _by_row(problems)
    for name, rows in read.sheets.items():
        if name in rows_with_problems:
            _failing_rows(workbook, rows, rows_with_problems[name])
    workbook.save(target)
