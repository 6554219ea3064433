"""Postings for the finance system over a run of months, and the files they are written to.

A closed month's postings are read back from what it froze, so they stay exactly as they were
booked; an open month's are its allocation now followed by the state refund's share-back, and the
first open month also carries the corrections due for closed months
(:mod:`finans.services.closing`). Finance and administrators
take them as ``csv`` or ``g69`` (:mod:`finans.ledger`); docs/postings.md has the rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import IO

from sqlalchemy import select as sql_select
from sqlmodel import Session, col

from finans.allocation.engine import Line, allocate, collector_paused
from finans.allocation.postings import (
    Balance,
    Bookings,
    Chart,
    Entry,
    Leg,
    Month,
    entries,
    first_day,
    last_day,
    legs,
    lines_by_month,
    missing_accounts,
    months_of,
    next_month,
    refunds_by_month,
)
from finans.allocation.records import DepartmentCode, Period
from finans.allocation.refund import refunds
from finans.ledger import Format, G69Settings, LedgerError, write_postings
from finans.services import closing, figures
from finans.services.actor import Actor
from finans.services.errors import ServiceError
from finans.services.policy import Action, require_somewhere
from finans.store import models
from finans.store.rows import fetch


def _frozen(session: Session, first: Month, last: Month | None = None) -> Iterator[Entry]:
    """What the closed months ``first``..``last`` posted, month by month in the order posted."""
    table = models.PostedAmount
    query = (
        sql_select(*(col(getattr(table, name)) for name in _ENTRY_COLUMNS))
        .where(col(table.posted_in) >= first, col(table.posted_in) <= (last or first))
        .order_by(col(table.posted_in), col(table.line))
    )
    for row in fetch(session, query):
        yield Entry._make(row)


_ENTRY_COLUMNS = ("posted_in", "month", "intervention", "case_ref", "department", "paid_by",
                  "amount", "account", "payer_account")
"""The ``posted_amounts`` columns of an :class:`Entry`, in its order."""


def bookings(session: Session, period: Period) -> Bookings | None:
    """For a workbook of ``period``: its closed months' allocation as booked and the
    corrections of it posted in its months (frozen ones, and those due in the first open month);
    ``None`` while nothing is closed. The refund's share-back is left out: the workbook shows
    refunds on their own sheet. Whoever may export the workbook may read them."""
    through = closing.closed_through(session)
    if through is None:
        return None
    months = months_of(period)
    posted: list[Entry] = []
    corrections: list[Entry] = []
    if months[0] <= through:
        for entry in _frozen(session, months[0], min(months[-1], through)):
            if not entry.is_refund:
                (corrections if entry.is_correction else posted).append(entry)
    first_open, due = closing.pending_corrections(session)
    if first_open in months:
        corrections += (entry for entry in due if not entry.is_refund)
    return Bookings(through, posted, corrections)


@dataclass(frozen=True, slots=True)
class Postings:
    """The postings of whole months, read as entries or legs in posting order.

    Closed months are read from the session while iterating, so iterate before the session
    closes.

    Attributes:
      months: the months covered, oldest first.
      closed_through: the last closed month, if any.
      corrections: the corrections due, posted in the first open month if it is covered.
    """

    months: tuple[Month, ...]
    closed_through: Month | None
    corrections: tuple[Entry, ...]
    _session: Session = field(repr=False)
    _lines: Mapping[Month, Sequence[Line]] = field(repr=False)
    _refunds: Mapping[Month, Sequence[Entry]] = field(repr=False)
    _chart: Chart = field(repr=False)

    @property
    def period(self) -> Period:
        return Period(first_day(self.months[0]), last_day(self.months[-1]))

    def is_closed(self, month: Month) -> bool:
        return self.closed_through is not None and month <= self.closed_through

    def entries(self) -> Iterator[Entry]:
        """Every entry, month by month: closed months as frozen, open months as allocated
        now and then the refunds passed on, the first open month followed by the corrections
        due."""
        for month in self.months:
            if self.is_closed(month):
                yield from _frozen(self._session, month)
                continue
            yield from entries(self._lines.get(month, ()), self._chart)
            yield from self._refunds.get(month, ())
            if self.corrections and self.corrections[0].posted_in == month:
                yield from self.corrections

    def legs(self) -> Iterator[Leg]:
        return legs(self.entries())


def postings(session: Session, *, actor: Actor, period: Period) -> Postings:
    """The postings of every month the period touches (finance and administrators).

    Refused with located problems when a department that takes part has no account string.
    """
    require_somewhere(actor, Action.READ_POSTINGS)
    months = tuple(months_of(period))
    through = closing.closed_through(session)
    open_months = [month for month in months if through is None or month > through]
    lines: dict[Month, list[Line]] = {}
    shared_back: dict[Month, list[Entry]] = {}
    scenario = figures.scenario_records(session, with_decisions=False)
    chart = Chart.of(scenario)
    if open_months:
        wanted = Period(first_day(open_months[0]), last_day(open_months[-1]))
        with collector_paused():
            allocation = allocate(scenario, wanted)
            lines = lines_by_month(allocation.lines)
            shared_back = refunds_by_month(refunds(scenario, allocation).refunds, chart)
    carried: tuple[Entry, ...] = ()
    if through is not None and next_month(through) in open_months:
        carried = tuple(closing.pending_corrections(session, scenario)[1])
    with collector_paused():
        problems = missing_accounts(chain(
            carried, *(entries(lines.get(month, ()), chart) for month in open_months),
            *shared_back.values(),
        ))
    if problems:
        raise ServiceError(problems)
    return Postings(months, through, carried, session, lines, shared_back, chart)


@dataclass(frozen=True, slots=True)
class Summary:
    """A preview of postings: sums to check them by before they are loaded.

    Attributes:
      legs: how many legs (file lines) there are.
      accounts: Σ debit and Σ credit per account string.
      days: Σ debit and Σ credit per posting date (equal when the postings balance).
      departments: debit − credit of each department's legs.
      refunds: debit − credit of each department's legs passing the state refund on (their
        corrections included): what it received as payer less its own part of the refund.
      corrections: the correction entries among them.
    """

    legs: int
    accounts: dict[str, Balance]
    days: dict[str, Balance]
    departments: dict[DepartmentCode, int]
    refunds: dict[DepartmentCode, int]
    corrections: tuple[Entry, ...]

    @property
    def balanced(self) -> bool:
        return all(day.debit == day.credit for day in self.days.values())


@collector_paused()
def summarise(found: Postings) -> Summary:
    """Count and sum the postings in one pass."""
    accounts: dict[str, list[int]] = {}
    days: dict[str, list[int]] = {}
    departments: dict[DepartmentCode, int] = {}
    refunded: dict[DepartmentCode, int] = {}
    count = 0
    corrections: list[Entry] = []

    def tracked() -> Iterator[Entry]:
        for entry in found.entries():
            if entry.is_correction:
                corrections.append(entry)
            yield entry

    for leg in legs(tracked()):
        count += 1
        for sums, label in ((accounts, leg.account), (days, leg.day.isoformat())):
            pair = sums.setdefault(label, [0, 0])
            pair[0] += leg.debit
            pair[1] += leg.credit
        net = leg.debit - leg.credit
        departments[leg.department] = departments.get(leg.department, 0) + net
        if not leg.intervention:
            refunded[leg.department] = refunded.get(leg.department, 0) + net
    return Summary(
        legs=count,
        accounts={key: Balance(*pair) for key, pair in sorted(accounts.items())},
        days={key: Balance(*pair) for key, pair in sorted(days.items())},
        departments=dict(sorted(departments.items())),
        refunds=dict(sorted(refunded.items())),
        corrections=tuple(corrections),
    )


def write_file(
    found: Postings, target: IO[bytes], file_format: Format, g69: G69Settings
) -> int:
    """Write the postings as ``csv`` or ``g69``; returns the number of legs.

    A value the format cannot hold is refused with located problems (the target may then hold
    part of a file: write to a temporary place and keep it only on success).
    """
    try:
        with collector_paused():
            return write_postings(found.legs(), target, file_format, g69, found.period.end)
    except LedgerError as error:
        raise ServiceError(error.problems) from None


def file_name(period: Period, file_format: Format) -> str:
    """``posteringer-2026-01-2026-03.csv``."""
    months = months_of(period)
    return f"posteringer-{months[0]}-{months[-1]}.{file_format}"
