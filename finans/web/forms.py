"""Reading what people type into forms, and putting the services' problems next to the fields.

Form fields are named after the JSON path the services validate (``title``, ``cost.amount``,
``responsibility.BFH``), so each problem the services return lands next to the field it concerns
by its ``where``. Numbers and dates are typed the Danish way (``12.000,50``, ``23-11-2026``) and
read by :mod:`finans.formatting`; they are handed on as plain decimal text and ISO dates, and text
that is neither is handed on unchanged for the services to name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from finans.allocation.problems import Problem
from finans.formatting import parse_date, parse_number

WITHHELD = {"cpr_like"}
"""Problems whose text is never shown back in the form: a CPR number is not kept, not even there."""

FORM_WORDING = {"missing": "Skal udfyldes", "empty": "Skal udfyldes"}
"""Problems about a field left empty, said as a form says it."""


def text(form: Mapping[str, str], name: str) -> str:
    """A field's text, trimmed; its length and characters are checked by the input guard and the
    services, never cut silently."""
    return str(form.get(name, "")).strip()


def number_text(raw: str) -> str:
    """``"12.000,50"`` → ``"12000.50"``; empty stays empty, other text is passed on as typed."""
    typed = raw.strip()
    if not typed:
        return ""
    number = parse_number(typed)
    return typed if number is None else format(number, "f")


def date_text(raw: str) -> str:
    """``"23-11-2026"`` (also with ``.`` or ``/``) → ``"2026-11-23"``; other text as typed."""
    typed = raw.strip()
    day = parse_date(typed)
    return typed if day is None else day.isoformat()


def filled(data: Mapping[str, object]) -> dict[str, object]:
    """``data`` without the fields left empty, so the services report them as missing."""
    return {key: value for key, value in data.items() if value != ""}


def checked(form: Mapping[str, str], name: str) -> bool:
    """Whether a checkbox was ticked."""
    return name in form


def positive_int(value: str | None) -> int | None:
    """A version number or page from a form or URL; ``None`` when it is not a whole number."""
    if value is None or not value.strip().isdigit() or len(value.strip()) > 12:
        return None
    return int(value.strip())


@dataclass(slots=True)
class FieldProblems:
    """Problems grouped by the form field they belong to; the rest are shown above the form."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    withheld: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)

    def get(self, name: str) -> list[str]:
        return self.by_field.get(name, [])

    def shown(self, name: str, value: object) -> object:
        """The value to show again in field ``name``: empty when it must not be repeated."""
        return "" if name in self.withheld else value


def place_problems(problems: Iterable[Problem], fields: Iterable[str]) -> FieldProblems:
    """Put each problem on the field its ``where`` names (or on the nearest enclosing field)."""
    known = set(fields)
    placed = FieldProblems()
    for problem in problems:
        where = problem.where
        while where and where not in known:
            where = where.rpartition(".")[0]
        message = FORM_WORDING.get(problem.code, problem.message) if where else problem.message
        if problem.code in WITHHELD:
            placed.withheld.add(problem.where)
        if where:
            placed.by_field.setdefault(where, []).append(message)
        else:
            placed.general.append(message)
    return placed
