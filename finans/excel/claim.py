"""The quarterly claim of the state refund as a workbook (``finans refund-claim`` and the claim
page's download): a row per household with the totals, the months behind them with the tier each
reached, and the rates year used or that it is missing. Sheet and column names are Danish;
amounts are exact kroner with Danish display formats.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from finans.excel import layout
from finans.excel.cells import set_number
from finans.excel.layout import Column, SheetLayout
from finans.excel.refund_sheets import BOLD, missing_note, month_start, note, rate_row
from finans.excel.writer import SheetWriter, Target, kroner
from finans.services.refund_claim import RefundClaim

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
        cell.font = BOLD
        if isinstance(cell.value, Decimal):
            set_number(cell, cell.value)
    sheet.sheet.append([])
    sheet.sheet.append(cells)
    if claim.missing_years:
        note(sheet, missing_note(claim.missing_years))
    detail = SheetWriter(workbook, CLAIM_MONTHS)
    for month in claim.months:
        detail.append((month.case, month_start(month.month), kroner(month.basis),
                       kroner(month.amount), month.tier))
    detail.as_table()
    rates = SheetWriter(workbook, CLAIM_RATES)
    if claim.rates is None:
        rates.append((claim.quarter.year, None, None, None, None, None, None,
                      "Mangler: ingen refusion beregnet"))
    else:
        rates.append((*rate_row(claim.rates), f"Brugt for {claim.quarter.year}"))
    workbook.save(target)
