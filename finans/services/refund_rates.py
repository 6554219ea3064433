"""The yearly rates of the state refund for expensive cases, kept by administrators.

One row per calendar year: three thresholds (the tiers' lower bounds per year, in øre, not
negative and strictly ascending) and three percents (exact decimal text). Everyone reads them,
since the refund shows on case pages and in the overview; only administrators enter and change
them, each change audited and saved against the version the caller read. The statutory 2022 level
is seeded by the migration and marked ``statutory`` until someone changes its amounts; a year
without a row gives no refund and is named as missing wherever refunds show. Amounts arrive in
machine form (``"860000.00"``, an integer or a ``Decimal`` of kroner), percents as decimal text or
numbers (``"25"``, ``"37.5"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, select

from finans.allocation.money import MoneyError, format_ore, parse_decimal, to_ore
from finans.allocation.problems import Problem
from finans.allocation.validation import check_no_cpr
from finans.services import audit, versions
from finans.services.access import require_role
from finans.services.actor import Actor, Role
from finans.services.budgets import FIRST_YEAR, LARGEST_AMOUNT, LAST_YEAR
from finans.services.errors import NotFound, ServiceError, problem
from finans.services.transactions import atomic
from finans.store.mapping import Json, decimal_text
from finans.store.refund import RefundRate

ENTITY = "refund_rate"
TIERS = 3
PERCENT_PLACES = 4
MAX_NOTE = 500
WRITERS = {Role.ADMIN}


@dataclass(frozen=True, slots=True)
class Rates:
    """A year's validated rates: thresholds in øre and percents as exact decimals."""

    thresholds: tuple[int, ...]
    percents: tuple[Decimal, ...]


def rate_view(row: RefundRate) -> Json:
    """``{"year", "thresholds", "percents", "note", "statutory", "version"}``; thresholds as
    ``"860000.00"``, percents as the decimal text they were entered as."""
    return {
        "year": row.year,
        "thresholds": [format_ore(ore) for ore in thresholds_of(row)],
        "percents": list(percents_of(row)),
        "note": row.note,
        "statutory": row.statutory,
        "version": row.version,
    }


def thresholds_of(row: RefundRate) -> tuple[int, int, int]:
    return row.threshold_1, row.threshold_2, row.threshold_3


def percents_of(row: RefundRate) -> tuple[str, str, str]:
    return row.percent_1, row.percent_2, row.percent_3


def _label(year: int) -> str:
    return f"Refusionssatserne for {year}"


# --- reading input ------------------------------------------------------------------------------


def read_year(value: object, where: str = "year") -> tuple[int | None, list[Problem]]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, [Problem("not_year", "Året skal være et helt tal, fx 2026", where)]
    if not FIRST_YEAR <= value <= LAST_YEAR:
        message = f"Året skal ligge mellem {FIRST_YEAR} og {LAST_YEAR}"
        return None, [Problem("year_range", message, where)]
    return value, []


def _three(value: object, where: str, noun: str) -> tuple[list[object], list[Problem]]:
    if not isinstance(value, list | tuple):
        return [], [Problem("not_list", f"Skal være en liste med {TIERS} {noun}", where)]
    if len(value) != TIERS:
        message = f"Skal være præcis {TIERS} {noun}, ikke {len(value)}"
        return [], [Problem("tier_count", message, where)]
    return list(value), []


def _amount(value: object, where: str) -> tuple[int | None, list[Problem]]:
    if value is None or value == "":
        return None, [Problem("required", "Grænsen mangler", where)]
    try:
        ore = to_ore(value)
    except MoneyError as error:
        text = str(error)
        return None, [Problem("bad_amount", f"{text[:1].upper()}{text[1:]}", where)]
    if ore > LARGEST_AMOUNT:
        return None, [Problem("too_large", "Grænsen er for stor", where)]
    return ore, []


def _percent(value: object, where: str) -> tuple[Decimal | None, list[Problem]]:
    if value is None or value == "":
        return None, [Problem("required", "Procentsatsen mangler", where)]
    try:
        number = parse_decimal(value)
    except MoneyError:
        return None, [Problem("not_number", "Procentsatsen skal være et tal, fx 25", where)]
    if not 0 <= number <= 100:
        return None, [Problem("percent_range", "Procentsatsen skal ligge fra 0 til 100", where)]
    if number != number.quantize(Decimal(1).scaleb(-PERCENT_PLACES)):
        message = f"Procentsatsen må højst have {PERCENT_PLACES} decimaler"
        return None, [Problem("too_precise", message, where)]
    return number, []


def read_rates(data: Mapping[str, object], where: str = "") -> tuple[Rates | None, list[Problem]]:
    """``{"thresholds": [3 amounts], "percents": [3 percents]}`` → :class:`Rates`, every problem
    located (``thresholds[1]``); the thresholds must rise strictly."""
    prefix = f"{where}." if where else ""
    problems: list[Problem] = []
    amounts: list[int | None] = []
    given, found = _three(data.get("thresholds"), f"{prefix}thresholds", "grænser")
    problems += found
    for index, value in enumerate(given):
        ore, found = _amount(value, f"{prefix}thresholds[{index}]")
        amounts.append(ore)
        problems += found
    for index in range(1, len(amounts)):
        low, high = amounts[index - 1], amounts[index]
        if low is not None and high is not None and high <= low:
            message = f"Grænse {index + 1} skal være større end grænse {index}"
            problems.append(Problem("not_ascending", message, f"{prefix}thresholds[{index}]"))
    percents: list[Decimal | None] = []
    given, found = _three(data.get("percents"), f"{prefix}percents", "procentsatser")
    problems += found
    for index, value in enumerate(given):
        number, found = _percent(value, f"{prefix}percents[{index}]")
        percents.append(number)
        problems += found
    if problems:
        return None, problems
    return Rates(tuple(a for a in amounts if a is not None),
                 tuple(p for p in percents if p is not None)), []


def _note(value: object, where: str = "note") -> tuple[str, list[Problem]]:
    if value is None:
        return "", []
    if not isinstance(value, str):
        return "", [Problem("wrong_type", "Skal være tekst", where)]
    if len(value) > MAX_NOTE:
        return "", [Problem("too_long", f"Noten må højst være {MAX_NOTE} tegn", where)]
    return value.strip(), check_no_cpr(value, where)


# --- reading ------------------------------------------------------------------------------------


def _find(session: Session, year: int) -> RefundRate | None:
    return session.get(RefundRate, year)


def rate_rows(session: Session) -> list[RefundRate]:
    """Every year's row, by year."""
    return list(session.exec(select(RefundRate).order_by(col(RefundRate.year))))


def list_rates(session: Session, *, actor: Actor) -> list[Json]:
    """Every year's rates, by year (anyone logged in reads them)."""
    del actor
    return [rate_view(row) for row in rate_rows(session)]


def get_rate(session: Session, *, actor: Actor, year: int) -> Json:
    del actor
    row = _find(session, year)
    if row is None:
        raise NotFound(f"{_label(year)} findes ikke.")
    return rate_view(row)


def starting_point(session: Session, *, year: int | None = None) -> Json:
    """What a new year's form starts from: the newest year before ``year`` (default: the
    newest year of all), copied to the year after it, with a note saying so."""
    rows = [row for row in rate_rows(session) if year is None or row.year < year]
    if not rows:
        return {"year": year or "", "thresholds": ["", "", ""], "percents": ["", "", ""],
                "note": ""}
    source = rows[-1]
    return {
        "year": year or source.year + 1,
        "thresholds": [format_ore(ore) for ore in thresholds_of(source)],
        "percents": list(percents_of(source)),
        "note": f"Kopieret fra {source.year}",
    }


# --- changing -----------------------------------------------------------------------------------


def _columns(rates: Rates) -> Json:
    t1, t2, t3 = rates.thresholds
    p1, p2, p3 = (decimal_text(percent) for percent in rates.percents)
    return {"threshold_1": t1, "threshold_2": t2, "threshold_3": t3,
            "percent_1": p1, "percent_2": p2, "percent_3": p3}


def same_rates(row: RefundRate, rates: Rates) -> bool:
    """Whether the row holds these amounts and percents (``25`` equals ``25.0``)."""
    return thresholds_of(row) == rates.thresholds and tuple(
        Decimal(text) for text in percents_of(row)
    ) == rates.percents


@atomic
def create_rate(session: Session, *, actor: Actor, data: Mapping[str, object]) -> Json:
    """Enter a year's rates from ``{"year", "thresholds", "percents", "note"?}``."""
    require_role(actor, WRITERS, "ændre refusionssatserne")
    year, problems = read_year(data.get("year"))
    rates, found = read_rates(data)
    note, note_problems = _note(data.get("note"))
    problems += found + note_problems
    if problems or year is None or rates is None:
        raise ServiceError(problems)
    if _find(session, year) is not None:
        raise problem("duplicate_year", f"{_label(year)} findes allerede; ret dem i stedet",
                      "year")
    row = RefundRate(year=year, note=note, **_columns(rates))
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", ENTITY, str(year), after=audit.snapshot(row))
    versions.commit(session, label=_label(year))
    return rate_view(row)


@atomic
def update_rate(
    session: Session, *, actor: Actor, year: int, version: int, data: Mapping[str, object]
) -> Json:
    """Change a year's thresholds, percents and/or note (the fields given); refused when it
    changed since the caller read ``version``. Changed amounts are no longer the statutory ones."""
    require_role(actor, WRITERS, "ændre refusionssatserne")
    row = _find(session, year)
    label, key = _label(year), str(year)
    if row is None:
        raise NotFound(f"{label} findes ikke.")
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=key)
    current = rate_view(row)
    problems = []
    if "year" in data and data["year"] != year:
        problems.append(Problem("year_fixed", "Året kan ikke ændres; opret et nyt år", "year"))
    merged = {name: data.get(name, current[name]) for name in ("thresholds", "percents", "note")}
    rates, found = read_rates(merged)
    note, note_problems = _note(merged["note"])
    problems += found + note_problems
    if problems or rates is None:
        raise ServiceError(problems)
    before = audit.snapshot(row)
    if not same_rates(row, rates):
        for name, value in _columns(rates).items():
            setattr(row, name, value)
        row.statutory = False
    row.note = note
    versions.flush(session, label=label, entity=ENTITY, key=key, version=version)
    after = audit.snapshot(row)
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, key, before, after)
    versions.commit(session, label=label)
    return rate_view(row)


def missing_years(session: Session, years: Sequence[int]) -> list[int]:
    """Those of ``years`` that have no rates."""
    known = {row.year for row in rate_rows(session)}
    return sorted(set(years) - known)
