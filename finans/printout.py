"""The printable lagkage: one A4 page per case for the family's file, as PDF.

Per intervention: its pie, each department's share and amount this year, and who agreed to the
split in force and when. Drawn with matplotlib's object API on one A4 ``Figure`` (no pyplot, as in
:mod:`finans.charts`); text stays text (Type 3 glyphs, which write four times faster than
embedded TrueType) so it can be searched and copied. However many
interventions a case has, the page stays one: the panels shrink, and past
:data:`MAX_PANELS` the rest are named in a closing line.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from io import BytesIO
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.typing import RcKeyType

from finans.charts import draw_lagkage
from finans.formatting import format_date, format_money, format_percent

A4_INCHES = (8.27, 11.69)
MAX_PANELS = 12
_STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "pdf.fonttype": 3,
}
_TOP, _BOTTOM, _LEFT, _RIGHT = 0.885, 0.04, 0.06, 0.96


@dataclass(frozen=True, slots=True)
class Agreement:
    """A department's approval of the split in force: by whom, when, and whether at the meeting."""

    department: str
    by: str
    at: date | None
    at_meeting: bool


@dataclass(frozen=True, slots=True)
class Panel:
    """One intervention on the page.

    Attributes:
      shares: the split in force today (empty: none, the paying department carries it).
      amounts: what each department finances of it in the year, øre by code.
      agreed_from: the day the split in force took effect.
    """

    intervention: str
    title: str
    legal_basis: str
    paid_by: str
    shares: tuple[tuple[str, Fraction], ...]
    amounts: tuple[tuple[str, int], ...]
    agreed_from: date | None
    agreements: tuple[Agreement, ...]


@dataclass(frozen=True, slots=True)
class CaseSheet:
    """What the page shows about the case."""

    ref: str
    family: str
    coordinator: str
    year: int
    printed: date
    panels: tuple[Panel, ...]


def _agreements(panel: Panel) -> str:
    if not panel.agreements:
        return ""
    said = []
    for item in panel.agreements:
        when = f" {format_date(item.at)}" if item.at else ""
        where = " på mødet" if item.at_meeting else ""
        said.append(f"{item.department}: {item.by}{where}{when}")
    return "Godkendt af " + "; ".join(said)


def _panel_lines(panel: Panel, year: int) -> list[str]:
    shares = dict(panel.shares)
    lines = []
    codes = sorted(set(shares) | {code for code, amount in panel.amounts if amount})
    for code in codes:
        share = format_percent(shares[code]) if code in shares else "–"
        lines.append(f"{code}  {share}  {format_money(dict(panel.amounts).get(code, 0))}")
    total = sum(amount for _, amount in panel.amounts)
    lines.append(f"I alt i {year}: {format_money(total)}")
    if panel.agreed_from is not None:
        lines.append(f"Aftalt fra {format_date(panel.agreed_from)}")
    else:
        lines.append(f"Ingen aftalt fordeling: {panel.paid_by} betaler")
    return lines


def _grid(count: int) -> tuple[int, int]:
    """(columns, rows) for ``count`` panels."""
    columns = 1 if count <= 5 else 2
    return columns, max(1, math.ceil(count / columns))


def build_case_sheet(sheet: CaseSheet) -> Figure:
    """The page as a figure of A4 size."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=A4_INCHES)
        figure.text(_LEFT, 0.965, "Lagkage – fælles finansiering", fontsize=17,
                    fontweight="bold", va="top")
        header = (f"Sag {sheet.ref} · {sheet.family} · koordinator {sheet.coordinator}\n"
                  f"Beløb i {sheet.year} · udskrevet {format_date(sheet.printed)}")
        figure.text(_LEFT, 0.935, header, fontsize=10, va="top", linespacing=1.4)
        shown = sheet.panels[:MAX_PANELS]
        if not shown:
            figure.text(_LEFT, 0.85, "Sagen har ingen indsatser.", fontsize=12, va="top")
        columns, rows = _grid(len(shown))
        height = (_TOP - _BOTTOM) / rows
        width = (_RIGHT - _LEFT) / columns
        size = 9.5 if rows <= 3 else 8 if rows <= 5 else 6.5
        for index, panel in enumerate(shown):
            column, row = index % columns, index // columns
            left = _LEFT + column * width
            top = _TOP - row * height
            _draw_panel(figure, panel, sheet.year, left, top, width, height, size)
        hidden = sheet.panels[MAX_PANELS:]
        if hidden:
            names = ", ".join(panel.intervention for panel in hidden)
            figure.text(_LEFT, 0.02, f"Flere indsatser på sagens side i finans: {names}",
                        fontsize=7, va="bottom")
        return figure


def _draw_panel(
    figure: Figure, panel: Panel, year: int, left: float, top: float, width: float,
    height: float, size: float,
) -> None:
    pie_size = min(height * 0.8, width * 0.3)
    axes = figure.add_axes((left, top - height * 0.1 - pie_size, pie_size, pie_size))
    shares = panel.shares or ((panel.paid_by, Fraction(1)),)
    draw_lagkage(axes, shares)
    text_left = left + pie_size + 0.02
    figure.text(text_left, top - height * 0.08, f"{panel.title} ({panel.intervention})",
                fontsize=size + 1.5, fontweight="bold", va="top")
    body = _panel_lines(panel, year)
    if panel.legal_basis:
        body.insert(0, panel.legal_basis)
    agreements = _agreements(panel)
    if agreements:
        body.append(agreements)
    figure.text(text_left, top - height * 0.08 - (size + 4) / 72 / A4_INCHES[1], _wrap(body),
                fontsize=size, va="top", linespacing=1.3)
    figure.add_artist(Line2D(
        [left, left + width - 0.01], [top - height + 0.004] * 2, color="#bbbbbb", linewidth=0.6,
    ))


def _wrap(lines: Sequence[str], width: int = 70) -> str:
    return "\n".join(
        wrapped for line in lines for wrapped in (textwrap.wrap(line, width) or [""])
    )


def case_sheet_pdf(sheet: CaseSheet) -> bytes:
    """The page as PDF bytes (no creation date, so the same data gives the same file)."""
    figure = build_case_sheet(sheet)
    target = BytesIO()
    with matplotlib.rc_context(_STYLE):
        figure.savefig(target, format="pdf", metadata={"Creator": "finans", "CreationDate": None,
                                                       "Producer": "finans"})
    return target.getvalue()
