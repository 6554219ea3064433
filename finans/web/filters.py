"""Jinja filters that show values the Danish way; all formatting goes through finans.formatting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal
from flask import Flask

from finans.allocation.money import to_ore
from finans.formatting import LOCALE, format_amount, format_date, format_money, format_percent
from finans.palette import department_colour
from finans.store.timestamps import from_text, local

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
        value = from_text(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        # Stored moments are UTC (SQLite hands them back without a zone); people read local time.
        moment = local(value if value.tzinfo else value.replace(tzinfo=UTC))
        return f"{format_date(moment.date())} kl. {moment:%H:%M}"
    return format_date(value)


def _kroner(value: str) -> str:
    """Decimal text in kroner as the services give it (``"12000.00"``) → ``"12.000,00 kr."``."""
    return format_money(to_ore(value))


def _share(value: Fraction | Decimal | int | str) -> str:
    """A share of one (also as stored text, ``"7/12"`` or ``"0.5"``) as ``58,3 %``."""
    if isinstance(value, str):
        value = Fraction(value)
    return format_percent(value, decimals=1)


def _number(value: str | Decimal | int) -> str:
    """A decimal input as typed the Danish way: ``"1234.5"`` → ``"1.234,5"``."""
    return format_decimal(Decimal(value), locale=LOCALE, decimal_quantization=False)


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
        kroner=_kroner,
        amount=format_amount,
        danish_date=_danish_date,
        share=_share,
        number=_number,
        colour=department_colour,
        role=_enum_name(ROLE_NAMES),
        status=_enum_name(STATUS_NAMES),
        method=_enum_name(METHOD_NAMES),
        per=_enum_name(PER_NAMES),
        decision=_enum_name(DECISION_NAMES),
    )
