"""The refund in workbooks: the controller workbook's ``Refusion`` and ``Refusionssatser`` sheets,
and the quarterly claim workbook.

``Refusion`` holds the engine's refund of the workbook's period per case and month (months without
a refund left out, as in ``finans calc``) with each department's part in its own column;
``Refusionssatser`` holds the rates per year, which the import reads back (administrators only).
A year of the period without rates is said below the rows: no refund is computed for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from finans.allocation.records import Department, RefundRates
from finans.excel import layout
from finans.excel.cells import set_number
from finans.excel.layout import Column, SheetLayout
from finans.excel.writer import SheetWriter, Target, kroner, plain
from finans.services.refund_claim import RefundClaim
from finans.services.refunds import RefundMonth

_BOLD = Font(bold=True)


def _month(text: str) -> date:
    return date(int(text[:4]), int(text[5:]), 1)


def _note(sheet: SheetWriter, text: str) -> None:
    """A line of text two rows below the table."""
    cell = WriteOnlyCell(sheet.sheet, text)
    cell.font = _BOLD
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


def write_refunds(
    workbook: Workbook,
    months: Sequence[RefundMonth],
    departments: Sequence[Department],
    missing_years: Sequence[int],
) -> None:
    """The ``Refusion`` sheet of the months with a refund."""
    sheet = SheetWriter(workbook, refund_layout(departments))
    for month in months:
        if not month.amount:
            continue
        parts = dict(month.departments)
        sheet.append((
            month.case, _month(month.month), kroner(month.basis), kroner(month.amount),
            *(kroner(parts[d.code]) if d.code in parts else None for d in departments),
        ))
    sheet.as_table()
    if missing_years:
        _note(sheet, missing_note(missing_years))


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


# --- the quarterly claim ------------------------------------------------------------------------


CLAIM = SheetLayout(
    "Refusionsanmodning",
    (
        Column("case", "Sagsnr", 14),
        Column("basis", "Grundlag år til dato", 20, "amount"),
        Column("refund", "Refusion år til dato", 20, "amount"),
        Column("claimed_before", "Tidligere anmodet", 18, "amount"),
        Column("claim", "Anmodning i kvartalet", 22, "amount"),
    ),
    imported=False,
)
CLAIM_MONTHS = SheetLayout(
    "Måneder",
    (
        Column("case", "Sagsnr", 14),
        Column("month", "Måned", 10, "month"),
        Column("basis", "Grundlag", 16, "amount"),
        Column("amount", "Refusion", 16, "amount"),
        Column("tier", "Trin", 8, "number"),
    ),
    imported=False,
)
CLAIM_RATES = SheetLayout(
    "Satser",
    (*layout.REFUND_RATES.columns, Column("status", "Status", 40)),
    imported=False,
)


def write_claim_workbook(target: Target, claim: RefundClaim) -> None:
    """The claim of a quarter: a row per household and the totals, the months behind them with
    the tier each reached, and the rates year used (or that it is missing)."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "finans"
    workbook.properties.title = f"Refusionsanmodning {claim.quarter.label}"
    sheet = SheetWriter(workbook, CLAIM)
    for row in claim.rows:
        sheet.append((row.case, kroner(row.basis), kroner(row.refund),
                      kroner(row.claimed_before), kroner(row.claim)))
    sheet.as_table()
    total = claim.totals
    cells = [WriteOnlyCell(sheet.sheet, "I alt")]
    for value in (total.basis, total.refund, total.claimed_before, total.claim):
        cell = WriteOnlyCell(sheet.sheet)
        cell.number_format = layout.AMOUNT_FORMAT
        cell.value = kroner(value)
        cells.append(cell)
    for cell in cells:
        cell.font = _BOLD
        if isinstance(cell.value, Decimal):
            set_number(cell, cell.value)
    sheet.sheet.append([])
    sheet.sheet.append(cells)
    if claim.missing_years:
        _note(sheet, missing_note(claim.missing_years))
    detail = SheetWriter(workbook, CLAIM_MONTHS)
    for month in claim.months:
        detail.append((month.case, _month(month.month), kroner(month.basis),
                       kroner(month.amount), month.tier))
    detail.as_table()
    rates = SheetWriter(workbook, CLAIM_RATES)
    if claim.rates is None:
        rates.append((claim.quarter.year, None, None, None, None, None, None,
                      "Mangler: ingen refusion beregnet"))
    else:
        rates.append((*rate_row(claim.rates), f"Brugt for {claim.quarter.year}"))
    workbook.save(target)
