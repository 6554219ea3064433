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
from dataclasses import dataclass, replace
from typing import Annotated

from pydantic import Field
from sqlmodel import Session, col, select

from finans.allocation.money import format_ore
from finans.allocation.problems import Problem
from finans.allocation.records import RefundRates
from finans.allocation.refund_validation import parse_refund
from finans.allocation.rules import LABEL, check_text
from finans.services import audit, versions
from finans.services.actor import Actor
from finans.services.budgets import FIRST_YEAR, LAST_YEAR, read_year
from finans.services.errors import NotFound, ServiceError, problem
from finans.services.policy import Action, require_somewhere
from finans.services.transactions import atomic
from finans.services.values import Money
from finans.store.mapping import TIERS, Json, refund_rate_columns, refund_rates_record
from finans.store.refund import RefundRate

ENTITY = "refund_rate"


TIERS_LONG = Field(min_length=TIERS, max_length=TIERS)


@dataclass(frozen=True, slots=True)
class RefundRateView:
    """A year's rates: the tiers' lower bounds (øre) and percents (the decimal text they were
    entered as); ``statutory`` while they are the amounts the law names (2022 level)."""

    year: int
    thresholds: Annotated[tuple[Money, ...], TIERS_LONG]
    percents: Annotated[tuple[str, ...], TIERS_LONG]
    note: str
    statutory: bool
    version: int


def rate_view(row: RefundRate) -> RefundRateView:
    return RefundRateView(row.year, thresholds_of(row), percents_of(row), row.note,
                          row.statutory, row.version)


def thresholds_of(row: RefundRate) -> tuple[int, int, int]:
    return row.threshold_1, row.threshold_2, row.threshold_3


def percents_of(row: RefundRate) -> tuple[str, str, str]:
    return row.percent_1, row.percent_2, row.percent_3


def _label(year: int) -> str:
    return f"Refusionssatserne for {year}"


# --- reading input ------------------------------------------------------------------------------


def read_rates(data: Mapping[str, object], year: int | None = None,
               ) -> tuple[RefundRates | None, list[Problem]]:
    """``{"thresholds": [...], "percents": [...]}`` → the year's rates, read by the engine's own
    rules for ``refund.years`` (so the database never holds rates the calculator would refuse),
    plus finans' three tiers; every problem located (``thresholds[1]``)."""
    key = str(year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else FIRST_YEAR)
    block = {"years": {key: {"thresholds": data.get("thresholds"),
                             "percents": data.get("percents")}}}
    counts = [
        Problem("tier_count", f"Der skal være præcis {TIERS} {noun}, ikke {len(given)}", name)
        for name, noun in (("thresholds", "grænser"), ("percents", "procentsatser"))
        if isinstance(given := data.get(name), list | tuple) and len(given) != TIERS
    ]
    empty = [
        Problem("missing", "Skal udfyldes", f"{name}[{index}]")
        for name in ("thresholds", "percents")
        if isinstance(given := data.get(name), list | tuple)
        for index, value in enumerate(given)
        if value is None or (isinstance(value, str) and not value.strip())
    ]
    parsed, found = parse_refund(block, "refund")
    prefix = f"refund.years.{key}."
    located = (Problem(p.code, p.message, p.where.removeprefix(prefix)) for p in found)
    problems = counts + empty + [
        p for p in located
        if not (counts and p.code == "tiers_mismatch") and p.where not in
        {e.where for e in empty}
    ]
    if parsed is None or problems:
        return None, problems
    return parsed[0], []


def _note(value: object, where: str = "note") -> tuple[str, list[Problem]]:
    if value is None:
        return "", []
    if not isinstance(value, str):
        return "", [Problem("wrong_type", "Skal være tekst", where)]
    return value.strip(), check_text(value, where, LABEL)


# --- reading ------------------------------------------------------------------------------------


def _find(session: Session, year: int) -> RefundRate | None:
    return session.get(RefundRate, year)


def rate_rows(session: Session) -> list[RefundRate]:
    """Every year's row, by year."""
    return list(session.exec(select(RefundRate).order_by(col(RefundRate.year))))


def list_rates(session: Session, *, actor: Actor) -> list[RefundRateView]:
    """Every year's rates, by year (anyone logged in reads them)."""
    del actor
    return [rate_view(row) for row in rate_rows(session)]


def get_rate(session: Session, *, actor: Actor, year: int) -> RefundRateView:
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


def _columns(rates: RefundRates) -> Json:
    columns = refund_rate_columns(rates)
    del columns["year"]
    return columns


@atomic
def create_rate(
    session: Session, *, actor: Actor, data: Mapping[str, object]
) -> RefundRateView:
    """Enter a year's rates from ``{"year", "thresholds", "percents", "note"?}``."""
    require_somewhere(actor, Action.MANAGE_REFUND_RATES)
    year, problems = read_year(data.get("year"))
    rates, found = read_rates(data, year)
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
) -> RefundRateView:
    """Change a year's thresholds, percents and/or note (the fields given); refused when it
    changed since the caller read ``version``. Changed amounts are no longer the statutory ones."""
    require_somewhere(actor, Action.MANAGE_REFUND_RATES)
    row = _find(session, year)
    label, key = _label(year), str(year)
    if row is None:
        raise NotFound(f"{label} findes ikke.")
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=key)
    current: dict[str, object] = {
        "thresholds": [format_ore(ore) for ore in thresholds_of(row)],
        "percents": list(percents_of(row)), "note": row.note,
    }
    problems = []
    if "year" in data and data["year"] != year:
        problems.append(Problem("year_fixed", "Året kan ikke ændres; opret et nyt år", "year"))
    merged = {name: data.get(name, current[name]) for name in ("thresholds", "percents", "note")}
    rates, found = read_rates(merged, year)
    note, note_problems = _note(merged["note"])
    problems += found + note_problems
    if problems or rates is None:
        raise ServiceError(problems)
    before = audit.snapshot(row)
    if refund_rates_record(row) != replace(rates, year=year):
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
