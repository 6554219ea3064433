"""Yearly joint-financing budgets per department, followed up on the dashboard.

A budget is an exact amount in øre for one department and one calendar year. Administrators and
the department's own controller enter and change it; controllers, managers and administrators read
budgets. Amounts arrive in machine form (``"1250000.00"``, an integer or a ``Decimal`` of kroner),
and every change is audited and saved against the version the caller read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from finans.allocation.money import MoneyError, format_ore, to_ore
from finans.allocation.problems import Problem
from finans.services import audit, lookup, versions
from finans.services.actor import Actor
from finans.services.errors import Conflict, NotFound, ServiceError, problem
from finans.services.policy import Action, require, require_somewhere
from finans.services.text import too_long
from finans.services.transactions import atomic
from finans.services.values import Money
from finans.store.budget import Budget

ENTITY = "budget"
FIRST_YEAR, LAST_YEAR = 1900, 2999
LARGEST_AMOUNT = 10**12 * 100
"""No budget is larger than a trillion kroner (in øre), which keeps every sum exact and small."""
MAX_DEPARTMENT_CODE = 50
"""A budget names its department by code; anything longer names none."""


@dataclass(frozen=True, slots=True)
class BudgetView:
    """A department's joint-financing budget for a calendar year, in øre."""

    department: str
    year: int
    amount: Money
    version: int


def budget_view(row: Budget) -> BudgetView:
    return BudgetView(row.department, row.year, row.amount, row.version)


def _key(department: str, year: int) -> str:
    return f"{department}/{year}"


def _label(department: str, year: int) -> str:
    return f"Budgettet for {department} i {year}"


def read_year(value: object, where: str = "year") -> tuple[int | None, list[Problem]]:
    """A whole year within the years budgets and refund rates are kept for."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None, [Problem("not_year", "Året skal være et helt tal, fx 2026", where)]
    if not FIRST_YEAR <= value <= LAST_YEAR:
        message = f"Året skal ligge mellem {FIRST_YEAR} og {LAST_YEAR}"
        return None, [Problem("year_range", message, where)]
    return value, []


def _read_amount(value: object, where: str = "amount") -> tuple[int | None, list[Problem]]:
    """Kroner in machine form → øre; negative amounts and fractions of an øre are refused."""
    if value is None:
        return None, [Problem("required", "Beløbet mangler", where)]
    try:
        ore = to_ore(value)
    except MoneyError as error:
        text = str(error)
        return None, [Problem("bad_amount", f"{text[:1].upper()}{text[1:]}", where)]
    if ore > LARGEST_AMOUNT:
        return None, [Problem("too_large", "Beløbet er for stort", where)]
    return ore, []


def _find(session: Session, department: str, year: int) -> Budget | None:
    query = select(Budget).where(Budget.department == department, Budget.year == year)
    return session.exec(query).first()


def budgets_by_department(session: Session, *, year: int) -> dict[str, int]:
    """Department code → budget in øre for ``year``; departments without one are left out."""
    query = select(Budget.department, Budget.amount).where(Budget.year == year)
    return {code: amount for code, amount in session.exec(query)}


def list_budgets(
    session: Session, *, actor: Actor, year: int | None = None, department: str | None = None
) -> list[BudgetView]:
    """Budgets by year, then department code; optionally of one year and/or one department."""
    require_somewhere(actor, Action.READ_BUDGETS)
    query = select(Budget).order_by(col(Budget.year), col(Budget.department))
    if year is not None:
        query = query.where(Budget.year == year)
    if department is not None:
        query = query.where(Budget.department == department)
    return [budget_view(row) for row in session.exec(query)]


def get_budget(session: Session, *, actor: Actor, department: str, year: int) -> BudgetView:
    require_somewhere(actor, Action.READ_BUDGETS)
    row = _find(session, department, year)
    if row is None:
        raise NotFound(f"{_label(department, year)} findes ikke.")
    return budget_view(row)


@atomic
def create_budget(
    session: Session, *, actor: Actor, data: Mapping[str, object]
) -> BudgetView:
    """Enter a budget from ``{"department", "year", "amount"}``."""
    problems: list[Problem] = []
    department = data.get("department")
    if not isinstance(department, str) or not department.strip():
        problems.append(Problem("required", "Afdelingen mangler", "department"))
        department = None
    elif len(department) > MAX_DEPARTMENT_CODE:
        problems.append(too_long("department", MAX_DEPARTMENT_CODE))
        department = None
    elif department not in lookup.department_codes(session):
        problems.append(Problem("unknown_department", f"Afdelingen {department} findes ikke",
                                "department"))
    year, year_problems = read_year(data.get("year"))
    amount, amount_problems = _read_amount(data.get("amount"))
    problems += year_problems + amount_problems
    if isinstance(department, str):
        require(actor, Action.EDIT_BUDGET, department=department)
    else:
        require_somewhere(actor, Action.EDIT_BUDGET)
    if problems or department is None or year is None or amount is None:
        raise ServiceError(problems)
    if _find(session, department, year) is not None:
        raise problem("duplicate_budget", f"{_label(department, year)} findes allerede; ret det "
                      "i stedet", "year")
    row = Budget(department=department, year=year, amount=amount)
    session.add(row)
    session.flush()
    key = _key(department, year)
    audit.record(session, actor, "create", ENTITY, key, after=audit.snapshot(row))
    versions.commit(session, label=_label(department, year))
    return budget_view(row)


@atomic
def update_budget(
    session: Session,
    *,
    actor: Actor,
    department: str,
    year: int,
    version: int,
    data: Mapping[str, object],
) -> BudgetView:
    """Change a budget's ``amount``, refused if it changed since the caller read ``version``."""
    lookup.department(session, department)
    require(actor, Action.EDIT_BUDGET, department=department)
    row = _find(session, department, year)
    label, key = _label(department, year), _key(department, year)
    if row is None:
        raise NotFound(f"{label} findes ikke.")
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=key)
    problems = [
        Problem("fixed", "Afdeling og år kan ikke ændres; opret et nyt budget", name)
        for name, current in (("department", department), ("year", year))
        if name in data and data[name] != current
    ]
    amount, amount_problems = _read_amount(data.get("amount", format_ore(row.amount)))
    problems += amount_problems
    if problems or amount is None:
        raise ServiceError(problems)
    before = audit.snapshot(row)
    row.amount = amount
    versions.flush(session, label=label, entity=ENTITY, key=key, version=version)
    after = audit.snapshot(row)
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, key, before, after)
    versions.commit(session, label=label)
    return budget_view(row)


@dataclass(frozen=True, slots=True)
class BudgetEntry:
    """One department's line of the year's budget form: the amount typed (machine form; empty
    leaves the department as it is) and the version of its stored budget that was read (``None``
    when it had none)."""

    department: str
    amount: str
    version: int | None


@atomic
def save_year_budgets(
    session: Session, *, actor: Actor, year: int, entries: Sequence[BudgetEntry]
) -> list[str]:
    """Enter or change the budgets of several departments for ``year`` in one transaction: all
    are saved, or none. Returns the codes whose budget changed. Problems are located
    ``amount.CODE``; a budget someone else changed since it was read is a :class:`Conflict`."""
    checked_year, problems = read_year(year)
    if checked_year is None:
        raise ServiceError(problems)
    known = lookup.department_codes(session)
    plans = []
    for entry in entries:
        where = f"amount.{entry.department}"
        if entry.department not in known:
            problems.append(Problem("unknown_department",
                                    f"Afdelingen {entry.department} findes ikke", where))
            continue
        require(actor, Action.EDIT_BUDGET, department=entry.department)
        if not entry.amount.strip():
            continue
        amount, amount_problems = _read_amount(entry.amount, where)
        problems += amount_problems
        if amount is not None:
            plans.append((entry, amount))
    if problems:
        raise ServiceError(problems)
    changed = []
    for entry, amount in plans:
        row = _find(session, entry.department, year)
        label, key = _label(entry.department, year), _key(entry.department, year)
        if row is None:
            if entry.version is not None:
                raise Conflict(f"{label} er slettet, siden du hentede det.")
            row = Budget(department=entry.department, year=year, amount=amount)
            session.add(row)
            session.flush()
            audit.record(session, actor, "create", ENTITY, key, after=audit.snapshot(row))
            changed.append(entry.department)
            continue
        if entry.version is None:
            raise Conflict(f"{label} er oprettet af en anden, siden du hentede siden.",
                           audit.changes_since(session, ENTITY, key, 0))
        versions.check_version(session, row, entry.version, label=label, entity=ENTITY,
                               key=key)
        if row.amount == amount:
            continue
        before = audit.snapshot(row)
        row.amount = amount
        versions.flush(session, label=label, entity=ENTITY, key=key, version=entry.version)
        audit.record(session, actor, "update", ENTITY, key, before, audit.snapshot(row))
        changed.append(entry.department)
    versions.commit(session, label=f"Budgetterne for {year}")
    return changed
