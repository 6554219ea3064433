"""The lagkage pie on a page: SVG from finans.charts as a data URI, with a text alternative.

An ``<img>`` with a ``data:`` URI keeps the page to one request and runs no script from the SVG;
the text alternative names every share, for screen readers and for a page printed without images.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from fractions import Fraction

from flask import Flask

from finans.charts import lagkage_chart
from finans.formatting import format_percent


def pie_src(shares: Sequence[tuple[str, Fraction]]) -> str:
    """The pie of ``shares`` as a ``data:image/svg+xml`` URI."""
    svg = lagkage_chart(tuple(shares), "", "svg")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def pie_alt(shares: Sequence[tuple[str, Fraction]]) -> str:
    """``Lagkage: BFH 58,3 %, JOB 41,7 %`` (or that there is none)."""
    if not shares:
        return "Lagkage: ingen fordeling"
    parts = ", ".join(f"{code} {format_percent(share)}" for code, share in shares)
    return f"Lagkage: {parts}"


def register_pies(app: Flask) -> None:
    app.jinja_env.globals.update(pie_src=pie_src, pie_alt=pie_alt)
