"""Charts as PNG or SVG bytes, drawn from plain data with matplotlib's object API.

Inputs are immutable tuples with money as ``int`` øre and shares as ``Fraction``; every label is
formatted exactly from those values (:mod:`finans.formatting`). Amounts become floats only where
matplotlib places them on the page. Each chart has a ``build_*`` function returning the
:class:`~matplotlib.figure.Figure` (so its geometry can be inspected) and a cached public function
returning the image bytes.

pyplot is never imported: it keeps global figure state and a GUI backend, neither of which belongs
in a web server. Figures are created directly and rendered through ``Figure.savefig`` (Agg for PNG).
Identical input gives identical bytes: no timestamps or software versions in the metadata, and a
fixed salt for the ids inside SVG files.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from io import BytesIO
from typing import Any, Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Wedge
from matplotlib.ticker import FuncFormatter
from matplotlib.typing import ColorType, RcKeyType

from finans.formatting import format_money, format_month, format_number, format_percent
from finans.palette import colours_for

ImageFormat = Literal["png", "svg"]
Ore = int

FIGSIZE = (8.0, 5.0)
DPI = 100
CACHE_SIZE = 64
NO_DATA = "Ingen data"
BUDGET, SPEND, FORECAST = "Budget", "Forbrug", "Prognose"

# Large enough to read on a projector; text stays text in SVG so pages can search and zoom it.
_STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    # Laid out with DejaVu Sans (shipped with matplotlib); browsers lacking it use Verdana.
    "font.sans-serif": ["DejaVu Sans", "Verdana"],
    "font.size": 13,
    "axes.titlesize": 16,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.title_fontsize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "finans",
}
_SAVE_METADATA = {"png": {"Software": None}, "svg": {"Date": None}}
# rcParams are process-wide, so figures are built and rendered one at a time.
_LOCK = threading.RLock()

# Budget bars are a neutral reference; spend and forecast carry the department's colour.
_BUDGET_FILL = "#D9D9D9"
# A dark outline keeps light colours (yellow) visible against the white background.
_EDGE = "#444444"
# Wedges smaller than this share of the pie get no label inside (they are named in the legend).
_INNER_LABEL_MIN = Fraction(6, 100)


@contextmanager
def _styled() -> Iterator[None]:
    """Apply the chart style while a figure is built or rendered."""
    with _LOCK, matplotlib.rc_context(_STYLE):
        yield


def _new_figure(title: str) -> tuple[Figure, Axes]:
    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title)
    return figure, axes


def _no_data(figure: Figure, axes: Axes) -> Figure:
    """Turn an empty chart into one that says so, instead of failing on nothing to draw."""
    axes.set_axis_off()
    axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=18, transform=axes.transAxes)
    return figure


def _check_not_negative(code: str, *amounts: Ore | None) -> None:
    if any(amount is not None and amount < 0 for amount in amounts):
        raise ValueError(f"negative amount for department {code!r}")


def _kroner(ore: Ore) -> float:
    """Where an amount lands on the axis (drawing only; labels use the exact integer)."""
    return ore / 100


_TICK = Decimal("0.001")
"""Axis ticks show at most three decimals, whatever binary noise the tick positions carry."""


def _kroner_tick(value: float, _position: object) -> str:
    """Axis ticks in Danish notation; ticks are positions chosen by matplotlib, not amounts."""
    return f"{format_number(Decimal(repr(float(value))).quantize(_TICK).normalize())} kr."


def _text_colour(background: ColorType) -> str:
    """Black or white, whichever reads better on ``background`` (relative luminance)."""
    red, green, blue = to_rgb(background)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "black" if luminance > 0.45 else "white"


def _lighter(colour: str, amount: float = 0.55) -> tuple[float, float, float]:
    """``colour`` mixed with white, for the forecast bars that sit next to solid spend bars."""
    red, green, blue = to_rgb(colour)
    return (red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount)


def _share_label(share: Fraction) -> str:
    """``60 %`` for whole percentages, ``33,3 %`` otherwise."""
    whole = (share * 100).denominator == 1
    return format_percent(share, decimals=0 if whole else 1)


def _draw_pie(axes: Axes, codes: Sequence[str], sizes: Sequence[int | float]) -> list[Wedge]:
    """Wedges clockwise from twelve o'clock, in department colours, with white seams."""
    colours = colours_for(codes)
    drawn = axes.pie(
        sizes,
        colors=[colours[code] for code in codes],
        startangle=90,
        counterclock=False,
        labeldistance=None,
        wedgeprops={"edgecolor": "white", "linewidth": 2},
    )
    return list(drawn[0])


def _label_wedge(axes: Axes, wedge: Wedge, text: str, distance: float, **style: Any) -> None:
    """Put ``text`` on the bisector of ``wedge`` at ``distance`` times its radius."""
    middle = math.radians((wedge.theta1 + wedge.theta2) / 2)
    x = wedge.center[0] + distance * wedge.r * math.cos(middle)
    y = wedge.center[1] + distance * wedge.r * math.sin(middle)
    if distance > 1:
        horizontal = "left" if x > wedge.center[0] else "right"
    else:
        horizontal = "center"
    axes.text(x, y, text, ha=horizontal, va="center", **style)


def draw_lagkage(axes: Axes, shares: Sequence[tuple[str, Fraction]]) -> None:
    """An intervention's pie on ``axes`` (another figure's, e.g. the printed lagkage), each wedge
    in its department's colour and labelled with its code and share inside or beside it."""
    with _styled():
        drawn = [(code, share) for code, share in shares if share > 0]
        if not drawn:
            axes.set_axis_off()
            return
        wedges = _draw_pie(axes, [code for code, _ in drawn], [float(s) for _, s in drawn])
        for wedge, (code, share) in zip(wedges, drawn, strict=True):
            if share >= _INNER_LABEL_MIN:
                colour = _text_colour(wedge.get_facecolor())
                _label_wedge(axes, wedge, f"{code}\n{_share_label(share)}", 0.6, color=colour,
                             fontsize=7)


def build_lagkage_chart(shares: tuple[tuple[str, Fraction], ...], title: str) -> Figure:
    """The lagkage of one intervention: each department's share, labelled ``"BFH 60 %"``.

    Shares of zero take part in nothing and are left out.
    """
    with _styled():
        figure, axes = _new_figure(title)
        for code, share in shares:
            if share < 0:
                raise ValueError(f"negative share for department {code!r}")
        drawn = [(code, share) for code, share in shares if share > 0]
        if not drawn:
            return _no_data(figure, axes)
        codes = [code for code, _ in drawn]
        wedges = _draw_pie(axes, codes, [float(share) for _, share in drawn])
        for wedge, (code, share) in zip(wedges, drawn, strict=True):
            _label_wedge(axes, wedge, f"{code} {_share_label(share)}", 1.1, fontsize=15)
        return figure


def build_department_pie(totals: tuple[tuple[str, Ore], ...], title: str) -> Figure:
    """Spend per department in a period: percentages on the pie, amounts in kroner beside it.

    Departments with nothing spent are left out.
    """
    with _styled():
        figure, axes = _new_figure(title)
        for code, amount in totals:
            _check_not_negative(code, amount)
        drawn = [(code, amount) for code, amount in totals if amount > 0]
        if not drawn:
            return _no_data(figure, axes)
        total = sum(amount for _, amount in drawn)
        codes = [code for code, _ in drawn]
        wedges = _draw_pie(axes, codes, [amount for _, amount in drawn])
        legend_labels = []
        for wedge, (code, amount) in zip(wedges, drawn, strict=True):
            share = Fraction(amount, total)
            percent = format_percent(share)
            legend_labels.append(f"{code}: {format_money(amount)} ({percent})")
            if share >= _INNER_LABEL_MIN:
                colour = _text_colour(wedge.get_facecolor())
                _label_wedge(axes, wedge, f"{code}\n{percent}", 0.62, color=colour, fontsize=12)
        figure.legend(
            wedges,
            legend_labels,
            title=f"I alt: {format_money(total)}",
            loc="outside right center",
            frameon=False,
        )
        return figure


def _money_axis(axes: Axes) -> None:
    axes.yaxis.set_major_formatter(FuncFormatter(_kroner_tick))
    axes.grid(axis="y", color="#DDDDDD")
    axes.set_axisbelow(True)


def build_monthly_bars(
    months: tuple[str, ...],
    series: tuple[tuple[str, tuple[Ore, ...]], ...],
    title: str,
) -> Figure:
    """Spend per month, stacked by department (one series of øre per department, one per month).

    Months are ``'YYYY-MM'`` and shown as ``"jan. 2026"``; departments with nothing spent in any
    month are left out of the bars and the legend.
    """
    with _styled():
        figure, axes = _new_figure(title)
        for code, amounts in series:
            if len(amounts) != len(months):
                raise ValueError(f"{code!r} has {len(amounts)} amounts for {len(months)} months")
            _check_not_negative(code, *amounts)
        drawn = [(code, amounts) for code, amounts in series if any(amounts)]
        if not drawn:
            return _no_data(figure, axes)
        colours = colours_for(code for code, _ in drawn)
        positions = range(len(months))
        stacked = [0] * len(months)
        for code, amounts in drawn:
            heights = [_kroner(amount) for amount in amounts]
            container = axes.bar(
                positions,
                heights,
                bottom=[_kroner(amount) for amount in stacked],
                color=colours[code],
                edgecolor="white",
                linewidth=0.8,
                label=code,
            )
            # bar() re-derives stacked heights as (bottom + height) - bottom, adding float noise.
            for rectangle, height in zip(container, heights, strict=True):
                rectangle.set_height(height)
            stacked = [below + amount for below, amount in zip(stacked, amounts, strict=True)]
        axes.set_xticks(
            positions,
            [format_month(month) for month in months],
            rotation=45,
            ha="right",
            rotation_mode="anchor",
        )
        _money_axis(axes)
        handles, labels = axes.get_legend_handles_labels()
        # Reversed, so the legend reads top to bottom like the stack.
        axes.legend(
            handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False
        )
        return figure


def build_budget_chart(
    rows: tuple[tuple[str, Ore | None, Ore, Ore], ...],
    title: str,
) -> Figure:
    """Budget follow-up per department: budget, spend so far and forecast to year end, in øre.

    Budget bars are neutral grey; spend is solid and the forecast hatched in the department's
    colour, so the three also read without colour vision. A department without a budget says so.
    """
    with _styled():
        figure, axes = _new_figure(title)
        for code, budget, spend, forecast in rows:
            _check_not_negative(code, budget, spend, forecast)
        if not any(budget or spend or forecast for _, budget, spend, forecast in rows):
            return _no_data(figure, axes)
        colours = colours_for(code for code, *_ in rows)
        width = 0.27
        budgeted = [
            (index, budget) for index, (_, budget, _, _) in enumerate(rows) if budget is not None
        ]
        axes.bar(
            [index - width for index, _ in budgeted],
            [_kroner(budget) for _, budget in budgeted],
            width,
            color=_BUDGET_FILL,
            label=BUDGET,
            edgecolor=_EDGE,
            linewidth=0.8,
        )
        for index, (_, budget, _, _) in enumerate(rows):
            if budget is None:
                axes.annotate(
                    "intet budget",
                    (index - width, 0),
                    xytext=(0, 4),
                    textcoords="offset points",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=12,
                    color=_EDGE,
                )
        axes.bar(
            range(len(rows)),
            [_kroner(spend) for _, _, spend, _ in rows],
            width,
            color=[colours[code] for code, *_ in rows],
            label=SPEND,
            edgecolor=_EDGE,
            linewidth=0.8,
        )
        axes.bar(
            [index + width for index in range(len(rows))],
            [_kroner(forecast) for *_, forecast in rows],
            width,
            color=[_lighter(colours[code]) for code, *_ in rows],
            hatch="//",
            label=FORECAST,
            edgecolor=_EDGE,
            linewidth=0.8,
        )
        axes.set_xticks(range(len(rows)), [code for code, *_ in rows])
        _money_axis(axes)
        axes.legend(
            handles=[
                Patch(facecolor=_BUDGET_FILL, edgecolor=_EDGE, label=BUDGET),
                Patch(facecolor=_EDGE, edgecolor=_EDGE, label=SPEND),
                Patch(facecolor=_lighter(_EDGE), edgecolor=_EDGE, hatch="//", label=FORECAST),
            ],
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
        )
        return figure


def render(figure: Figure, fmt: ImageFormat) -> bytes:
    """The figure as PNG or SVG bytes, the same bytes for the same figure."""
    if fmt not in _SAVE_METADATA:
        raise ValueError(f"unknown image format {fmt!r}; use 'png' or 'svg'")
    buffer = BytesIO()
    with _styled():
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata=_SAVE_METADATA[fmt])
    return buffer.getvalue()


@lru_cache(maxsize=CACHE_SIZE)
def lagkage_chart(shares: tuple[tuple[str, Fraction], ...], title: str, fmt: ImageFormat) -> bytes:
    """The lagkage pie of one intervention as image bytes (see :func:`build_lagkage_chart`)."""
    return render(build_lagkage_chart(shares, title), fmt)


@lru_cache(maxsize=CACHE_SIZE)
def department_pie(totals: tuple[tuple[str, Ore], ...], title: str, fmt: ImageFormat) -> bytes:
    """Spend per department as image bytes (see :func:`build_department_pie`)."""
    return render(build_department_pie(totals, title), fmt)


@lru_cache(maxsize=CACHE_SIZE)
def monthly_bars(
    months: tuple[str, ...],
    series: tuple[tuple[str, tuple[Ore, ...]], ...],
    title: str,
    fmt: ImageFormat,
) -> bytes:
    """Stacked monthly spend as image bytes (see :func:`build_monthly_bars`)."""
    return render(build_monthly_bars(months, series, title), fmt)


@lru_cache(maxsize=CACHE_SIZE)
def budget_chart(
    rows: tuple[tuple[str, Ore | None, Ore, Ore], ...], title: str, fmt: ImageFormat
) -> bytes:
    """Budget, spend and forecast per department as image bytes (see :func:`build_budget_chart`)."""
    return render(build_budget_chart(rows, title), fmt)
