"""The controller workbook (docs/workbook.md), written with openpyxl's write-only mode.

Rows stream straight to disk, so 100,000 allocation lines need tens of megabytes, not hundreds,
and the whole workbook takes well under twice what openpyxl needs to write the bare lines
(``benchmarks/bench_excel.py``). XlsxWriter writes the lines faster still, but openpyxl is needed
to read workbooks anyway, and one library for both keeps one set of cell rules.
Input sheets (``Afdelinger``, ``Sager``, ``Indsatser``, ``Fordeling``, ``Refusionssatser``) hold
what the import reads back; computed sheets (``Fordelt``, ``Efterregulering``, ``Afregning``,
``Posteringer``, ``Oversigt``, ``Refusion``) hold the calculator's result for one period, from the
same engine as ``finans calc`` (the refund sheets are written by :mod:`finans.excel.refund_sheets`).
Written from the database, ``Fordelt`` shows months closed for postings as they were booked and adds
the corrections of closed months as marked rows, listed again in ``Efterregulering``
(docs/postings.md). Every sheet has a bold, frozen header row, fixed column widths and, where rows
can be filtered, an Excel table.

``Fordeling`` stays live: the check column sums each version's shares with ``SUMIFS``, and for the
methods other than ``fast`` the ``Andel %`` cells are formulas over the version's Ansvar, Gevinst or
Besparelse, so a controller sees the shares move as they edit (the import reads only the inputs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import chain, zip_longest
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from finans.allocation.engine import Allocation, Line, allocate
from finans.allocation.money import Ore
from finans.allocation.postings import Bookings, Entry, first_day
from finans.allocation.records import (
    DepartmentCode,
    Intervention,
    Method,
    Period,
    Scenario,
    SplitVersion,
)
from finans.allocation.refund import refunds
from finans.allocation.settlement import SettlementMode, Transfer, settle
from finans.excel import layout
from finans.excel.cells import guard_text, needs_text_guard, safe_text, set_number
from finans.excel.layout import Column, SheetLayout
from finans.formatting import format_date
from finans.palette import colours_for

Target = Path | str | IO[bytes]
Progress = Callable[[int, int], None]
SplitIds = Mapping[str, Sequence[int]]
"""Intervention id → the stored ids of its versions, in the order of its record's versions."""
"""Called with (allocation lines written so far, all lines) while ``Fordelt`` is written."""

PROGRESS_STEP = 5_000
"""Lines between two progress reports."""

SPARE_ROWS = 500
"""Rows below the data that still get drop-down lists, for controllers adding rows."""

_NUMBER_FORMATS = {
    "date": layout.DATE_FORMAT,
    "month": layout.MONTH_FORMAT,
    "amount": layout.AMOUNT_FORMAT,
    "percent": layout.PERCENT_FORMAT,
    "number": layout.NUMBER_FORMAT,
    "formula": layout.PERCENT_FORMAT,
}
_HEADER_FONT = Font(bold=True)


def kroner(ore: int) -> Decimal:
    """Øre as exact kroner: ``123450`` → ``Decimal("1234.50")``."""
    return Decimal(ore).scaleb(-2)


def percent(share: Fraction) -> Decimal:
    """A share of one as a percentage rounded half-up to four decimals, exactly."""
    scaled = share * 100 * 10_000
    return Decimal((2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)).scaleb(
        -4
    )


def plain(number: Decimal) -> Decimal:
    """``number`` without trailing zeros (``50.0`` → ``50``), for inputs shown as typed."""
    normal = number.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


class SheetWriter:
    """One write-only sheet laid out by a :class:`SheetLayout`; rows are appended as values.

    Values per column kind: ``text`` and ``choice`` take ``str``; ``date`` and ``month`` take
    ``date``; ``amount``, ``percent`` and ``number`` take ``Decimal``; ``formula`` takes the formula
    text (``"=SUM(…)"``). ``None`` leaves the cell empty.
    """

    def __init__(self, workbook: Workbook, sheet: SheetLayout, title: str | None = None) -> None:
        self.layout = sheet
        self.sheet = workbook.create_sheet(title or sheet.name)
        self.sheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self._styled: list[Any] = [self._template(column) for column in sheet.columns]
        self._text = [column.kind in ("text", "choice") for column in sheet.columns]
        header = []
        for text in sheet.headers:
            shown = safe_text(text)
            cell = WriteOnlyCell(self.sheet, shown)
            cell.font = _HEADER_FONT
            if needs_text_guard(shown):
                guard_text(cell)  # department codes head the refund sheet's columns
            header.append(cell)
        self.sheet.append(header)
        self.rows = 0

    def _template(self, column: Column) -> Cell | None:
        number_format = _NUMBER_FORMATS.get(column.kind)
        if number_format is None:
            return None
        cell = WriteOnlyCell(self.sheet)
        cell.number_format = number_format
        return cell

    @property
    def next_row(self) -> int:
        """The sheet row number the next appended row gets."""
        return self.rows + 2

    def append(self, values: Iterable[Any]) -> None:
        row: list[Any] = []
        for index, value in enumerate(values):
            if value is None:
                row.append(None)
            elif self._text[index]:
                row.append(self._text_cell(value))
            else:
                cell = self._styled[index]
                if isinstance(value, Decimal):
                    set_number(cell, value)
                else:
                    cell.value = value
                row.append(cell)
        self.sheet.append(row)
        self.rows += 1

    def _text_cell(self, value: str) -> Any:
        text = safe_text(value)
        if not needs_text_guard(text):
            return text
        cell = WriteOnlyCell(self.sheet, text)
        guard_text(cell)
        return cell

    def letter(self, key: str) -> str:
        """The column letter of the column ``key``."""
        keys = [column.key for column in self.layout.columns]
        return str(get_column_letter(keys.index(key) + 1))

    def drop_down(self, key: str, choices: str) -> None:
        """A drop-down list (``'"ja,nej"'`` or a range) on the column ``key`` incl. spare rows."""
        letter = self.letter(key)
        validation = DataValidation(
            type="list",
            formula1=choices,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ugyldig værdi",
            error="Vælg en værdi fra listen.",
        )
        validation.add(f"{letter}2:{letter}{self.next_row + SPARE_ROWS}")
        self.sheet.data_validations.append(validation)

    def vocabulary_lists(self) -> None:
        """Drop-down lists of the Danish words on every ``choice`` column."""
        for column in self.layout.columns:
            if column.kind == "choice":
                self.drop_down(column.key, _choices(column.vocabulary))

    def as_table(self) -> None:
        """Make the rows an Excel table (filter buttons, banded rows) named after the sheet."""
        last_column = get_column_letter(len(self.layout.columns))
        ref = f"A1:{last_column}{max(self.next_row - 1, 2)}"
        table = Table(
            displayName=self.sheet.title.replace(" ", "_"),
            ref=ref,
            tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True),
        )
        table.autoFilter = AutoFilter(ref=ref)
        table.tableColumns = [
            TableColumn(id=index, name=header)
            for index, header in enumerate(self.layout.headers, 1)
        ]
        self.sheet.tables.add(table)


def _choices(vocabulary: str) -> str:
    return '"' + ",".join(layout.words(vocabulary)) + '"'


def _department_range(count: int) -> str:
    sheet = quote_sheetname(layout.DEPARTMENTS.name)
    return f"{sheet}!$A$2:$A${max(count, 1) + 1}"


# --- input sheets -------------------------------------------------------------------------------


def _write_departments(workbook: Workbook, scenario: Scenario) -> None:
    sheet = SheetWriter(workbook, layout.DEPARTMENTS)
    for department in scenario.departments:
        sheet.append((department.code, department.name, department.account))
    sheet.as_table()


def _write_cases(workbook: Workbook, scenario: Scenario) -> None:
    sheet = SheetWriter(workbook, layout.CASES)
    for case in scenario.cases:
        consent = layout.danish("consent", case.consent)
        sheet.append((case.ref, case.family, case.coordinator, consent, case.assessed_on))
    sheet.vocabulary_lists()
    sheet.as_table()


def _write_interventions(workbook: Workbook, scenario: Scenario) -> None:
    sheet = SheetWriter(workbook, layout.INTERVENTIONS)
    for intervention in scenario.interventions:
        cost = intervention.cost
        sheet.append(
            (
                intervention.id,
                intervention.case,
                intervention.title,
                intervention.legal_basis,
                intervention.granted_by,
                intervention.paid_by,
                kroner(cost.amount),
                layout.danish("per", cost.per.value),
                cost.start,
                cost.end,
                layout.danish("refundable", intervention.refundable),
                intervention.account or None,
            )
        )
    departments = _department_range(len(scenario.departments))
    sheet.drop_down("granted_by", departments)
    sheet.drop_down("paid_by", departments)
    sheet.vocabulary_lists()
    sheet.as_table()


def ordered_splits(intervention: Intervention) -> list[SplitVersion]:
    """The intervention's versions by ``Gælder fra``; versions of the same day keep their order."""
    return sorted(intervention.splits, key=lambda split: split.effective_from)


def split_departments(split: SplitVersion) -> list[str]:
    """The departments a version has a row for in ``Fordeling``: those its method's inputs name."""
    if split.method is Method.FIXED:
        return [code for code, _ in split.shares]
    if split.method is Method.EQUAL:
        return list(split.departments)
    if split.method is Method.WEIGHTED:
        return sorted({code for code, _ in split.responsibility + split.benefit})
    return [code for code, _ in split.savings]


class _Criteria:
    """Formula text selecting the rows of the same version as row ``r``: ID, date and status,
    and the ``Fordelings-ID`` where the workbook has them (``"="&`` so that an empty id matches
    the empty ids of a new version's rows)."""

    def __init__(self, sheet: SheetWriter, *, with_ids: bool) -> None:
        keys = ("intervention", "effective_from", "status", "split_id")
        self.columns = [sheet.letter(key) for key in keys[: 4 if with_ids else 3]]
        self.sheet = sheet

    def of(self, row: int) -> str:
        parts = [f"${letter}:${letter},${letter}{row}" for letter in self.columns[:3]]
        parts += [f'${letter}:${letter},"="&${letter}{row}' for letter in self.columns[3:]]
        return ",".join(parts)

    def total(self, key: str, row: int) -> str:
        letter = self.sheet.letter(key)
        return f"SUMIFS(${letter}:${letter},{self.of(row)})"


def _share_formula(sheet: SheetWriter, criteria: _Criteria, method: Method, row: int) -> str:
    """The live ``Andel %`` of a row whose method derives shares from other columns."""
    if method is Method.EQUAL:
        return f"=100/COUNTIFS({criteria.of(row)})"

    def part(key: str) -> str:
        total = criteria.total(key, row)
        return f"IF({total}=0,0,${sheet.letter(key)}{row}/{total})"

    if method is Method.SAVINGS:
        return f"=100*{part('savings')}"
    weight = f"${sheet.letter('alpha')}{row}"
    alpha = f'IF({weight}="",0.5,{weight}/100)'
    return f"=100*({alpha}*{part('responsibility')}+(1-{alpha})*{part('benefit')})"


def _with_ids(
    intervention: Intervention, split_ids: SplitIds | None
) -> list[tuple[SplitVersion, int | None]]:
    """The intervention's versions by ``Gælder fra`` (versions of one day in their order), each
    with its stored id when known."""
    ids: Sequence[int | None] = (split_ids or {}).get(intervention.id, ())
    pairs = list(zip_longest(intervention.splits, ids[: len(intervention.splits)]))
    return sorted(pairs, key=lambda pair: pair[0].effective_from)


def _write_splits(workbook: Workbook, scenario: Scenario, split_ids: SplitIds | None) -> None:
    sheet = SheetWriter(workbook, layout.SPLITS)
    criteria = _Criteria(sheet, with_ids=split_ids is not None)
    for intervention in scenario.interventions:
        for split, split_id in _with_ids(intervention, split_ids):
            given = dict(split.shares)
            responsibility = dict(split.responsibility)
            benefit = dict(split.benefit)
            savings = dict(split.savings)
            weighted = split.method is Method.WEIGHTED
            for code in split_departments(split):
                row = sheet.next_row
                if split.method is Method.FIXED:
                    share: Decimal | str = plain(given[code])
                else:
                    share = _share_formula(sheet, criteria, split.method, row)
                sheet.append(
                    (
                        intervention.id,
                        split.effective_from,
                        layout.danish("method", split.method.value),
                        plain(split.alpha * 100) if weighted else None,
                        layout.danish("status", split.status.value),
                        code,
                        share,
                        plain(responsibility[code]) if code in responsibility else None,
                        plain(benefit[code]) if code in benefit else None,
                        plain(savings[code]) if code in savings else None,
                        split.rationale,
                        f"={criteria.total('share', row)}",
                        Decimal(split_id) if split_id is not None else None,
                    )
                )
    departments = _department_range(len(scenario.departments))
    sheet.vocabulary_lists()
    sheet.drop_down("department", departments)
    sheet.as_table()


# --- computed sheets ----------------------------------------------------------------------------


def line_rows(lines: Iterable[Line], accounts: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    """``Fordelt`` rows: intervention, case, month (its first day), department, account, amount."""
    months: dict[str, date] = {}
    for line in lines:
        month = months.get(line.month)
        if month is None:
            month = months[line.month] = date(int(line.month[:4]), int(line.month[5:]), 1)
        yield (
            line.intervention,
            line.case,
            month,
            line.department,
            accounts.get(line.department, ""),
            kroner(line.amount),
        )


def entry_rows(found: Iterable[Entry]) -> Iterator[tuple[Any, ...]]:
    """``Fordelt`` rows of booked entries: a correction's month is the month it is posted in,
    and the month it corrects stands in ``Efterregulering af``."""
    for entry in found:
        corrects = first_day(entry.month) if entry.is_correction else None
        yield (entry.intervention, entry.case, first_day(entry.posted_in), entry.department,
               entry.account, kroner(entry.amount), corrects)


def _write_lines(
    workbook: Workbook,
    allocation: Allocation,
    accounts: dict[str, str],
    rows_per_sheet: int,
    progress: Progress | None,
    bookings: Bookings | None,
) -> None:
    """``Fordelt``, continued on ``Fordelt 2``, … when a sheet reaches ``rows_per_sheet`` rows.

    With ``bookings``, closed months come as booked and the corrections follow as marked rows.
    """
    index = 1
    lines: Sequence[Line] = allocation.lines
    rows: Iterable[tuple[Any, ...]] = line_rows(lines, accounts)
    total = len(lines)
    if bookings is not None:
        through = bookings.closed_through
        lines = [line for line in lines if line.month > through]
        rows = chain(entry_rows(bookings.posted), line_rows(lines, accounts),
                     entry_rows(bookings.corrections))
        total = len(bookings.posted) + len(lines) + len(bookings.corrections)
    sheet = SheetWriter(workbook, layout.LINES, layout.lines_sheet_name(index))
    for count, row in enumerate(rows, 1):
        if sheet.rows == rows_per_sheet:
            sheet.as_table()
            index += 1
            sheet = SheetWriter(workbook, layout.LINES, layout.lines_sheet_name(index))
        sheet.append(row)
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(count, total)
    sheet.as_table()
    if progress is not None:
        progress(total, total)


def _write_corrections(workbook: Workbook, bookings: Bookings | None) -> None:
    """``Efterregulering``: every correction of a closed month posted in the period."""
    sheet = SheetWriter(workbook, layout.CORRECTIONS)
    for entry in bookings.corrections if bookings is not None else ():
        sheet.append((first_day(entry.posted_in), first_day(entry.month), entry.intervention,
                      entry.case, entry.department, entry.paid_by, entry.account,
                      kroner(entry.amount)))
    sheet.as_table()


def _write_settlement(
    workbook: Workbook, transfers: list[Transfer], accounts: dict[str, str]
) -> None:
    sheet = SheetWriter(workbook, layout.SETTLEMENT)
    for transfer in transfers:
        sheet.append(
            (
                transfer.from_,
                transfer.to,
                kroner(transfer.amount),
                accounts.get(transfer.from_, ""),
                accounts.get(transfer.to, ""),
            )
        )
    sheet.as_table()


def _write_postings(
    workbook: Workbook, transfers: list[Transfer], accounts: dict[str, str], period: Period
) -> None:
    """One debit on the bearing department and one credit on the paying one per transfer."""
    sheet = SheetWriter(workbook, layout.POSTINGS)
    span = f"{format_date(period.start)}–{format_date(period.end)}"
    for transfer in transfers:
        text = f"Intern afregning {span}: {transfer.from_} til {transfer.to}"
        amount = kroner(transfer.amount)
        debit = accounts.get(transfer.from_, "")
        credit = accounts.get(transfer.to, "")
        sheet.append((period.end, transfer.from_, debit, amount, None, text))
        sheet.append((period.end, transfer.to, credit, None, amount, text))
    sheet.as_table()


def write_summary(
    workbook: Workbook, totals: Mapping[DepartmentCode, Ore], total: Ore, title: str
) -> None:
    """The ``Oversigt`` sheet: per-department totals and shares with a native pie chart beside
    them, in the departments' own colours."""
    sheet = SheetWriter(workbook, layout.SUMMARY)
    for code, amount in totals.items():
        sheet.append((code, kroner(amount), percent(Fraction(amount, total or 1))))
    count = sheet.rows
    label = WriteOnlyCell(sheet.sheet, "I alt")
    label.font = _HEADER_FONT
    sum_cell = WriteOnlyCell(sheet.sheet)
    sum_cell.font = _HEADER_FONT
    sum_cell.number_format = layout.AMOUNT_FORMAT
    set_number(sum_cell, kroner(total))
    sheet.sheet.append([])
    sheet.sheet.append([label, sum_cell])
    if not totals:
        return
    chart = PieChart()
    chart.title = title
    chart.height, chart.width = 10, 14
    values = Reference(sheet.sheet, min_col=2, min_row=1, max_row=count + 1)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet.sheet, min_col=1, min_row=2, max_row=count + 1))
    series = chart.series[0]
    colours = colours_for(totals)
    for index, code in enumerate(totals):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colours[code].lstrip("#")
        series.dPt.append(point)
    series.dLbls = DataLabelList()
    series.dLbls.showPercent = True
    series.dLbls.showVal = False
    series.dLbls.showCatName = False
    series.dLbls.showSerName = False
    series.dLbls.showLeaderLines = True
    sheet.sheet.add_chart(chart, "E2")


# --- the workbook -------------------------------------------------------------------------------


def write_controller_workbook(
    target: Target,
    scenario: Scenario,
    period: Period,
    mode: SettlementMode = "pairwise",
    *,
    rows_per_sheet: int = layout.MAX_DATA_ROWS,
    progress: Progress | None = None,
    split_ids: SplitIds | None = None,
    bookings: Bookings | None = None,
) -> Allocation:
    """Write the controller workbook of a valid scenario for ``period`` to ``target``.

    ``target`` is a path or a writable binary stream. ``split_ids`` (a database's export) give
    each version its ``Fordelings-ID``, so that an import finds exactly the version each row
    belongs to; ``bookings`` (also from the database) show closed months as booked and their
    corrections. ``progress`` is told how far the writing of the allocation lines has come.
    Returns the allocation it wrote, so callers can report totals without computing them again.
    """
    from finans.excel.refund_sheets import write_refund_rates, write_refunds

    allocation = allocate(scenario, period)
    transfers = settle(allocation, mode)
    accounts = {department.code: department.account for department in scenario.departments}
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "finans"
    workbook.properties.title = "Fælles finansiering"
    _write_departments(workbook, scenario)
    _write_cases(workbook, scenario)
    _write_interventions(workbook, scenario)
    _write_splits(workbook, scenario, split_ids)
    _write_lines(workbook, allocation, accounts, rows_per_sheet, progress, bookings)
    _write_corrections(workbook, bookings)
    _write_settlement(workbook, transfers, accounts)
    _write_postings(workbook, transfers, accounts, period)
    span = f"{format_date(period.start)} – {format_date(period.end)}"
    write_summary(workbook, allocation.totals, allocation.total, f"Fordeling {span}")
    write_refunds(workbook, refunds(scenario, allocation), scenario.departments)
    write_refund_rates(workbook, scenario.refund_rates)
    workbook.save(target)
    return allocation


def write_calc_workbook(
    scenario: Scenario, period: Period, mode: SettlementMode, target: Target
) -> None:
    """``finans calc --format xlsx``: the calculator's result as a controller workbook."""
    write_controller_workbook(target, scenario, period, mode)
