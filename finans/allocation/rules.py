"""The small rules an input must keep, each a function returning the problems it finds.

Readers (:mod:`finans.allocation.coercion` and the scenario readers) call them and gather every
problem instead of stopping at the first. Messages are Danish and never repeat a CPR number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finans.allocation.messages import (
    Where,
    cpr_shaped,
    danish_date,
    danish_number,
    has_cpr,
    masked,
    path_text,
    problem,
)
from finans.allocation.problems import Problem
from finans.allocation.records import DepartmentCode, Weights

# --- text ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextRule:
    """What a kind of text field may hold (the table is in docs/scenario.md).

    Attributes:
      limit: the most characters it may have.
      lines: newline, carriage return and tab are allowed (long free text only).
      reference: only ``A–Z a–z 0–9 - _ .``, starting with a letter or digit, so that it works
        unchanged in a web address (``/sager/<ref>``).
    """

    limit: int
    lines: bool = False
    reference: bool = False


CODE = TextRule(16)
"""Department codes."""
REFERENCE = TextRule(40, reference=True)
"""Journal numbers and intervention ids; they name pages and API resources."""
ACCOUNT = TextRule(60)
"""Account strings."""
LABEL = TextRule(200)
"""Names, family labels, titles, legal bases, coordinators, representatives, timestamps."""
FREE_TEXT = TextRule(2000, lines=True)
"""Rationale and reasons."""

_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
REFERENCE_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""What a journal number or an intervention id may hold."""


def check_text(text: str, where: Where, rule: TextRule) -> list[Problem]:
    """Control characters, length and (for references) the characters allowed, then CPR numbers.

    NUL and other control characters are refused in every text (newline, carriage return and tab
    only in free text); lone surrogates are refused too, since no database can store them.
    """
    if not text.isprintable():
        control = _CONTROL_IN_TEXT if rule.lines else _CONTROL_IN_LINE
        if control.search(text):
            allowed = " (linjeskift og tabulator er tilladt)" if rule.lines else ""
            message = f"Teksten indeholder et kontroltegn, fx NUL eller linjeskift{allowed}"
            return [problem("control_character", message, where)]
    if len(text) > rule.limit:
        message = f"Teksten er {danish_number(len(text))} tegn lang; højst {rule.limit} er tilladt"
        return [problem("too_long", message, where)]
    if rule.reference and not REFERENCE_TEXT.fullmatch(text) and text:
        message = (
            f"'{masked(text)}' må kun indeholde bogstaverne A–Z, tal, bindestreg, understreg og "
            "punktum og skal begynde med et bogstav eller et tal"
        )
        return [problem("bad_reference", message, where)]
    return check_no_cpr(text, where) if cpr_shaped(text) else []


def check_no_cpr(text: str, where: Where) -> list[Problem]:
    """A problem when free text holds something shaped like a CPR number (finans never stores
    one); every text a person types passes here, also outside scenario JSON."""
    if has_cpr(text):
        message = "Teksten ligner et CPR-nummer; CPR-numre må ikke registreres"
        return [problem("cpr_like", message, where)]
    return []


def check_no_cpr_keys(data: Mapping[str, object], where: Where) -> list[Problem]:
    """Every key naming a CPR number, at any depth; the values are never looked at or shown."""
    problems = []
    pending: list[tuple[object, Where]] = [(data, where)]
    while pending:
        value, path = pending.pop()
        if isinstance(value, Mapping):
            for key, inner in value.items():
                if "cpr" in str(key).lower():
                    message = "CPR-numre må ikke registreres; sagen kendes på sit journalnummer"
                    problems.append(problem("cpr_field", message, (path, str(key))))
                elif not isinstance(inner, str | int | float | Decimal) and inner is not None:
                    pending.append((inner, (path, str(key))))
        elif isinstance(value, list | tuple):
            pending.extend(
                (inner, (path, i))
                for i, inner in enumerate(value)
                if not isinstance(inner, str | int | float | Decimal) and inner is not None
            )
    return sorted(problems, key=lambda found: found.where)


# --- references and uniqueness ------------------------------------------------------------------


def check_known_department(
    code: str, where: Where, departments: Collection[DepartmentCode]
) -> list[Problem]:
    if code in departments:
        return []
    if code.upper() in departments:
        message = (f"Afdelingen '{masked(code)}' findes ikke; koder skrives med store bogstaver: "
                   f"'{masked(code.upper())}'")
        return [problem("unknown_department", message, where)]
    return [problem("unknown_department", f"Afdelingen '{masked(code)}' findes ikke", where)]


def check_unique(declared: Iterable[tuple[str, Where]], code: str, noun: str) -> list[Problem]:
    """One problem for every repeat of a value; ``declared`` holds (value, where) pairs."""
    first: dict[str, Where] = {}
    problems = []
    for value, where in declared:
        if value in first:
            also = path_text(first[value])
            message = f"{noun} '{masked(value)}' er brugt mere end én gang (også i {also})"
            problems.append(problem(code, message, where))
        else:
            first[value] = where
    return problems


# --- dates --------------------------------------------------------------------------------------


def check_end_after_start(start: date, end: date, where: Where) -> list[Problem]:
    if end >= start:
        return []
    message = f"Slutdatoen {danish_date(end)} ligger før startdatoen {danish_date(start)}"
    return [problem("end_before_start", message, where)]


def _parent(where: Where) -> Where:
    return where if isinstance(where, str) else where[0]


def check_agreed_dates(days: Iterable[tuple[date, Where]], intervention: str) -> list[Problem]:
    """Two agreed versions from the same day leave the split in force undefined; ``days`` holds
    each agreed version's ``effective_from`` with its path."""
    first: dict[date, Where] = {}
    problems = []
    for day, path in days:
        if day in first:
            versions = f"{path_text(_parent(first[day]))} og {path_text(_parent(path))}"
            message = (
                f"Indsats {masked(intervention)} har to aftalte fordelinger fra "
                f"{danish_date(day)} ({versions})"
            )
            problems.append(problem("duplicate_agreed_version", message, path))
        else:
            first[day] = path
    return problems


# --- numbers ------------------------------------------------------------------------------------


def within_places(value: Decimal, places: int) -> bool:
    """Whether a finite ``value`` has at most ``places`` decimals; trailing zeros do not count.

    A value far smaller than the last allowed decimal is refused before its exact fraction is
    built, so a short text such as ``1E-99999999`` costs nothing.
    """
    if not value:
        return True
    if value.adjusted() < -places:
        return False
    scale: int = 10**places
    return scale % value.as_integer_ratio()[1] == 0


def total(weights: Weights) -> Decimal:
    return sum((value for _, value in weights), Decimal(0))


def check_shares_sum(shares: Weights, where: Where, label: Callable[[], str]) -> list[Problem]:
    summed = total(shares)
    if summed == 100:
        return []
    message = f"Andelene for {label()} summerer til {danish_number(summed)} %, ikke 100 %"
    return [problem("shares_sum", message, where)]


def check_positive_total(
    weights: Weights, where: Where, message: Callable[[], str]
) -> list[Problem]:
    if any(value > 0 for _, value in weights):
        return []
    return [problem("zero_weights", message(), where)]


def check_weighted_sides(
    alpha: Decimal,
    responsibility: Weights | None,
    benefit: Weights | None,
    where: Where,
    label: Callable[[], str],
) -> list[Problem]:
    """A side with weight above 0 needs a department with more than 0 on that side."""
    problems = []
    sides = (
        ("responsibility", "ansvar", alpha > 0, responsibility),
        ("benefit", "gevinst", alpha < 1, benefit),
    )
    for key, noun, weighed, weights in sides:
        if weighed and weights is not None:

            def message(noun: str = noun) -> str:
                return (
                    f"Mindst én afdeling skal have {noun} over 0 for {label()}, "
                    f"når vægten på {noun} er over 0"
                )

            problems += check_positive_total(weights, (where, key), message)
    return problems
