"""The input sheets' cells → scenario JSON (docs/scenario.md), each value's cell remembered.

``Afdelinger``, ``Sager`` and ``Indsatser`` give one object per row. ``Fordeling`` rows are grouped
into split versions by intervention and ``Fordelings-ID`` (the stored version's id, which tells
apart versions of one day: a rejected proposal, the agreed one that replaced it, a new proposal),
or by intervention, ``Gælder fra`` and status for rows without one; the inputs are taken from the
method's columns (``Andel %`` for ``fast``, ``Ansvar`` and ``Gevinst`` for ``vægtet``,
``Besparelse`` for ``besparelse``, the rows themselves for ``lige``). The lagkage template builds
the same objects from its own cells with the functions here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter

from finans.excel import layout
from finans.excel.cells import (
    Parsed,
    RawCell,
    read_choice,
    read_date,
    read_number,
    read_text,
)
from finans.excel.collector import Collector, at
from finans.excel.layout import SheetLayout
from finans.formatting import format_number

Cells = dict[str, RawCell]
"""One row's cells by column key."""

Row = tuple[int, tuple[RawCell, ...]]
"""A sheet row: its number and its cells from column A."""

MAX_SPLIT_ID = 2**31 - 1
"""Stored versions have ids up to this."""


def fold(text: object) -> str:
    """Header and label text compared trimmed and in any case."""
    return str(text).strip().casefold() if text is not None else ""


def empty_cell(sheet: str, row: int, column: int) -> RawCell:
    return RawCell(None, False, False, f"{sheet}!{get_column_letter(column)}{row}")


class InputSheet:
    """An input sheet's columns, found by their header in row 1, and its data rows."""

    def __init__(self, sheet: SheetLayout, name: str, rows: list[Row], collector: Collector):
        self.layout = sheet
        self.name = name
        header = rows[0][1] if rows and rows[0][0] == 1 else ()
        self.columns: dict[str, int] = {}
        wanted = {fold(column.header): column.key for column in sheet.columns}
        for index, cell in enumerate(header):
            key = wanted.get(fold(cell.value))
            if key is None or cell.formula:
                continue
            if key in self.columns:
                message = f"Kolonnen '{sheet.column(key).header}' står to gange i arket {name}"
                collector.problem("duplicate_column", message, cell.where)
            else:
                self.columns[key] = index
        self.complete = True
        for column in sheet.columns:
            if column.kind != "formula" and not column.optional and column.key not in self.columns:
                message = (
                    f"Kolonnen '{column.header}' mangler i arket {name} "
                    "(overskrifterne står i række 1)"
                )
                collector.problem("missing_column", message, f"{name}!A1")
                self.complete = False
        self.rows = [
            (number, cells)
            for number, cells in rows
            if number > 1 and any(not self.cell(cells, number, key).empty for key in self.columns)
        ]

    def cell(self, cells: tuple[RawCell, ...], number: int, key: str) -> RawCell:
        index = self.columns[key]
        return cells[index] if index < len(cells) else empty_cell(self.name, number, index + 1)

    def each(self) -> Iterator[Cells]:
        """Every data row as column key → cell."""
        for number, cells in self.rows:
            yield {key: self.cell(cells, number, key) for key in self.columns}


def _header(sheet: SheetLayout, key: str) -> str:
    return sheet.column(key).header


def _text(
    collector: Collector, cells: Cells, sheet: SheetLayout, key: str, path: str,
    *, required: bool = False,
) -> str:
    value = collector.read(
        cells[key], read_text, _header(sheet, key), path=at(path, key), required=required
    )
    return value or ""


def _choice(vocabulary: str) -> Callable[[RawCell], Parsed]:
    return lambda cell: read_choice(cell, vocabulary)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- departments, cases, interventions ----------------------------------------------------------


def read_departments(sheet: InputSheet, collector: Collector) -> list[dict[str, Any]]:
    """``Afdelinger`` rows as scenario departments."""
    result = []
    columns = layout.DEPARTMENTS
    collector.map("departments", f"{sheet.name}!A1")
    for index, cells in enumerate(sheet.each()):
        path = f"departments[{index}]"
        collector.map(path, cells["code"])
        result.append(
            {
                "code": _text(collector, cells, columns, "code", path, required=True),
                "name": _text(collector, cells, columns, "name", path, required=True),
                "account": _text(collector, cells, columns, "account", path),
            }
        )
    return result


def read_case(collector: Collector, cells: Cells, path: str) -> dict[str, Any]:
    """One case from its cells: Sagsnr, Familie, Koordinator, Samtykke, Udredningsdato."""
    columns = layout.CASES
    collector.map(path, cells["ref"])
    case: dict[str, Any] = {
        "ref": _text(collector, cells, columns, "ref", path, required=True),
        "family": _text(collector, cells, columns, "family", path),
        "coordinator": _text(collector, cells, columns, "coordinator", path),
    }
    consent = collector.read(
        cells["consent"], _choice("consent"), _header(columns, "consent"),
        path=at(path, "consent"),
    )
    if consent is not None:
        case["consent"] = consent
    assessed_on = collector.read(
        cells["assessed_on"], read_date, _header(columns, "assessed_on"),
        path=at(path, "assessed_on"),
    )
    case["assessed_on"] = _iso(assessed_on)
    return case


def read_intervention(
    collector: Collector, cells: Cells, path: str, case: str | None = None
) -> dict[str, Any]:
    """One intervention, without splits, from its cells; ``case`` when no Sagsnr cell is given.

    ``Refusionsberettiget`` left empty means ``nej``; a sheet without that column leaves
    ``refundable`` out, for the import to keep what is stored.
    """
    columns = layout.INTERVENTIONS
    collector.map(path, cells["id"])
    intervention: dict[str, Any] = {
        "id": _text(collector, cells, columns, "id", path, required=True),
        "case": (
            case if case is not None
            else _text(collector, cells, columns, "case", path, required=True)
        ),
        "title": _text(collector, cells, columns, "title", path, required=True),
        "legal_basis": _text(collector, cells, columns, "legal_basis", path),
        "granted_by": _text(collector, cells, columns, "granted_by", path, required=True),
        "paid_by": _text(collector, cells, columns, "paid_by", path, required=True),
    }
    cost_path = at(path, "cost")
    collector.map(cost_path, cells["amount"])

    def read(key: str, parse: Callable[[RawCell], Parsed], *, required: bool = True) -> Any:
        return collector.read(
            cells[key], parse, _header(columns, key), path=at(cost_path, key), required=required
        )

    amount = read("amount", read_number)
    per = read("per", _choice("per"))
    start = read("start", read_date)
    end = read("end", read_date, required=False)
    cost: dict[str, Any] = {"end": _iso(end)}
    if amount is not None:
        cost["amount"] = format(amount, "f")
    if per is not None:
        cost["per"] = per
    if start is not None:
        cost["start"] = start.isoformat()
    intervention["cost"] = cost
    if "refundable" in cells:
        refundable = collector.read(
            cells["refundable"], _choice("refundable"), _header(columns, "refundable"),
            path=at(path, "refundable"),
        )
        intervention["refundable"] = refundable is True
    if "account" in cells:
        # An empty cell keeps the stored account string (older workbooks lack the column).
        account = _text(collector, cells, columns, "account", path)
        if account:
            intervention["account"] = account
    intervention["splits"] = []
    collector.map(at(path, "splits"), cells["id"])
    return intervention


def read_cases(sheet: InputSheet, collector: Collector) -> list[dict[str, Any]]:
    """``Sager`` rows as scenario cases."""
    collector.map("cases", f"{sheet.name}!A1")
    return [read_case(collector, cells, f"cases[{i}]") for i, cells in enumerate(sheet.each())]


def read_interventions(sheet: InputSheet, collector: Collector) -> list[dict[str, Any]]:
    """``Indsatser`` rows as scenario interventions, their splits still empty."""
    collector.map("interventions", f"{sheet.name}!A1")
    return [
        read_intervention(collector, cells, f"interventions[{i}]")
        for i, cells in enumerate(sheet.each())
    ]


# --- split versions -----------------------------------------------------------------------------


@dataclass
class VersionRows:
    """The rows of one split version: one intervention and ``Fordelings-ID``, or for a version
    without one (a new version, an older workbook) one intervention, ``Gælder fra`` and status.

    Each row maps the ``Fordeling`` column keys to cells; the version's own cells (method, weight,
    rationale) may be filled in the first row only.
    """

    intervention: str
    effective_from: date
    status: str
    split_id: int | None = None
    rows: list[Cells] = field(default_factory=list)

    @property
    def label(self) -> str:
        day = self.effective_from
        return f"{self.intervention} fra {day.day:02d}-{day.month:02d}-{day.year}"


def _common(
    collector: Collector, version: VersionRows, key: str, parse: Callable[[RawCell], Parsed]
) -> tuple[Any, RawCell]:
    """A value all rows of a version share, and the cell it was read from.

    Rows may leave it empty after the first; two different values are a problem.
    """
    header = _header(layout.SPLITS, key)
    found: Any = None
    source = version.rows[0][key]
    for cells in version.rows:
        cell = cells[key]
        if cell.empty and not cell.formula:
            continue
        value = collector.read(cell, parse, header)
        if value is None:
            continue
        if found is None:
            found, source = value, cell
        elif value != found and cell.where != source.where:
            message = (
                f"{header} skal være den samme i alle rækker af fordelingen for {version.label} "
                f"(se {source.where})"
            )
            collector.problem("version_mismatch", message, cell.where)
    return found, source


def _department_codes(collector: Collector, version: VersionRows) -> list[tuple[str, Cells]]:
    """The version's rows with their department code; a repeated department is a problem."""
    header = _header(layout.SPLITS, "department")
    result: list[tuple[str, Cells]] = []
    for cells in version.rows:
        code = collector.read(cells["department"], read_text, header, required=True)
        if not code:
            continue
        if any(code == seen for seen, _ in result):
            message = f"Afdelingen {code} står mere end én gang i fordelingen for {version.label}"
            collector.problem("duplicate_department", message, cells["department"].where)
            continue
        result.append((code, cells))
    return result


def _weights(
    collector: Collector,
    rows: list[tuple[str, Cells]],
    key: str,
    path: str,
    *,
    percent: bool = False,
    required: bool = False,
) -> dict[str, str]:
    """Department → number from one column of a version's rows; empty cells are left out."""
    header = _header(layout.SPLITS, key)
    weights = {}
    for code, cells in rows:
        cell = cells[key]
        collector.map(path, cell)
        collector.map(at(path, code), cell)
        collector.department_cells.setdefault(at(path, code), cells["department"].where)
        number = collector.read(
            cell, lambda raw: read_number(raw, percent=percent), header, required=required
        )
        if number is not None:
            weights[code] = format(number, "f")
    return weights


def build_split(collector: Collector, version: VersionRows, path: str) -> dict[str, Any]:
    """One split version's JSON from its rows, the inputs taken from its method's columns."""
    first = version.rows[0]
    collector.map(path, first["effective_from"])
    collector.map(at(path, "effective_from"), first["effective_from"])
    collector.map(at(path, "status"), first["status"])
    split: dict[str, Any] = {
        "effective_from": version.effective_from.isoformat(),
        "status": version.status,
    }
    if version.split_id is not None:
        split["id"] = version.split_id
        collector.map(at(path, "id"), first["split_id"])
    method, method_cell = _common(collector, version, "method", _choice("method"))
    collector.map(at(path, "method"), method_cell)
    rationale, rationale_cell = _common(collector, version, "rationale", read_text)
    collector.map(at(path, "rationale"), rationale_cell)
    split["rationale"] = rationale or ""
    rows = _department_codes(collector, version)
    if method is None:
        if not method_cell.formula:
            collector.problem("missing_value", "Skal udfyldes (Metode)", method_cell.where)
        return split
    split["method"] = method
    if method == "fixed":
        split["shares"] = _weights(
            collector, rows, "share", at(path, "shares"), percent=True, required=True
        )
    elif method == "equal":
        departments = at(path, "departments")
        collector.map(departments, first["department"])
        for index, (_, cells) in enumerate(rows):
            collector.map(f"{departments}[{index}]", cells["department"])
        split["departments"] = [code for code, _ in rows]
    elif method == "weighted":
        alpha, alpha_cell = _common(
            collector, version, "alpha", lambda cell: read_number(cell, percent=True)
        )
        collector.map(at(path, "alpha"), alpha_cell)
        if alpha is not None and 0 < alpha <= 1:
            typed, meant = format_number(alpha), format_number(alpha * 100)
            message = (
                f"Vægt ansvar % skrives i procent: {typed} betyder {typed} %. Skriv {meant} "
                "(eller formatér cellen som procent)"
            )
            collector.problem("alpha_fraction", message, alpha_cell.where)
        elif alpha is not None:
            split["alpha"] = format(alpha / 100, "f")
        split["responsibility"] = _weights(
            collector, rows, "responsibility", at(path, "responsibility")
        )
        split["benefit"] = _weights(collector, rows, "benefit", at(path, "benefit"))
    else:
        split["savings"] = _weights(collector, rows, "savings", at(path, "savings"), required=True)
    return split


def version_key(collector: Collector, cells: Cells) -> tuple[str, date, str] | None:
    """The (intervention, Gælder fra, status) a ``Fordeling`` row belongs to, if readable."""
    columns = layout.SPLITS
    intervention = collector.read(
        cells["intervention"], read_text, _header(columns, "intervention"), required=True
    )
    day = collector.read(
        cells["effective_from"], read_date, _header(columns, "effective_from"), required=True
    )
    status = collector.read(
        cells["status"], _choice("status"), _header(columns, "status"), required=True
    )
    if not intervention or day is None or status is None:
        return None
    return intervention, day, status


def read_split_id(collector: Collector, cells: Cells) -> int | None:
    """The row's ``Fordelings-ID`` (the stored version it belongs to), if the sheet has one."""
    cell = cells.get("split_id")
    if cell is None:
        return None
    number = collector.read(cell, read_number, _header(layout.SPLITS, "split_id"))
    if number is None:
        return None
    if number != number.to_integral_value() or not 1 <= number <= MAX_SPLIT_ID:
        message = (
            "Fordelings-ID skal være nummeret på en gemt fordeling; lad feltet stå tomt for en ny "
            "fordeling"
        )
        collector.problem("bad_value", message, cell.where)
        return None
    return int(number)


def _check_same_version(collector: Collector, version: VersionRows, cells: Cells) -> None:
    """Every row of a version with an id gives the same ``Gælder fra`` and status."""
    for key, value in (("effective_from", version.effective_from), ("status", version.status)):
        parse = read_date if key == "effective_from" else _choice("status")
        given = collector.read(cells[key], parse, _header(layout.SPLITS, key))
        if given is not None and given != value:
            message = (
                f"{_header(layout.SPLITS, key)} skal være den samme i alle rækker af fordeling "
                f"{version.split_id} (se {version.rows[0][key].where})"
            )
            collector.problem("version_mismatch", message, cells[key].where)


def group_versions(sheet: InputSheet, collector: Collector, known: set[str]) -> list[VersionRows]:
    """``Fordeling`` rows grouped into versions, in order of first appearance."""
    versions: dict[tuple[object, ...], VersionRows] = {}
    for cells in sheet.each():
        key = version_key(collector, cells)
        if key is None:
            continue
        if key[0] not in known:
            message = f"Indsatsen '{key[0]}' findes ikke i arket {layout.INTERVENTIONS.name}"
            collector.problem("unknown_intervention", message, cells["intervention"].where)
            continue
        split_id = read_split_id(collector, cells)
        group: tuple[object, ...] = key if split_id is None else (key[0], split_id)
        if group not in versions:
            versions[group] = VersionRows(*key, split_id=split_id)
        elif split_id is not None:
            _check_same_version(collector, versions[group], cells)
        versions[group].rows.append(cells)
    return list(versions.values())


def attach_splits(
    interventions: list[dict[str, Any]], versions: list[VersionRows], collector: Collector
) -> None:
    """Add each version's JSON to its intervention (the first with that ID)."""
    index_of: dict[str, int] = {}
    for index, intervention in enumerate(interventions):
        index_of.setdefault(intervention["id"], index)
    for version in versions:
        index = index_of[version.intervention]
        splits = interventions[index]["splits"]
        path = f"interventions[{index}].splits[{len(splits)}]"
        splits.append(build_split(collector, version, path))
