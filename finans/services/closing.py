"""Closing months for postings, and the corrections a later change makes due.

Closing a month freezes what its postings held: every allocation amount of the month, every part
of the state refund passed on (and every correction it carried) is kept in ``posted_amounts`` with
the account strings it was booked on, and the month is written to ``closed_months``. Closing is
done by finance or an administrator, closes every month up to and including the one named, is
idempotent and never reopens anything; the months' primary key lets the database refuse a second
close of the same month, so two closes at the same moment cannot both freeze it.

Every month up to the last closed one counts as closed, also months before the first one frozen.
When such a month gives another amount now than it posted (a re-assessment dated back, a changed
cost or end date, a refund changed by either), the difference is due as correction entries in the
first open month (:func:`finans.allocation.postings.corrections`). The rules are in
docs/postings.md.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast as typing_cast

from sqlalchemy import BigInteger, cast, func, insert
from sqlalchemy import case as sql_case
from sqlalchemy import select as sql_select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from finans.allocation.engine import allocate, collector_paused
from finans.allocation.postings import (
    Chart,
    Entry,
    Month,
    Posted,
    correction_totals,
    corrections,
    entries,
    first_day,
    last_day,
    missing_accounts,
    month_of,
    next_month,
    refund_entries,
)
from finans.allocation.problems import Problem
from finans.allocation.records import DepartmentCode, InterventionId, Period, Scenario
from finans.allocation.refund import refunds
from finans.services import audit, figures
from finans.services.actor import Actor
from finans.services.caching import RevisionCache
from finans.services.errors import Conflict, ServiceError, problem
from finans.services.policy import Action, require_somewhere
from finans.services.values import Moment
from finans.store import models
from finans.store.rows import fetch
from finans.store.timestamps import local, now

ENTITY = "period"
CHUNK_MONTHS = 12
"""Months allocated at a time when closing or comparing long histories (bounds memory)."""
MONTH_NAMES = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)


def month_label(month: Month) -> str:
    """``2026-03`` → ``marts 2026``."""
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


# --- reading the closed months ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClosedMonth:
    """A closed month, when and by whom it was closed."""

    month: Month
    closed_at: Moment
    closed_by: str


@dataclass(frozen=True, slots=True)
class Closing:
    """The months closed so far, oldest first."""

    months: tuple[ClosedMonth, ...]

    @property
    def closed_through(self) -> Month | None:
        """The last closed month; every month up to it is closed."""
        return self.months[-1].month if self.months else None

    @property
    def first_open(self) -> Month | None:
        """The month corrections are posted in; ``None`` while nothing is closed."""
        through = self.closed_through
        return None if through is None else next_month(through)

    def is_closed(self, month: Month) -> bool:
        through = self.closed_through
        return through is not None and month <= through


def closed_through(session: Session) -> Month | None:
    """The last closed month, if any (every month up to it is closed)."""
    found: Month | None = session.exec(select(func.max(models.ClosedMonth.month))).one()
    return found


def _closing(session: Session) -> Closing:
    rows = session.exec(select(models.ClosedMonth).order_by(col(models.ClosedMonth.month)))
    return Closing(tuple(ClosedMonth(row.month, row.closed_at, row.closed_by) for row in rows))


def closed_months(session: Session, *, actor: Actor) -> Closing:
    """The closed months (every role that reads all cases may see them)."""
    require_somewhere(actor, Action.READ_CLOSED_MONTHS)
    return _closing(session)


# --- what closed months posted and give now -----------------------------------------------------


def posted_sums(
    session: Session, first: Month, last: Month, intervention: InterventionId | None = None
) -> Posted:
    """What the months ``first``..``last`` posted so far, corrections included, per
    :data:`~finans.allocation.postings.Key` (of one intervention, if given)."""
    table = models.PostedAmount
    household = sql_case((col(table.intervention) == "", col(table.case_ref)), else_="")
    keys = (col(table.month), col(table.intervention), household, col(table.department),
            col(table.paid_by))
    query = (
        sql_select(*keys, func.max(table.case_ref), cast(func.sum(table.amount), BigInteger))
        .where(col(table.month) >= first, col(table.month) <= last)
        .group_by(*keys)
    )
    if intervention is not None:
        query = query.where(col(table.intervention) == intervention)
    rows = _grouped(fetch(session, query))
    return {(month, ident, refunded, department, paid_by): (case, int(amount))
            for month, ident, refunded, department, paid_by, case, amount in rows}


def _grouped(rows: Sequence[object]) -> Sequence[tuple[str, str, str, str, str, str, int]]:
    """The grouped rows of :func:`posted_sums` as the plain tuples they are."""
    return typing_cast("Sequence[tuple[str, str, str, str, str, str, int]]", rows)


def _month_runs(first: Month, last: Month, size: int = CHUNK_MONTHS) -> Iterator[Period]:
    """``first``..``last`` as periods of at most ``size`` whole months."""
    month = first
    while month <= last:
        end = month
        for _ in range(size - 1):
            if next_month(end) > last:
                break
            end = next_month(end)
        yield Period(first_day(month), last_day(end))
        month = next_month(end)


def _history_start(session: Session, scenario: Scenario, through: Month) -> Month:
    """The first month that can differ from what was posted: the earliest of the first posted
    month and the interventions' first months."""
    starts = [month_of(iv.cost.start) for iv in scenario.interventions]
    posted = session.exec(select(func.min(models.PostedAmount.month))).one()
    return min([through, *starts, *([posted] if posted else [])])


def _posting_entries(scenario: Scenario, period: Period, chart: Chart) -> list[Entry]:
    """What whole months post today: the allocation's entries, then the refunds passed on."""
    allocation = allocate(scenario, period)
    found = list(entries(allocation.lines, chart))
    found += refund_entries(refunds(scenario, allocation).refunds, chart)
    return found


def due_corrections(session: Session, scenario: Scenario, through: Month) -> list[Entry]:
    """Every difference between what the months up to ``through`` give now and what they
    posted, as entries posted in the month after ``through``."""
    chart = Chart.of(scenario)
    posted_in = next_month(through)
    found: list[Entry] = []
    with collector_paused():
        for period in _month_runs(_history_start(session, scenario, through), through):
            posted = posted_sums(session, month_of(period.start), month_of(period.end))
            found += corrections(_posting_entries(scenario, period, chart), posted, posted_in,
                                 chart)
    return found


_corrections = RevisionCache(2)


def pending_corrections(
    session: Session, scenario: Scenario | None = None
) -> tuple[Month | None, list[Entry]]:
    """The first open month and the corrections due in it (none while nothing is closed),
    computed once per data revision (from ``scenario`` when the caller has read it already)."""
    through = closed_through(session)
    if through is None:
        return None, []

    def compute() -> list[Entry]:
        records = scenario or figures.scenario_records(session, with_decisions=False)
        return due_corrections(session, records, through)

    return next_month(through), _corrections.get(session, ("corrections", through), compute)


@dataclass(frozen=True, slots=True)
class CorrectionPreview:
    """What a change to one intervention would move in closed months.

    Attributes:
      closed_through: the last closed month.
      posted_in: the month the correction is posted in (the first open month).
      departments: department code → the correction in øre (positive: it bears more).
    """

    closed_through: Month
    posted_in: Month
    departments: dict[DepartmentCode, int]


def correction_preview(
    session: Session, scenario: Scenario, intervention: InterventionId
) -> CorrectionPreview | None:
    """The correction the intervention (as it is in ``scenario``) would make due in the
    allocation, per department: what its closed months give in ``scenario`` minus what they
    posted. ``None`` while nothing is closed. A changed refund share-back is the household's, not
    the intervention's, and is not previewed."""
    through = closed_through(session)
    if through is None:
        return None
    chart = Chart.of(scenario)
    record = next(iv for iv in scenario.interventions if iv.id == intervention)
    start = min(month_of(record.cost.start), through)
    posted = posted_sums(session, "0000-01", through, intervention)
    if posted:
        start = min(start, min(key[0] for key in posted))
    lines = allocate(Scenario(scenario.departments, scenario.cases, (record,)),
                     Period(first_day(start), last_day(through))).lines
    found = corrections(entries(lines, chart), posted, next_month(through), chart)
    return CorrectionPreview(through, next_month(through), correction_totals(found))


# --- closing ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CloseResult:
    """What a close did.

    Attributes:
      closed: the months this close closed, oldest first (empty: they were closed already).
      closed_through: the last closed month afterwards.
      entries: how many posted amounts were frozen.
      corrections: how many of them were corrections of earlier months.
    """

    closed: tuple[Month, ...]
    closed_through: Month
    entries: int
    corrections: int


def parse_month(value: object, where: str = "month") -> Month:
    """``YYYY-MM`` text, or a located problem."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        if 1 <= int(text[5:]) <= 12 and int(text[:4]) >= 1900:
            return text
    raise problem("bad_month", "Angiv måneden som ÅÅÅÅ-MM, fx 2026-03", where)


def _months(first: Month, last: Month) -> list[Month]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


class _Freezer:
    """Writes entries to ``posted_amounts``, numbering each month's lines in the order given."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lines: dict[Month, int] = {}
        self.count = 0

    def __call__(self, found: Sequence[Entry]) -> None:
        problems: list[Problem] = missing_accounts(found)
        if problems:
            raise ServiceError(problems)
        rows = []
        for e in found:
            line = self.lines[e.posted_in] = self.lines.get(e.posted_in, 0) + 1
            rows.append({
                "posted_in": e.posted_in, "line": line, "month": e.month,
                "intervention": e.intervention, "case_ref": e.case, "department": e.department,
                "paid_by": e.paid_by, "amount": e.amount, "account": e.account,
                "payer_account": e.payer_account,
            })
        if rows:
            self.session.execute(insert(models.PostedAmount), rows)
        self.count += len(rows)


def _close(
    session: Session, actor: Actor, target: Month, through: Month | None
) -> CloseResult:
    """Freeze the months after ``through`` up to ``target`` (corrections in the first)."""
    scenario = figures.scenario_records(session, with_decisions=False)
    chart = Chart.of(scenario)
    first = next_month(through) if through else _history_start(session, scenario, target)
    months = _months(first, target)
    due = due_corrections(session, scenario, through) if through else []
    moment = now()
    session.add_all(models.ClosedMonth(month=month, closed_at=moment, closed_by=actor.username)
                    for month in months)
    session.flush()
    freeze = _Freezer(session)
    with collector_paused():
        for period in _month_runs(first, target):
            found = _posting_entries(scenario, period, chart)
            if due and month_of(period.start) == first:
                # The first month posts its own entries, then the corrections due.
                found += due
            freeze(found)
    audit.record(session, actor, "close", ENTITY, target,
                 before={"closed_through": through},
                 after={"closed_through": target, "months": months, "entries": freeze.count})
    return CloseResult(tuple(months), target, freeze.count, len(due))


def close_months(
    session: Session, *, actor: Actor, month: object, today: date | None = None
) -> CloseResult:
    """Close every month up to and including ``month`` (``YYYY-MM``) for postings.

    Months already closed stay as they are; a month after the current one cannot be closed yet.
    A close racing another is refused (or, if the other closed the same months, a no-op).
    """
    require_somewhere(actor, Action.CLOSE_MONTHS)
    target = parse_month(month)
    today = today or local(now()).date()
    if target > month_of(today):
        raise problem("month_not_begun",
                      f"{month_label(target).capitalize()} er ikke begyndt og kan ikke lukkes",
                      "month")
    through = closed_through(session)
    if through is not None and target <= through:
        return CloseResult((), through, 0, 0)
    try:
        result = _close(session, actor, target, through)
        session.commit()
    except (IntegrityError, OperationalError):
        session.rollback()
        after = closed_through(session)
        if after is not None and after >= target:
            return CloseResult((), after, 0, 0)
        raise Conflict(
            "Månederne blev lukket af en anden samtidig. Hent de lukkede måneder igen, og prøv "
            "på ny."
        ) from None
    except BaseException:
        session.rollback()
        raise
    return result
