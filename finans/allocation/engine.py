"""Month-by-month allocation of intervention costs to departments (design §4.1–§4.4).

For each intervention and each calendar month that overlaps both its active days and the period:
the month total is the exact cost of the counted days rounded half-up to whole øre, and it is divided
over departments in proportion to their exact weights by the largest-remainder method. The daily rate
is constant within a month for every ``per``, so a department's exact weight is the rate times the
sum over counted days of its share that day; the rate cancels out of the proportions, and all
arithmetic below is on integers: shares become integer numerators over a common denominator.

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
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from math import lcm
from typing import NamedTuple

from finans.allocation.money import Ore, round_half_up
from finans.allocation.records import (
    CaseRef,
    DepartmentCode,
    Intervention,
    InterventionId,
    Per,
    Period,
    Scenario,
    Status,
)
from finans.allocation.shares import resolve_shares

IntWeights = tuple[tuple[DepartmentCode, int], ...]
"""Department → integer weight, sorted by code; only the proportions matter."""


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
    remainders, ties to the larger weight, then to the lower code (design §4.4 step 4). Remainders
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


class _Timeline:
    """The agreed split versions of one intervention, ordered by ``effective_from``."""

    def __init__(self, intervention: Intervention) -> None:
        self.paid_by = intervention.paid_by
        versions = []
        for split in intervention.splits:
            if split.status is not Status.AGREED:
                continue
            shares = resolve_shares(split)
            denominator = lcm(*(share.denominator for share in shares.values()))
            weights = tuple(
                (code, share.numerator * (denominator // share.denominator))
                for code, share in shares.items()
            )
            versions.append(_Version(split.effective_from.toordinal(), weights, denominator))
        versions.sort()
        self.versions = versions
        self.starts = [version.starts for version in versions]

    def segments(self, first: int, last: int) -> tuple[tuple[int, int], ...]:
        """``(days, version index or -1 for unsplit)`` runs covering ordinal days first..last."""
        index = bisect_right(self.starts, first) - 1
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


def _months(first: date, last: date) -> Iterator[tuple[str, date, date, int]]:
    """``(YYYY-MM, first counted day, last counted day, days in month)`` for each month touched."""
    year, month = first.year, first.month
    start = first
    while start <= last:
        days_in_month = calendar.monthrange(year, month)[1]
        month_end = date(year, month, days_in_month)
        yield f"{year:04d}-{month:02d}", start, min(month_end, last), days_in_month
        start = month_end + timedelta(days=1)
        year, month = start.year, start.month


def _month_total(per: Per, amount: Ore, days: int, days_in_month: int) -> Ore:
    """Exact cost of ``days`` counted days in a month, rounded half-up to whole øre."""
    if per is Per.MONTH:
        return round_half_up(amount * days, days_in_month)
    if per is Per.YEAR:
        return round_half_up(amount * days, 12 * days_in_month)
    return round_half_up(amount * days, 7)


def _allocate_intervention(
    intervention: Intervention, period: Period, lines: list[Line]
) -> int:
    """Append the intervention's lines for the period; return its unsplit counted days."""
    cost = intervention.cost
    if cost.per is Per.ONCE:
        if not period.start <= cost.start <= period.end:
            return 0
        months = [(f"{cost.start:%Y-%m}", cost.start, cost.start, 0)]
    else:
        first = max(cost.start, period.start)
        last = min(cost.end or period.end, period.end)
        if first > last:
            return 0
        months = list(_months(first, last))
    timeline = _Timeline(intervention)
    cache: dict[tuple[Ore, tuple[tuple[int, int], ...]], list[tuple[DepartmentCode, Ore]]] = {}
    unsplit_days = 0
    ident, case, paid_by = intervention.id, intervention.case, intervention.paid_by
    for month, start, end, days_in_month in months:
        runs = timeline.segments(start.toordinal(), end.toordinal())
        unsplit_days += sum(days for days, index in runs if index < 0)
        if cost.per is Per.ONCE:
            total = cost.amount
        else:
            total = _month_total(cost.per, cost.amount, (end - start).days + 1, days_in_month)
        key = (total, runs)
        parts = cache.get(key)
        if parts is None:
            parts = largest_remainder(total, timeline.weights(runs)) if total else []
            cache[key] = parts
        for code, amount in parts:
            lines.append(Line(ident, case, month, code, amount, paid_by))
    return unsplit_days


def allocate(scenario: Scenario, period: Period) -> Allocation:
    """Allocate every intervention of a valid scenario over the period, to the øre."""
    lines: list[Line] = []
    unsplit: list[Unsplit] = []
    for intervention in sorted(scenario.interventions, key=lambda iv: iv.id):
        days = _allocate_intervention(intervention, period, lines)
        if days:
            unsplit.append(
                Unsplit(intervention.id, intervention.case, intervention.paid_by, days)
            )
    totals: dict[DepartmentCode, Ore] = {}
    paid: dict[DepartmentCode, Ore] = {}
    for line in lines:
        totals[line.department] = totals.get(line.department, 0) + line.amount
        paid[line.paid_by] = paid.get(line.paid_by, 0) + line.amount
    return Allocation(
        period=period,
        lines=tuple(lines),
        unsplit=tuple(unsplit),
        totals=dict(sorted(totals.items())),
        paid=dict(sorted(paid.items())),
        total=sum(totals.values()),
    )
