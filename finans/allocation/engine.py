"""Month-by-month allocation of intervention costs to departments (docs/calculation.md).

For each intervention and each calendar month that overlaps both its active days and the period,
the month total is R(b) − R(a − 1): [a, b] are the month's counted days and R(x) is the schedule's
exact running cost from its start through day x, rounded half-up to whole øre. Rounding the running
cost rather than each month keeps rounding from adding up over months, and makes a month's total
independent of the period asked for. The total is divided over departments in proportion to their
exact weights by the largest-remainder method. The daily rate is constant within a month for every
``per``, so a department's exact weight is the rate times the sum over counted days of its share
that day; the rate cancels out of the proportions, and all arithmetic below is on integers: shares
become integer numerators over a common denominator, running costs closed-form fractions.

>>> from datetime import date
>>> from finans.allocation.records import CostSchedule, Method, SplitVersion
>>> iv = Intervention("I-1", "S-1", "Aflastning", "BL § 32", "BFH", "BFH",
...     CostSchedule(10000, Per.ONCE, date(2026, 3, 1)),
...     (SplitVersion(date(2026, 1, 1), Method.EQUAL, Status.AGREED,
...                   departments=("BFH", "JOB", "SKO")),))
>>> [(l.department, l.amount) for l in allocate(
...     Scenario((), (), (iv,)), Period(date(2026, 1, 1), date(2026, 12, 31))).lines]
[('BFH', 3334), ('JOB', 3333), ('SKO', 3333)]
"""

from __future__ import annotations

import calendar
import gc
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from math import lcm
from typing import NamedTuple

from finans.allocation.money import Ore, round_half_up
from finans.allocation.records import (
    CaseRef,
    CostSchedule,
    DepartmentCode,
    Intervention,
    InterventionId,
    Per,
    Period,
    Scenario,
    SplitVersion,
    Status,
)
from finans.allocation.shares import IntWeights, share_weights

Runs = tuple[tuple[int, int], ...]
"""``(days, version index or -1 for unsplit)`` runs of consecutive days."""

PartsKey = tuple[int, Runs | int]
"""A month total with the runs it is split by (just the version when there is only one)."""


class Line(NamedTuple):
    """What one department finances of one intervention in one month."""

    intervention: InterventionId
    case: CaseRef
    month: str
    department: DepartmentCode
    amount: Ore
    paid_by: DepartmentCode


class Unsplit(NamedTuple):
    """An intervention with counted days that no agreed split covers (financed by ``paid_by``)."""

    intervention: InterventionId
    case: CaseRef
    paid_by: DepartmentCode
    days: int


@dataclass(frozen=True, slots=True)
class Allocation:
    """The result of :func:`allocate`.

    Attributes:
      period: the allocated period.
      lines: sorted by intervention id, month, department code; no zero amounts.
      unsplit: interventions with unsplit counted days, sorted by id.
      totals: department → sum of its lines, sorted by code.
      paid: department → sum of the month totals of the interventions it pays (``paid_by``).
      total: sum of all lines.
    """

    period: Period
    lines: tuple[Line, ...]
    unsplit: tuple[Unsplit, ...]
    totals: dict[DepartmentCode, Ore]
    paid: dict[DepartmentCode, Ore]
    total: Ore


def largest_remainder(total: Ore, weights: IntWeights) -> list[tuple[DepartmentCode, Ore]]:
    """Divide ``total`` øre in proportion to ``weights`` so that the parts sum exactly to it.

    Each department gets the floor of its exact part; the øre left over go one each to the largest
    remainders, ties to the larger weight, then to the lower code (docs/calculation.md). Remainders
    are compared as exact integers from ``divmod``, never as rounded decimals.

    >>> largest_remainder(10000, (("A", 1), ("B", 1), ("C", 1)))
    [('A', 3334), ('B', 3333), ('C', 3333)]
    """
    weight_sum = sum(weight for _, weight in weights)
    parts = [divmod(total * weight, weight_sum) for _, weight in weights]
    amounts = [quotient for quotient, _ in parts]
    left = total - sum(amounts)
    if left:
        ranked = sorted(
            range(len(weights)),
            key=lambda i: (-parts[i][1], -weights[i][1], weights[i][0]),
        )
        for i in ranked[:left]:
            amounts[i] += 1
    return [(code, amount) for (code, _), amount in zip(weights, amounts, strict=True) if amount]


class _Version(NamedTuple):
    starts: int
    weights: IntWeights
    denominator: int


SplitInputs = tuple[object, ...]
"""What a split version's shares depend on; equal inputs resolve to equal weights."""


def _inputs(split: SplitVersion) -> SplitInputs:
    return (
        split.method,
        split.shares,
        split.departments,
        split.alpha,
        split.responsibility,
        split.benefit,
        split.savings,
    )


class _Shares:
    """Integer weights of split versions, resolved once per distinct input within an allocation."""

    def __init__(self) -> None:
        self._resolved: dict[SplitInputs, tuple[IntWeights, int]] = {}

    def of(self, split: SplitVersion) -> tuple[IntWeights, int]:
        """Shares as integer weights over their sum."""
        key = _inputs(split)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = share_weights(split)
        return found


class _Timeline:
    """The agreed split versions of one intervention, ordered by ``effective_from``."""

    def __init__(self, intervention: Intervention, shares: _Shares) -> None:
        self.paid_by = intervention.paid_by
        versions = [
            _Version(split.effective_from.toordinal(), *shares.of(split))
            for split in intervention.splits
            if split.status is Status.AGREED
        ]
        versions.sort()
        self.versions = versions
        self.starts = [version.starts for version in versions]

    def unsplit_days(self, first: int, last: int) -> int:
        """Days first..last before the first agreed version."""
        before = self.starts[0] - 1 if self.starts else last
        return max(0, min(before, last) - first + 1)

    def segments(self, first: int, last: int) -> Runs:
        """``(days, version index or -1 for unsplit)`` runs covering ordinal days first..last."""
        index = bisect_right(self.starts, first) - 1
        if index + 1 == len(self.starts) or self.starts[index + 1] > last:
            return ((last - first + 1, index),)
        runs = []
        day = first
        while index + 1 < len(self.starts) and self.starts[index + 1] <= last:
            next_start = self.starts[index + 1]
            if next_start > day:
                runs.append((next_start - day, index))
                day = next_start
            index += 1
        runs.append((last - day + 1, index))
        return tuple(runs)

    def weights(self, runs: Sequence[tuple[int, int]]) -> IntWeights:
        """Integer weights proportional to each department's exact share-days over the runs."""
        if len(runs) == 1:
            index = runs[0][1]
            return self.versions[index].weights if index >= 0 else ((self.paid_by, 1),)
        common = lcm(*(self.versions[i].denominator if i >= 0 else 1 for _, i in runs))
        summed: dict[DepartmentCode, int] = {}
        for days, index in runs:
            if index < 0:
                summed[self.paid_by] = summed.get(self.paid_by, 0) + days * common
                continue
            version = self.versions[index]
            scale = days * (common // version.denominator)
            for code, weight in version.weights:
                summed[code] = summed.get(code, 0) + weight * scale
        return tuple((code, summed[code]) for code in sorted(summed))


class _Month(NamedTuple):
    """A calendar month of the period: its label, the ordinals of its first and last day inside the
    period, its index (year × 12 + month − 1), the ordinal of the day before its 1st, and its
    number of days."""

    label: str
    first: int
    last: int
    number: int
    day0: int
    days: int


class _Calendar:
    """The calendar months of a period, built once per allocation and shared by all its lines."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.origin = _month_number(period.start)
        self.months: list[_Month] = []
        year, month = period.start.year, period.start.month
        for number in range(self.origin, _month_number(period.end) + 1):
            days = calendar.monthrange(year, month)[1]
            day0 = date(year, month, 1).toordinal() - 1
            self.months.append(
                _Month(
                    f"{year:04d}-{month:02d}",
                    max(day0 + 1, period.start.toordinal()),
                    min(day0 + days, period.end.toordinal()),
                    number,
                    day0,
                    days,
                )
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def between(self, first: date, last: date) -> list[_Month]:
        """The months from ``first``'s to ``last``'s, both inside the period."""
        return self.months[
            _month_number(first) - self.origin : _month_number(last) - self.origin + 1
        ]


def _month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


class _RunningCost:
    """R(x): a schedule's exact cost from its start through day x, rounded half-up to whole øre.

    Closed forms per ``per`` (docs/calculation.md, "Cost schedules"): a week costs amount / 7 a
    day; a month (a year) costs amount (amount / 12) for each whole calendar month and the days'
    part of it for a partial one; a one-off costs its whole amount from its start on. Callers
    never ask beyond the schedule's end, which is where the running cost stops growing.
    """

    __slots__ = ("amount", "per", "start", "start_month", "start_days", "first_part", "scale")

    def __init__(self, cost: CostSchedule) -> None:
        start = cost.start
        self.amount, self.per, self.start = cost.amount, cost.per, start.toordinal()
        self.start_month = _month_number(start)
        self.start_days = calendar.monthrange(start.year, start.month)[1]
        self.first_part = self.start_days - start.day + 1
        """Days of the start month from the start on."""
        self.scale = 12 if cost.per is Per.YEAR else 1

    def at(self, day: int, number: int, day0: int, days: int) -> Ore:
        """R(day) for ordinal ``day`` in month ``number`` (its day 0 is ordinal ``day0``, and it
        has ``days`` days)."""
        if day < self.start:
            return 0
        per = self.per
        if per is Per.ONCE:
            return self.amount
        if per is Per.WEEK:
            return round_half_up(self.amount * (day - self.start + 1), 7)
        if number == self.start_month:
            return round_half_up(self.amount * (day - self.start + 1), self.scale * days)
        start_days = self.start_days
        # The start month's part, the whole months between, and this month's part.
        parts = (
            self.first_part * days
            + (number - self.start_month - 1) * start_days * days
            + (day - day0) * start_days
        )
        return round_half_up(self.amount * parts, self.scale * start_days * days)

    def before(self, day: int) -> Ore:
        """R(day − 1), for a day whose previous day may lie before the period."""
        previous = date.fromordinal(day - 1)
        days = calendar.monthrange(previous.year, previous.month)[1]
        return self.at(day - 1, _month_number(previous), day - 1 - previous.day, days)


def _counted_range(intervention: Intervention, period: Period) -> tuple[date, date] | None:
    """First and last counted day: the schedule cut to the period (a one-off's single day)."""
    cost = intervention.cost
    if cost.per is Per.ONCE:
        first = last = cost.start
    else:
        first = max(cost.start, period.start)
        last = period.end if cost.end is None else min(cost.end, period.end)
    return (first, last) if period.start <= first <= last <= period.end else None


class _Ledger:
    """What an allocation accumulates, intervention by intervention."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.unsplit: list[Unsplit] = []
        self.totals: dict[DepartmentCode, Ore] = {}
        self.paid: dict[DepartmentCode, Ore] = {}

    def add_to_sums(
        self, parts: list[tuple[DepartmentCode, Ore]], times: int, paid_by: DepartmentCode
    ) -> None:
        """Add a month's parts, ``times`` over, to the department and paid_by sums."""
        for code, amount in parts:
            self.totals[code] = self.totals.get(code, 0) + amount * times
            self.paid[paid_by] = self.paid.get(paid_by, 0) + amount * times


_new_line = tuple.__new__
"""``_new_line(Line, fields)`` builds a line without the Python-level ``Line.__new__``; lines are
by far the most numerous objects an allocation creates."""


def _allocate_intervention(
    intervention: Intervention, months: _Calendar, shares: _Shares, ledger: _Ledger
) -> None:
    """Add the intervention's lines, sums and unsplit days for the period to the ledger."""
    counted = _counted_range(intervention, months.period)
    if counted is None:
        return
    first, last = counted[0].toordinal(), counted[1].toordinal()
    timeline = _Timeline(intervention, shares)
    running = _RunningCost(intervention.cost)
    # The same month total split by the same runs gives the same parts.
    parts_of: dict[PartsKey, list[tuple[DepartmentCode, Ore]]] = {}
    uses: dict[PartsKey, int] = {}
    ident, case, paid_by = intervention.id, intervention.case, intervention.paid_by
    append = ledger.lines.append
    # R(a − 1) for the first counted day a; each month's R(b) is the next month's R(a − 1).
    before = 0 if first == running.start else running.before(first)
    for month in months.between(*counted):
        start, end = max(month.first, first), min(month.last, last)
        reached = running.at(end, month.number, month.day0, month.days)
        total, before = reached - before, reached
        runs = timeline.segments(start, end)
        # Within one version the proportions do not depend on the number of days.
        key: PartsKey = (total, runs if len(runs) > 1 else runs[0][1])
        parts = parts_of.get(key)
        if parts is None:
            parts = largest_remainder(total, timeline.weights(runs)) if total else []
            parts_of[key] = parts
        uses[key] = uses.get(key, 0) + 1
        for code, part in parts:
            append(_new_line(Line, (ident, case, month.label, code, part, paid_by)))
    for key, count in uses.items():
        ledger.add_to_sums(parts_of[key], count, paid_by)
    days = timeline.unsplit_days(first, last)
    if days:
        ledger.unsplit.append(Unsplit(ident, case, paid_by, days))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration.

    An allocation, and a cache of figures built from one, creates hundreds of thousands of small
    objects that never form cycles; with the collector running, a large municipality's heap is
    rescanned again and again, which costs more than the allocation itself. Reference counting
    frees everything as usual, and the collector ends up enabled again if it was, also when calls
    overlap in several threads.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def allocate(scenario: Scenario, period: Period) -> Allocation:
    """Allocate every intervention of a valid scenario over the period, to the øre."""
    months, shares, ledger = _Calendar(period), _Shares(), _Ledger()
    with collector_paused():
        for intervention in sorted(scenario.interventions, key=lambda iv: iv.id):
            _allocate_intervention(intervention, months, shares, ledger)
    return Allocation(
        period=period,
        lines=tuple(ledger.lines),
        unsplit=tuple(ledger.unsplit),
        totals=dict(sorted(ledger.totals.items())),
        paid=dict(sorted(ledger.paid.items())),
        total=sum(ledger.totals.values()),
    )
