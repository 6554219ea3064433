"""Jinja filters that show values the Danish way; all formatting goes through finans.formatting."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

from flask import Flask

from finans.allocation.money import to_ore
from finans.formatting import (
    format_amount,
    format_date,
    format_money,
    format_month,
    format_number,
    format_percent,
)
from finans.palette import department_colour
from finans.services.audit import FIELD_NAMES
from finans.services.closing import month_label
from finans.store.timestamps import from_text, local
from finans.web.corrections import split_warning

ROLE_NAMES = {
    "caseworker": "Rådgiver",
    "controller": "Controller",
    "manager": "Leder",
    "finance": "Økonomi",
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
NOTHING = "–"
"""How a value that is not there (or empty) is shown."""
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+([+-][0-9:]+|Z)?")


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


def _kroner(value: Decimal | str) -> str:
    """Kroner as a decimal or its text (a savings input, ``12000.00``) → ``"12.000,00 kr."``."""
    return format_money(to_ore(value))


def _share(value: Fraction | Decimal | int | str) -> str:
    """A share of one (also as stored text, ``"7/12"`` or ``"0.5"``) as ``58,3 %``."""
    if isinstance(value, str):
        value = Fraction(value)
    return format_percent(value, decimals=1)


def _share_change(value: Fraction) -> str:
    """A change of share in percentage points, signed: ``+10,0 %-point``, ``±0 %-point``."""
    if value == 0:
        return "±0 %-point"
    shown = format_percent(abs(value), decimals=1).removesuffix(" %")
    return f"{'+' if value > 0 else '−'}{shown} %-point"


def _money_change(ore: int) -> str:
    """A change of amount, signed: ``+1.234,50 kr.``, ``−500,00 kr.``, ``±0,00 kr.``."""
    if ore == 0:
        return f"±{format_money(0)}"
    return f"{'+' if ore > 0 else '−'}{format_money(abs(ore))}"


def _number(value: str | Decimal | int) -> str:
    """A decimal input as typed the Danish way: ``"1234.5"`` → ``"1.234,5"``."""
    return format_number(value)


def _enum_name(names: dict[str, str]) -> Callable[[object], str]:
    """A filter that shows an enum value (or its text) by its Danish name."""

    def name(value: object) -> str:
        text = str(getattr(value, "value", value))
        return names.get(text, text)

    return name


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _plain(value: object) -> str:
    """Any recorded value for people: ja/nej, Danish dates, lists joined, nothing as a dash."""
    if _empty(value):
        return NOTHING
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, str) and (_ISO_DATE.fullmatch(value) or _ISO_MOMENT.fullmatch(value)):
        try:
            return _danish_date(value)
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


def _each(show: Callable[[str], str]) -> Callable[[object], str]:
    """Shows a department → value map as ``"BFH show(x), JOB show(y)"``."""

    def by_department(values: object) -> str:
        if not isinstance(values, Mapping):
            return _plain(values)
        return ", ".join(f"{code} {show(str(value))}" for code, value in values.items())

    return by_department


_INPUTS: dict[str, tuple[str, Callable[[object], str]]] = {
    "shares": ("andele", _each(lambda value: f"{_number(value)} %")),
    "departments": ("afdelinger", _plain),
    "responsibility": ("ansvar", _each(_number)),
    "benefit": ("gevinst", _each(_number)),
    "savings": ("besparelse", _each(_kroner)),
    "alpha": ("vægt på ansvar", lambda value: _share(str(value))),
}
"""The inputs of each split method: their Danish name and how they read."""


def _split_inputs(inputs: object) -> str:
    """``{"savings": {"BFA": "16000.00"}}`` → ``"besparelse: BFA 16.000,00 kr."``."""
    if not isinstance(inputs, Mapping):
        return _plain(inputs)
    parts = []
    for key, values in inputs.items():
        name, show = _INPUTS.get(key, (key, _plain))
        parts.append(f"{name}: {show(values)}")
    return "; ".join(parts)


def _decisions(decisions: object) -> str:
    """Recorded answers → ``"BFA godkendt af Kim Ravn (på mødet)"``, ``"JOB afvist af …: why"``."""
    if not isinstance(decisions, list) or not all(isinstance(d, Mapping) for d in decisions):
        return _plain(decisions)
    said = []
    for decision in decisions:
        verb = DECISION_NAMES.get(str(decision.get("decision")), "svarede").lower()
        text = f"{decision.get('department', '')} {verb} af {decision.get('by', '')}"
        if decision.get("at_meeting"):
            text += " (på mødet)"
        if decision.get("reason"):
            text += f": {decision['reason']}"
        said.append(text)
    return ", ".join(said) or NOTHING


def _money(value: object) -> str:
    """An amount in øre as ``1.234,50 kr.`` (anything else as it is)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_money(value)
    return _plain(value)


_AUDIT_FIELDS: dict[str, Callable[[object], str]] = {
    FIELD_NAMES["amount"]: _money,
    **{FIELD_NAMES[f"threshold_{tier}"]: _money for tier in (1, 2, 3)},
    FIELD_NAMES["inputs"]: _split_inputs,
    FIELD_NAMES["shares"]: _each(_share),
    FIELD_NAMES["alpha"]: lambda value: _share(str(value)),
    FIELD_NAMES["decisions"]: _decisions,
    FIELD_NAMES["status"]: _enum_name(STATUS_NAMES),
    FIELD_NAMES["method"]: _enum_name(METHOD_NAMES),
    FIELD_NAMES["per"]: _enum_name(PER_NAMES),
    FIELD_NAMES["role"]: _enum_name(ROLE_NAMES),
    FIELD_NAMES.get("decision", "decision"): _enum_name(DECISION_NAMES),
}
"""How the audit log shows the fields that need more than :func:`_plain`, by their Danish name."""


def _audit_value(value: object, field: str) -> str:
    """A value from the audit log, shown for people according to the (Danish) field it is in.

    Old entries may hold shapes the fields no longer have: what does not read as expected is
    shown plainly rather than refused.
    """
    if _empty(value):
        return NOTHING
    show = _AUDIT_FIELDS.get(field, _plain)
    try:
        return show(value)
    except (ValueError, TypeError, ArithmeticError):
        return _plain(value)


def register_filters(app: Flask) -> None:
    """Make the Danish formats available to every template."""
    app.jinja_env.filters.update(
        money=format_money,
        kroner=_kroner,
        amount=format_amount,
        danish_date=_danish_date,
        month=format_month,
        share=_share,
        share_change=_share_change,
        money_change=_money_change,
        number=_number,
        colour=department_colour,
        role=_enum_name(ROLE_NAMES),
        status=_enum_name(STATUS_NAMES),
        method=_enum_name(METHOD_NAMES),
        per=_enum_name(PER_NAMES),
        decision=_enum_name(DECISION_NAMES),
        audit_value=_audit_value,
        split_correction=lambda correction: split_warning(correction, agreed=False),
        month_name=month_label,
    )
