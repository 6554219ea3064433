"""Postings for the finance system (omkontering): allocation lines become balanced legs.

The paying department (``paid_by``) books the provider's invoice; every other department with a
share then bears its part through two legs of the same amount on the month's last day: a debit on
its own account string and a credit on the payer's (or on the intervention's own account, when it
has one). So each posting date balances, and a department's legs net to what it was allocated
minus what it paid, as in the settlement. The rules are documented in docs/postings.md.

The state refund for expensive cases comes the other way: finance books it on the departments that
pay the household's refundable interventions, and each department's part of it
(:attr:`finans.allocation.refund.Refund.sources`) is passed on from those payers by two legs, a
credit on the department's account string and a debit on the payer's (:func:`refund_entries`).

An :class:`Entry` is one allocation amount, or one part of a refund passed on, as it is or was
posted: the month it belongs to, the month whose postings carry it (``posted_in``) and the account
strings it goes to. A closed month's entries are frozen; when a month that is closed gives another
amount now, the difference becomes a correction entry (``Efterregulering``) posted in the first
open month (:func:`corrections`).

>>> from finans.allocation.engine import Line
>>> chart = Chart({"BFH": "5.28.21", "JOB": "5.68.90"}, {})
>>> lines = [Line("I-1", "S-1", "2026-01", "BFH", 600, "BFH"),
...          Line("I-1", "S-1", "2026-01", "JOB", 400, "BFH")]
>>> for leg in legs(entries(lines, chart)):
...     print(leg.day, leg.account, leg.debit, leg.credit, leg.text, leg.department)
2026-01-31 5.68.90 400 0 Fælles finansiering 2026-01 I-1 JOB
2026-01-31 5.28.21 0 400 Fælles finansiering 2026-01 I-1 BFH
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from finans.allocation.accounts import Account
from finans.allocation.engine import Line
from finans.allocation.money import Ore
from finans.allocation.problems import Problem
from finans.allocation.records import (
    CaseRef,
    DepartmentCode,
    InterventionId,
    Period,
    Scenario,
)
from finans.allocation.refund import Refund

Month = str
"""A calendar month as ``YYYY-MM``."""

ALLOCATION_TEXT = "Fælles finansiering"
REFUND_TEXT = "Refusion"
CORRECTION_TEXT = "Efterregulering"


class Entry(NamedTuple):
    """What one department bears of one intervention for one month, as posted in ``posted_in``.

    ``amount`` is negative for a correction that takes back part of what was posted. An entry of
    the paying department itself (``department == paid_by``) gives no legs; it is kept so that a
    closed month's frozen entries hold every department's amount.

    A refund entry (no ``intervention``) is the part of the household's (``case``) refund for the
    month that ``department`` gets passed on from the payer ``paid_by``: its cost goes down, so
    ``amount`` is minus that part (plus, for a correction giving back less).
    """

    posted_in: Month
    month: Month
    intervention: InterventionId
    case: CaseRef
    department: DepartmentCode
    paid_by: DepartmentCode
    amount: Ore
    account: Account
    payer_account: Account

    @property
    def is_correction(self) -> bool:
        """A correction of an earlier (closed) month, posted in a later one."""
        return self.month != self.posted_in

    @property
    def is_refund(self) -> bool:
        """A part of a household's refund passed on, not an intervention's allocation."""
        return not self.intervention


Key = tuple[Month, InterventionId, CaseRef, DepartmentCode, DepartmentCode]
"""What a correction is reckoned per: month, intervention, household, department and paying
department. The household is only told for a refund entry (which has no intervention) and is
empty otherwise, so an intervention's amounts are reckoned together whatever case it is under."""

Posted = Mapping[Key, tuple[CaseRef, Ore]]
"""Closed months' amounts as posted so far (corrections included), with the case they were
posted under."""


@dataclass(frozen=True, slots=True)
class Chart:
    """Where amounts are booked: each department's account string, and the interventions whose
    cost the paying department books on an account of their own.

    Attributes:
      departments: department code → account string.
      interventions: intervention id → account string, for the interventions that have one.
    """

    departments: Mapping[DepartmentCode, Account]
    interventions: Mapping[InterventionId, Account]

    @classmethod
    def of(cls, scenario: Scenario) -> Chart:
        """The account strings of a scenario's departments and interventions."""
        return cls(
            {department.code: department.account for department in scenario.departments},
            {iv.id: iv.account for iv in scenario.interventions if iv.account},
        )

    def payer_account(self, intervention: InterventionId, paid_by: DepartmentCode) -> Account:
        """The account the paying department credits: the intervention's own, else its own."""
        return self.interventions.get(intervention) or self.departments.get(paid_by, "")


_new = tuple.__new__
"""``_new(Entry, fields)`` builds a named tuple without its Python-level ``__new__``: a year of a
large municipality makes hundreds of thousands of entries and legs."""


def entries(lines: Iterable[Line], chart: Chart) -> Iterator[Entry]:
    """Allocation lines as entries posted in their own month, in the lines' order."""
    departments, own = chart.departments, chart.interventions
    for ident, case, month, department, amount, paid_by in lines:
        payer = own.get(ident) or departments.get(paid_by, "")
        yield _new(Entry, (month, month, ident, case, department, paid_by, amount,
                           departments.get(department, ""), payer))


def refund_entries(found: Iterable[Refund], chart: Chart) -> Iterator[Entry]:
    """The refunds' parts passed on from their payers, as entries posted in their own month: for
    each refund (in the order given) its ``sources``, by department and payer. A department's
    part of the refund of interventions it pays itself is kept as an entry without legs."""
    departments = chart.departments
    for refund in found:
        for department, paid_by, amount in refund.sources:
            yield _new(Entry, (refund.month, refund.month, "", refund.case, department, paid_by,
                               -amount, departments.get(department, ""),
                               departments.get(paid_by, "")))


def key(entry: Entry | Line) -> Key:
    intervention = entry.intervention
    return (entry.month, intervention, "" if intervention else entry.case, entry.department,
            entry.paid_by)


def _order(entry: Entry) -> tuple[Month, bool, Key]:
    """Corrections' order: by month, the allocation's before the refunds', then by key."""
    return entry.month, not entry.intervention, key(entry)


def posted_amounts(posted: Iterable[Entry]) -> dict[Key, tuple[CaseRef, Ore]]:
    """Entries summed per :data:`Key` (the case of the latest one kept)."""
    sums: dict[Key, tuple[CaseRef, Ore]] = {}
    for entry in posted:
        found = sums.get(key(entry))
        sums[key(entry)] = (entry.case, entry.amount + (found[1] if found else 0))
    return sums


def corrections(
    current: Iterable[Entry], posted: Posted, posted_in: Month, chart: Chart
) -> list[Entry]:
    """What closed months give now minus what they posted, as entries posted in ``posted_in``.

    ``current`` holds today's entries of some closed months (:func:`entries` of the allocation
    lines, :func:`refund_entries` of the refunds) and ``posted`` what those same months posted
    (corrections included). Every difference per :data:`Key` becomes one entry; they are sorted
    by month, the allocation's before the refunds', then by key. A changed payer thus takes back
    the old legs and posts new ones. Corrections are booked on today's account strings.

    >>> chart = Chart({"BFH": "5.28.21", "JOB": "5.68.90"}, {})
    >>> now = [Line("I-1", "S-1", "2026-01", "BFH", 700, "BFH"),
    ...        Line("I-1", "S-1", "2026-01", "JOB", 300, "BFH")]
    >>> before = {("2026-01", "I-1", "", "BFH", "BFH"): ("S-1", 600),
    ...           ("2026-01", "I-1", "", "JOB", "BFH"): ("S-1", 400)}
    >>> found = corrections(entries(now, chart), before, "2026-02", chart)
    >>> [(e.department, e.amount) for e in found]
    [('BFH', 100), ('JOB', -100)]
    """
    remaining = dict(posted)
    found: list[Entry] = []
    for entry in current:
        was = remaining.pop(key(entry), None)
        difference = entry.amount - (was[1] if was else 0)
        if difference:
            found.append(entry._replace(posted_in=posted_in, amount=difference))
    departments = chart.departments
    for (month, intervention, _, department, paid_by), (case, amount) in remaining.items():
        if amount:
            found.append(Entry(
                posted_in, month, intervention, case, department, paid_by, -amount,
                departments.get(department, ""), chart.payer_account(intervention, paid_by),
            ))
    found.sort(key=_order)
    return found


def correction_totals(found: Iterable[Entry]) -> dict[DepartmentCode, Ore]:
    """What corrections of the allocation move per department (its own share included), by
    code; zeros left out. Corrections of refunds passed on are not counted."""
    totals: dict[DepartmentCode, Ore] = {}
    for entry in found:
        if entry.intervention:
            totals[entry.department] = totals.get(entry.department, 0) + entry.amount
    return {code: amount for code, amount in sorted(totals.items()) if amount}


@dataclass(frozen=True, slots=True)
class Bookings:
    """What months closed for postings booked, for a report of a period that reaches them.

    Attributes:
      closed_through: the last closed month; months up to it are shown as booked.
      posted: the closed months' own allocation amounts as they were booked
        (``month == posted_in``).
      corrections: corrections of closed months' allocation posted in the period's months.
    """

    closed_through: Month
    posted: Sequence[Entry]
    corrections: Sequence[Entry]


# --- legs ---------------------------------------------------------------------------------------


class Leg(NamedTuple):
    """One line of a posting file: a debit or a credit (the other is 0) on one account string.

    ``department`` owns ``account``; ``counterpart`` is the department on the other leg. A leg of
    a refund passed on has no ``intervention``.
    """

    day: date
    account: Account
    debit: Ore
    credit: Ore
    text: str
    intervention: InterventionId
    case: CaseRef
    department: DepartmentCode
    counterpart: DepartmentCode


def month_of(day: date) -> Month:
    return f"{day.year:04d}-{day.month:02d}"


def last_day(month: Month) -> date:
    """The posting date of a month: its last day."""
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, calendar.monthrange(year, number)[1])


def first_day(month: Month) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def next_month(month: Month) -> Month:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def months_of(period: Period) -> list[Month]:
    """Every calendar month the period touches, in order."""
    months, month, last = [], month_of(period.start), month_of(period.end)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def text_of(entry: Entry) -> str:
    """``Fælles finansiering 2026-03 I-17`` or ``Refusion 2026-03 S-1``; a correction of March
    posted later: ``Efterregulering 2026-03 I-17`` or ``Efterregulering refusion 2026-03 S-1``."""
    if entry.intervention:
        kind = CORRECTION_TEXT if entry.month != entry.posted_in else ALLOCATION_TEXT
        return f"{kind} {entry.month} {entry.intervention}"
    if entry.month != entry.posted_in:
        return f"{CORRECTION_TEXT} {REFUND_TEXT.lower()} {entry.month} {entry.case}"
    return f"{REFUND_TEXT} {entry.month} {entry.case}"


def legs(found: Iterable[Entry]) -> Iterator[Leg]:
    """Two legs per entry of a department other than the payer, in the entries' order: the
    debit first. A positive amount is a debit on the department and a credit on the payer; a
    negative one (a refund passed on, a correction taking back) swaps the sides, so every leg's
    amount is positive. The text is :func:`text_of` the entry."""
    days: dict[Month, date] = {}
    for entry in found:
        posted_in, month, ident, case, department, paid_by, amount, account, payer_account = (
            entry
        )
        if not amount or department == paid_by:
            continue
        day = days.get(posted_in)
        if day is None:
            day = days[posted_in] = last_day(posted_in)
        if ident and month == posted_in:
            text = f"{ALLOCATION_TEXT} {month} {ident}"
        else:
            text = text_of(entry)
        if amount > 0:
            yield _new(Leg, (day, account, amount, 0, text, ident, case, department, paid_by))
            yield _new(Leg, (day, payer_account, 0, amount, text, ident, case, paid_by,
                             department))
        else:
            yield _new(Leg, (day, payer_account, -amount, 0, text, ident, case, paid_by,
                             department))
            yield _new(Leg, (day, account, 0, -amount, text, ident, case, department, paid_by))


def refunds_by_month(found: Iterable[Refund], chart: Chart) -> dict[Month, list[Entry]]:
    """:func:`refund_entries` grouped by month, each group in the refunds' order (by case)."""
    grouped: dict[Month, list[Entry]] = {}
    for entry in refund_entries(found, chart):
        grouped.setdefault(entry.month, []).append(entry)
    return grouped


def lines_by_month(lines: Iterable[Line]) -> dict[Month, list[Line]]:
    """Allocation lines grouped by month, each group in the engine's order."""
    grouped: dict[Month, list[Line]] = {}
    for line in lines:
        group = grouped.get(line.month)
        if group is None:
            group = grouped[line.month] = []
        group.append(line)
    return grouped


# --- checks and sums ----------------------------------------------------------------------------


def missing_accounts(found: Iterable[Entry]) -> list[Problem]:
    """One problem per department (or intervention) whose legs would have no account string."""
    departments: set[DepartmentCode] = set()
    payers: set[tuple[InterventionId, DepartmentCode]] = set()
    for entry in found:
        if entry.amount and entry.department != entry.paid_by:
            if not entry.account:
                departments.add(entry.department)
            if not entry.payer_account:
                payers.add((entry.intervention, entry.paid_by))
    departments |= {paid_by for _, paid_by in payers}
    return [
        Problem(
            "account_missing",
            f"Afdelingen {code} har ingen kontostreng, så dens posteringer kan ikke bogføres; "
            "en administrator angiver den under Afdelinger",
            f"departments.{code}.account",
        )
        for code in sorted(departments)
    ]


class Balance(NamedTuple):
    debit: Ore
    credit: Ore


def balance_by_day(found: Iterable[Leg]) -> dict[date, Balance]:
    """Σ debit and Σ credit per posting date; a posting file balances when they are equal."""
    sums: dict[date, list[Ore]] = {}
    for leg in found:
        pair = sums.setdefault(leg.day, [0, 0])
        pair[0] += leg.debit
        pair[1] += leg.credit
    return {day: Balance(*pair) for day, pair in sorted(sums.items())}


def net_by_department(found: Iterable[Leg]) -> dict[DepartmentCode, Ore]:
    """Debit − credit of each department's legs: what it bears net through the postings."""
    nets: dict[DepartmentCode, Ore] = {}
    for leg in found:
        nets[leg.department] = nets.get(leg.department, 0) + leg.debit - leg.credit
    return dict(sorted(nets.items()))


def sums_by_account(found: Iterable[Leg]) -> dict[Account, Balance]:
    """Σ debit and Σ credit per account string, sorted by account string."""
    sums: dict[Account, list[Ore]] = {}
    for leg in found:
        pair = sums.setdefault(leg.account, [0, 0])
        pair[0] += leg.debit
        pair[1] += leg.credit
    return {account: Balance(*pair) for account, pair in sorted(sums.items())}
