"""The refund in the controller workbook: the ``Refusion`` and ``Refusionssatser`` sheets.

``Refusion`` holds the engine's refund of the workbook's period per case and month (months without
a refund left out, as in ``finans calc``) with each department's part in its own column;
``Refusionssatser`` holds the rates per year, which the import reads back (administrators only).
A year of the period without rates is said below the rows: no refund is computed for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from finans.allocation.money import fraction_to_ore
from finans.allocation.records import Department, RefundRates
from finans.allocation.refund import Refunds
from finans.excel import layout
from finans.excel.layout import Column, SheetLayout
from finans.excel.writer import SheetWriter, kroner, plain

BOLD = Font(bold=True)


def month_start(text: str) -> date:
    return date(int(text[:4]), int(text[5:]), 1)


def note(sheet: SheetWriter, text: str) -> None:
    """A line of text two rows below the table."""
    cell = WriteOnlyCell(sheet.sheet, text)
    cell.font = BOLD
    sheet.sheet.append([])
    sheet.sheet.append([cell])


def missing_note(years: Sequence[int]) -> str:
    """``Refusionssatser mangler for 2027: …`` for people."""
    listed = ", ".join(str(year) for year in years)
    return (f"Refusionssatser mangler for {listed}: der er ikke beregnet refusion for "
            f"{'det år' if len(years) == 1 else 'de år'}.")


def refund_layout(departments: Sequence[Department]) -> SheetLayout:
    """``Refusion``'s columns: the fixed ones, then one per department."""
    return SheetLayout(
        layout.REFUNDS.name,
        (*layout.REFUNDS.columns,
         *(Column(department.code, department.code, 12, "amount")
           for department in departments)),
        imported=False,
    )


def write_refunds(workbook: Workbook, refunded: Refunds, departments: Sequence[Department]) -> None:
    """The ``Refusion`` sheet: the engine's refunds, the basis rounded once to the øre as
    ``finans calc`` shows it."""
    sheet = SheetWriter(workbook, refund_layout(departments))
    for refund in refunded.refunds:
        parts = dict(refund.departments)
        sheet.append((
            refund.case, month_start(refund.month), kroner(fraction_to_ore(refund.basis)),
            kroner(refund.amount),
            *(kroner(parts[d.code]) if d.code in parts else None for d in departments),
        ))
    sheet.as_table()
    if refunded.missing_years:
        note(sheet, missing_note(refunded.missing_years))


def rate_row(rates: RefundRates) -> tuple[Any, ...]:
    """A ``Refusionssatser`` row: År, the three thresholds in kroner, the three percents."""
    return (rates.year, *(kroner(ore) for ore in rates.thresholds),
            *(plain(percent) for percent in rates.percents))


def write_refund_rates(workbook: Workbook, rates: Sequence[RefundRates]) -> None:
    """The ``Refusionssatser`` sheet, one row per year."""
    sheet = SheetWriter(workbook, layout.REFUND_RATES)
    for year in rates:
        sheet.append(rate_row(year))
    sheet.as_table()
