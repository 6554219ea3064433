"""The lagkage template: one case on one sheet, filled in at the joint assessment.

Sheet ``Lagkage`` holds the case header (Sagsnr, Familie, Koordinator, Samtykke, Udredningsdato)
and one block per intervention: the intervention's fields, one split version (Gælder fra, Metode,
Vægt ansvar %, Status, Begrundelse) and a row per department with Ansvar, Gevinst, Besparelse and
Andel %. ``Resultat %`` is a live formula giving each department's share by the block's method
(``fast``: Andel %; ``lige``: 100 / number of departments; ``vægtet``: α·r/Σr + (1 − α)·b/Σb with α
= Vægt ansvar % / 100, 50 when empty; ``besparelse``: s/Σs) with their sum below, and every block
has its own native pie chart of those shares. Sheet ``Afdelinger`` lists the departments the
drop-down lists offer and is read back like the controller workbook's.

The reader finds the parts by their labels in column A (``ID``, ``Gælder fra``, ``Afdeling``,
``I alt``) and the fields by their headers, so rows inserted into a block (more departments) are
read too. A block whose intervention row and department rows are empty is skipped, and a block
without department rows gives an intervention without a split version.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from finans.allocation.records import Case, Department, Intervention, Method, SplitVersion
from finans.excel import layout
from finans.excel.cells import RawCell, guard_text, needs_text_guard, safe_text, set_number
from finans.excel.collector import Collector, at
from finans.excel.inputs import (
    Cells,
    Row,
    VersionRows,
    build_split,
    empty_cell,
    fold,
    read_case,
    read_intervention,
    version_key,
)
from finans.excel.writer import Target, kroner, ordered_splits, plain, split_departments

BLANK_BLOCKS = 3
"""Intervention blocks in a blank template (and one spare block after a prefilled case's)."""

MIN_DEPARTMENT_ROWS = 6
FIRST_BLOCK_ROW = 10

RESULT_HEADER = "Resultat %"
TOTAL_LABEL = "I alt"
CASE_KEYS = ("ref", "family", "coordinator", "consent", "assessed_on")
INTERVENTION_KEYS = (
    "id", "title", "legal_basis", "granted_by", "paid_by", "amount", "per", "start", "end"
)
VERSION_KEYS = ("effective_from", "method", "alpha", "status", "rationale")
DEPARTMENT_KEYS = ("department", "responsibility", "benefit", "savings", "share")

_INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
_BLOCK_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_KIND_FORMATS = {
    "date": layout.DATE_FORMAT,
    "amount": layout.AMOUNT_FORMAT,
    "percent": layout.PERCENT_FORMAT,
    "number": layout.NUMBER_FORMAT,
}
_WIDTHS = (16, 28, 26, 13, 13, 13, 10, 12, 12)


def _column(key: str) -> layout.Column:
    for sheet in (layout.CASES, layout.INTERVENTIONS, layout.SPLITS):
        for column in sheet.columns:
            if column.key == key:
                return column
    raise KeyError(key)


# --- writing ------------------------------------------------------------------------------------


class _Sheet:
    """Cell writing on the template sheet, with drop-down lists gathered per kind."""

    def __init__(self, sheet: Worksheet, department_count: int) -> None:
        self.sheet = sheet
        departments = quote_sheetname(layout.DEPARTMENTS.name)
        self.lists = {
            "department": self._list(f"{departments}!$A$2:$A${max(department_count, 1) + 1}"),
            **{
                name: self._list('"' + ",".join(layout.words(name)) + '"')
                for name in layout.VOCABULARIES
            },
        }

    def _list(self, formula: str) -> DataValidation:
        validation = DataValidation(
            type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
            errorTitle="Ugyldig værdi", error="Vælg en værdi fra listen.",
        )
        self.sheet.add_data_validation(validation)
        return validation

    def label(self, row: int, column: int, text: str, *, fill: PatternFill | None = None) -> None:
        cell = self.sheet.cell(row=row, column=column, value=text)
        cell.font = _BOLD
        if fill is not None:
            cell.fill = fill

    def value(self, row: int, column: int, key: str, value: Any) -> None:
        """An input cell: pale yellow, formatted for its kind, with a drop-down when it has one."""
        cell = self.sheet.cell(row=row, column=column)
        cell.fill = _INPUT_FILL
        spec = _column(key)
        if spec.kind in _KIND_FORMATS:
            cell.number_format = _KIND_FORMATS[spec.kind]
        if isinstance(value, Decimal):
            set_number(cell, value)
        elif isinstance(value, str):
            text = safe_text(value)
            cell.value = text
            if needs_text_guard(text):
                guard_text(cell)
        elif value is not None:
            cell.value = value
        choices = spec.vocabulary or ("department" if key in _DEPARTMENT_CODES else "")
        if choices:
            self.lists[choices].add(cell.coordinate)

    def formula(self, row: int, column: int, text: str, *, bold: bool = False) -> None:
        cell = self.sheet.cell(row=row, column=column, value=text)
        cell.number_format = layout.PERCENT_FORMAT
        if bold:
            cell.font = _BOLD


_DEPARTMENT_CODES = {"granted_by", "paid_by", "department"}
"""Cells that take a department code from the drop-down list."""


def _latest(intervention: Intervention) -> SplitVersion | None:
    """The version a re-assessment starts from: the one with the latest ``Gælder fra``."""
    splits = ordered_splits(intervention)
    return splits[-1] if splits else None


def _case_values(case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    return {
        "ref": case.ref,
        "family": case.family,
        "coordinator": case.coordinator,
        "consent": layout.danish("consent", case.consent),
        "assessed_on": case.assessed_on,
    }


def _intervention_values(intervention: Intervention | None) -> dict[str, Any]:
    if intervention is None:
        return {}
    cost = intervention.cost
    return {
        "id": intervention.id,
        "title": intervention.title,
        "legal_basis": intervention.legal_basis,
        "granted_by": intervention.granted_by,
        "paid_by": intervention.paid_by,
        "amount": kroner(cost.amount),
        "per": layout.danish("per", cost.per.value),
        "start": cost.start,
        "end": cost.end,
    }


def _version_values(split: SplitVersion | None) -> dict[str, Any]:
    if split is None:
        return {"method": "vægtet", "alpha": Decimal(50), "status": "foreslået"}
    weighted = split.method is Method.WEIGHTED
    return {
        "effective_from": split.effective_from,
        "method": layout.danish("method", split.method.value),
        "alpha": plain(split.alpha * 100) if weighted else None,
        "status": layout.danish("status", split.status.value),
        "rationale": split.rationale,
    }


def _department_values(split: SplitVersion | None) -> list[dict[str, Any]]:
    if split is None:
        return []
    shares = dict(split.shares)
    inputs = {
        "responsibility": dict(split.responsibility),
        "benefit": dict(split.benefit),
        "savings": dict(split.savings),
    }
    rows = []
    for code in split_departments(split):
        row: dict[str, Any] = {"department": code}
        if split.method is Method.FIXED:
            row["share"] = plain(shares[code])
        for key, values in inputs.items():
            if code in values:
                row[key] = plain(values[code])
        rows.append(row)
    return rows


def _write_case(sheet: _Sheet, case: Case | None) -> None:
    sheet.sheet["A1"] = "Lagkage – fælles finansiering"
    sheet.sheet["A1"].font = Font(bold=True, size=14)
    sheet.sheet["A2"] = (
        "Udfyld de gule felter. Resultat % og summen regnes af Excel; indlæs filen i finans."
    )
    values = _case_values(case)
    for offset, key in enumerate(CASE_KEYS):
        row = 4 + offset
        sheet.label(row, 1, _column(key).header)
        sheet.value(row, 2, key, values.get(key))


def _result_formula(first: int, last: int, row: int, version_row: int) -> str:
    """The share of department row ``row`` by the block's method, in percent."""
    method = f"$B${version_row}"
    alpha = f'IF($C${version_row}="",0.5,$C${version_row}/100)'

    def part(column: str) -> str:
        total = f"SUM(${column}${first}:${column}${last})"
        return f"IF({total}=0,0,${column}{row}/{total})"

    return (
        f'=IF($A{row}="","",IF({method}="fast",$E{row},'
        f'IF({method}="lige",100/COUNTA($A${first}:$A${last}),'
        f'IF({method}="vægtet",100*({alpha}*{part("B")}+(1-{alpha})*{part("C")}),'
        f'IF({method}="besparelse",100*{part("D")},"")))))'
    )


def _write_block(
    sheet: _Sheet,
    top: int,
    number: int,
    intervention: Intervention | None,
    department_rows: int,
) -> int:
    """One intervention block from row ``top``; returns the first row after it."""
    split = _latest(intervention) if intervention is not None else None
    sheet.label(top, 1, f"Indsats {number}", fill=_BLOCK_FILL)
    for column in range(2, len(_WIDTHS) + 1):
        sheet.sheet.cell(row=top, column=column).fill = _BLOCK_FILL
    for keys, values, header_row in (
        (INTERVENTION_KEYS, _intervention_values(intervention), top + 1),
        (VERSION_KEYS, _version_values(split), top + 3),
    ):
        for column, key in enumerate(keys, 1):
            sheet.label(header_row, column, _column(key).header)
            sheet.value(header_row + 1, column, key, values.get(key))
    header = top + 5
    for column, key in enumerate(DEPARTMENT_KEYS, 1):
        sheet.label(header, column, _column(key).header)
    sheet.label(header, len(DEPARTMENT_KEYS) + 1, RESULT_HEADER)
    first, last = header + 1, header + department_rows
    rows = _department_values(split)
    for offset in range(department_rows):
        row = first + offset
        values = rows[offset] if offset < len(rows) else {}
        for column, key in enumerate(DEPARTMENT_KEYS, 1):
            sheet.value(row, column, key, values.get(key))
        sheet.formula(row, 6, _result_formula(first, last, row, top + 4))
    total = last + 1
    sheet.label(total, 1, TOTAL_LABEL)
    sheet.formula(total, 5, f"=SUM(E{first}:E{last})", bold=True)
    sheet.formula(total, 6, f"=SUM(F{first}:F{last})", bold=True)
    sheet.sheet.conditional_formatting.add(
        f"F{total}",
        Rule(
            type="expression",
            formula=[f"AND(COUNT(F{total})=1,ABS(F{total}-100)>0.0001)"],
            dxf=DifferentialStyle(font=Font(bold=True, color="9C0006"),
                                  fill=PatternFill(bgColor="FFC7CE")),
        ),
    )
    _add_chart(sheet.sheet, intervention, number, header, first, last, top)
    return total + 2


def _add_chart(
    sheet: Worksheet,
    intervention: Intervention | None,
    number: int,
    header: int,
    first: int,
    last: int,
    top: int,
) -> None:
    chart = PieChart()
    chart.title = (
        f"{intervention.id} {intervention.title}" if intervention is not None
        else f"Indsats {number}"
    )
    chart.add_data(Reference(sheet, min_col=6, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    labels = DataLabelList()
    labels.showPercent = True
    labels.showVal = labels.showCatName = labels.showSerName = labels.showLegendKey = False
    chart.series[0].dLbls = labels
    chart.height = max(6.0, 0.53 * (last - top + 2))
    chart.width = 11
    sheet.add_chart(chart, f"K{top}")


def _write_departments(workbook: Workbook, departments: Sequence[Department]) -> None:
    sheet = workbook.create_sheet(layout.DEPARTMENTS.name)
    for column, spec in enumerate(layout.DEPARTMENTS.columns, 1):
        cell = sheet.cell(row=1, column=column, value=spec.header)
        cell.font = _BOLD
        sheet.column_dimensions[get_column_letter(column)].width = spec.width
    for row, department in enumerate(departments, 2):
        for column, text in enumerate((department.code, department.name, department.account), 1):
            cell = sheet.cell(row=row, column=column, value=safe_text(text))
            if needs_text_guard(cell.value):
                guard_text(cell)
    sheet.freeze_panes = "A2"


def write_template(
    target: Target,
    departments: Sequence[Department],
    case: Case | None = None,
    interventions: Sequence[Intervention] = (),
    *,
    blank_blocks: int = BLANK_BLOCKS,
) -> None:
    """Write the lagkage template, blank or prefilled with one case and its interventions.

    A prefilled block shows the intervention's latest split version; one blank block follows for
    a new intervention (``blank_blocks`` of them when there is no case).
    """
    workbook = Workbook()
    workbook.properties.creator = "finans"
    workbook.properties.title = "Lagkage"
    sheet = workbook.active
    assert sheet is not None
    sheet.title = layout.TEMPLATE_SHEET
    for column, width in enumerate(_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    writer = _Sheet(sheet, len(departments))
    _write_case(writer, case)
    blocks: list[Intervention | None] = list(interventions)
    blocks += [None] * (1 if case is not None else blank_blocks)
    department_rows = max(MIN_DEPARTMENT_ROWS, len(departments))
    top = FIRST_BLOCK_ROW
    for number, intervention in enumerate(blocks, 1):
        split = _latest(intervention) if intervention is not None else None
        rows = max(department_rows, len(_department_values(split)))
        top = _write_block(writer, top, number, intervention, rows)
    _write_departments(workbook, departments)
    workbook.save(target)


# --- reading ------------------------------------------------------------------------------------

_CASE_LABELS = {fold(_column(key).header): key for key in CASE_KEYS}
_ID_LABEL = fold(_column("id").header)
_TITLE_LABEL = fold(_column("title").header)
_VERSION_LABEL = fold(_column("effective_from").header)
_DEPARTMENT_LABEL = fold(_column("department").header)
_TOTAL_LABEL = fold(TOTAL_LABEL)


class _Block:
    """The cells of one intervention block, found by the labels in column A."""

    def __init__(self, header: tuple[RawCell, ...], values: tuple[RawCell, ...]) -> None:
        self.intervention = _by_header(header, values, INTERVENTION_KEYS)
        self.version: Cells = {}
        self.department_header: tuple[RawCell, ...] = ()
        self.departments: list[Cells] = []
        self.collecting = False

    def add_department(self, cells: tuple[RawCell, ...]) -> None:
        row = _by_header(self.department_header, cells, DEPARTMENT_KEYS)
        if any(not row[key].empty or row[key].formula for key in DEPARTMENT_KEYS):
            self.departments.append(row)

    @property
    def empty(self) -> bool:
        return not self.departments and all(
            cell.empty and not cell.formula for cell in self.intervention.values()
        )


def _by_header(
    header: tuple[RawCell, ...], values: tuple[RawCell, ...], keys: tuple[str, ...]
) -> Cells:
    """Column key → cell of a value row, by the header texts of the row above it."""
    wanted = {fold(_column(key).header): key for key in keys}
    row_where = values[0].where if values else header[0].where
    sheet, _, coordinate = row_where.partition("!")
    number = int("".join(char for char in coordinate if char.isdigit()))
    cells: Cells = {}
    for index, cell in enumerate(header):
        key = wanted.get(fold(cell.value))
        if key is not None and key not in cells:
            cells[key] = values[index] if index < len(values) else empty_cell(
                sheet, number, index + 1
            )
    for key in keys:
        cells.setdefault(key, empty_cell(sheet, number, 1))
    return cells


def _scan(name: str, rows: list[Row]) -> tuple[Cells, list[_Block]]:
    """The case header's value cells and the intervention blocks of the sheet."""
    by_number = dict(rows)
    width = max((len(cells) for _, cells in rows), default=1)

    def row(number: int) -> tuple[RawCell, ...]:
        found = by_number.get(number)
        if found is not None:
            return found
        return tuple(empty_cell(name, number, column) for column in range(1, width + 1))

    case: Cells = {}
    blocks: list[_Block] = []
    for number, cells in rows:
        label = fold(cells[0].value) if not cells[0].formula else ""
        second = fold(cells[1].value) if len(cells) > 1 else ""
        block = blocks[-1] if blocks else None
        if label == _ID_LABEL and second == _TITLE_LABEL:
            blocks.append(_Block(cells, row(number + 1)))
        elif block is not None and label == _VERSION_LABEL:
            block.version = _by_header(cells, row(number + 1), VERSION_KEYS)
        elif block is not None and label == _DEPARTMENT_LABEL:
            block.department_header = cells
            block.collecting = True
        elif block is not None and label == _TOTAL_LABEL:
            block.collecting = False
        elif block is not None and block.collecting:
            block.add_department(cells)
        elif block is None and label in _CASE_LABELS and len(cells) > 1:
            case.setdefault(_CASE_LABELS[label], cells[1])
    for key in CASE_KEYS:
        case.setdefault(key, empty_cell(name, 1, 2))
    return case, blocks


def read_template(
    name: str, rows: list[Row], collector: Collector
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The case and its interventions (each with at most one split version) from the sheet."""
    case_cells, blocks = _scan(name, rows)
    case = read_case(collector, case_cells, "cases[0]")
    interventions: list[dict[str, Any]] = []
    for block in blocks:
        if block.empty:
            continue
        path = f"interventions[{len(interventions)}]"
        intervention = read_intervention(collector, block.intervention, path, case=case["ref"])
        collector.map(at(path, "case"), case_cells["ref"])
        interventions.append(intervention)
        if not block.departments or not intervention["id"]:
            continue
        version_cells = {**block.version, "intervention": block.intervention["id"]}
        key = version_key(collector, version_cells)
        if key is None:
            continue
        version = VersionRows(*key)
        version.rows = [{**version_cells, **department} for department in block.departments]
        intervention["splits"].append(build_split(collector, version, at(path, "splits") + "[0]"))
    return case, interventions
