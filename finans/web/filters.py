"""Jinja filters that show values the Danish way; all formatting goes through finans.formatting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from flask import Flask

from finans.formatting import format_amount, format_date, format_money, format_percent
from finans.palette import department_colour

ROLE_NAMES = {
    "caseworker": "Rådgiver",
    "controller": "Controller",
    "manager": "Leder",
    "admin": "Administrator",
}
STATUS_NAMES = {
    "draft": "Kladde",
    "proposed": "Foreslået",
    "agreed": "Aftalt",
    "rejected": "Afvist",
}
METHOD_NAMES = {
    "fixed": "Fast fordeling",
    "equal": "Lige fordeling",
    "weighted": "Vægtet (ansvar og gevinst)",
    "savings": "Efter besparelse",
}
PER_NAMES = {"once": "engangsbeløb", "week": "pr. uge", "month": "pr. måned", "year": "pr. år"}
DECISION_NAMES = {"approve": "Godkendt", "reject": "Afvist"}


def _danish_date(value: date | datetime | str | None) -> str:
    """``23-11-2026`` from a date, a datetime or ISO text; empty for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return f"{format_date(value.date())} kl. {value:%H:%M}"
    return format_date(value)


def _share(value: Fraction | Decimal | int) -> str:
    return format_percent(value, decimals=1)


def _enum_name(names: dict[str, str]) -> Callable[[object], str]:
    """A filter that shows an enum value (or its text) by its Danish name."""

    def name(value: object) -> str:
        text = str(getattr(value, "value", value))
        return names.get(text, text)

    return name


def register_filters(app: Flask) -> None:
    """Make the Danish formats available to every template."""
    app.jinja_env.filters.update(
        money=format_money,
        amount=format_amount,
        danish_date=_danish_date,
        share=_share,
        colour=department_colour,
        role=_enum_name(ROLE_NAMES),
        status=_enum_name(STATUS_NAMES),
        method=_enum_name(METHOD_NAMES),
        per=_enum_name(PER_NAMES),
        decision=_enum_name(DECISION_NAMES),
    )
