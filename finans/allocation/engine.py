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

import gc
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from math import lcm
from typing import NamedTuple

from finans.allocation.money import Ore
from finans.allocation.months import Month, Months, RunningCost
from finans.allocation.records import (
    CaseRef,
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


Parts = list[tuple[DepartmentCode, Ore]]
"""A month total divided over departments (no zero parts)."""


class InterventionMonths(NamedTuple):
    """An intervention's months with counted days: labels, month totals and their parts."""

    case: CaseRef
    paid_by: DepartmentCode
    labels: Sequence[str]
    totals: Sequence[Ore]
    parts: Sequence[Parts]


class Unsplit(NamedTuple):
    """An intervention with counted days that no agreed split covers (financed by ``paid_by``)."""

    intervention: InterventionId
    case: CaseRef
    paid_by: DepartmentCode
    days: int


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`allocate`.

    Attributes:
      period: the allocated period.
      unsplit: interventions with unsplit counted days, sorted by id.
      totals: department → sum of its lines, sorted by code.
      paid: department → sum of the month totals of the interventions it pays (``paid_by``).
      total: sum of all lines.
      owed: (department, payer) → what the department's lines of interventions that another
        department pays add up to: what it owes that payer.
      months: intervention → its months with counted days, their totals and their parts, sorted
        by intervention id: the allocation in compact form, with each distinct division of a month
        total kept once.
    """

    period: Period
    unsplit: tuple[Unsplit, ...]
    totals: dict[DepartmentCode, Ore]
    paid: dict[DepartmentCode, Ore]
    total: Ore
    owed: dict[tuple[DepartmentCode, DepartmentCode], Ore]
    months: dict[InterventionId, InterventionMonths]

    @cached_property
    def lines(self) -> tuple[Line, ...]:
        """One line per intervention, month and department with an amount, sorted by intervention
        id, month and department code; made from :attr:`months` when first asked for."""
        with collector_paused():
            return tuple(
                _new_line(Line, (ident, case, label, code, part, paid_by))
                for ident, (case, paid_by, labels, _, month_parts) in self.months.items()
                for label, parts in zip(labels, month_parts, strict=True)
                for code, part in parts
            )


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


_new_line = tuple.__new__
"""``_new_line(Line, fields)`` builds a line (or another named tuple) without the Python-level
``Line.__new__``; lines are by far the most numerous objects an allocation creates."""


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
            _new_line(_Version, (split.effective_from.toordinal(), *shares.of(split)))
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

    def constant(self, first: int, last: int) -> int | None:
        """The version index (or -1 for unsplit) in force on every day first..last, if one is."""
        index = bisect_right(self.starts, first) - 1
        if index + 1 == len(self.starts) or self.starts[index + 1] > last:
            return index
        return None

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
        self.unsplit: list[Unsplit] = []
        self.totals: dict[DepartmentCode, Ore] = {}
        self.paid: dict[DepartmentCode, Ore] = {}
        self.owed: dict[tuple[DepartmentCode, DepartmentCode], Ore] = {}
        self.months: dict[InterventionId, InterventionMonths] = {}

    def add(
        self,
        intervention: Intervention,
        labels: list[str],
        totals: list[Ore],
        month_parts: list[Parts],
        uses: Iterable[tuple[Parts, int]],
    ) -> None:
        """An intervention's months, its department sums (each distinct month's parts times its
        number of months), what its payer paid (the sum of its month totals) and what the other
        departments owe the payer."""
        ident, case, paid_by = intervention.id, intervention.case, intervention.paid_by
        self.months[ident] = _new_line(
            InterventionMonths, (case, paid_by, labels, totals, month_parts)
        )
        paid = 0
        for parts, count in uses:
            for code, amount in parts:
                self.totals[code] = self.totals.get(code, 0) + amount * count
                paid += amount * count
                if code != paid_by:
                    key = (code, paid_by)
                    self.owed[key] = self.owed.get(key, 0) + amount * count
        if paid:
            self.paid[paid_by] = self.paid.get(paid_by, 0) + paid




def _month_parts(
    timeline: _Timeline, between: list[Month], totals: list[Ore], first: int, last: int
) -> tuple[list[Parts], list[tuple[Parts, int]]]:
    """Each month's parts, and each distinct parts with its number of months.

    The same month total split by the same runs of versions gives the same parts, and within one
    version the proportions do not depend on the number of days. Usually one version (or none) is
    in force on every counted day, and an intervention has only a few distinct month totals.
    """
    constant = timeline.constant(first, last)
    if constant is not None:
        weights = timeline.weights(((1, constant),))
        by_total = {
            total: largest_remainder(total, weights) if total else [] for total in set(totals)
        }
        uses = [(by_total[total], count) for total, count in Counter(totals).items()]
        return [by_total[total] for total in totals], uses
    parts_of: dict[PartsKey, Parts] = {}
    keys: list[PartsKey] = []
    month_parts = []
    for month, total in zip(between, totals, strict=True):
        runs = timeline.segments(max(month.first, first), min(month.last, last))
        key: PartsKey = (total, runs if len(runs) > 1 else runs[0][1])
        parts = parts_of.get(key)
        if parts is None:
            parts = largest_remainder(total, timeline.weights(runs)) if total else []
            parts_of[key] = parts
        keys.append(key)
        month_parts.append(parts)
    return month_parts, [(parts_of[key], count) for key, count in Counter(keys).items()]


def _allocate_intervention(
    intervention: Intervention, months: Months, shares: _Shares, ledger: _Ledger
) -> None:
    """Add the intervention's lines, sums and unsplit days for the period to the ledger."""
    counted = _counted_range(intervention, months.period)
    if counted is None:
        return
    first, last = counted[0].toordinal(), counted[1].toordinal()
    timeline = _Timeline(intervention, shares)
    span = months.span(*counted)
    between = months.months[span]
    totals = RunningCost(intervention.cost).month_totals(between, first, last)
    month_parts, uses = _month_parts(timeline, between, totals, first, last)
    ledger.add(intervention, months.labels[span], totals, month_parts, uses)
    days = timeline.unsplit_days(first, last)
    if days:
        ident, case, paid_by = intervention.id, intervention.case, intervention.paid_by
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
    months, shares, ledger = Months(period), _Shares(), _Ledger()
    with collector_paused():
        for intervention in sorted(scenario.interventions, key=lambda iv: iv.id):
            _allocate_intervention(intervention, months, shares, ledger)
    return Allocation(
        period=period,
        unsplit=tuple(ledger.unsplit),
        totals=dict(sorted(ledger.totals.items())),
        paid=dict(sorted(ledger.paid.items())),
        total=sum(ledger.totals.values()),
        owed=dict(sorted(ledger.owed.items())),
        months=ledger.months,
    )
