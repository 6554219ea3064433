"""A second, deliberately naive implementation of the calculator, used only to check the engine.

Written from the contract's words (daily rate, split in force per day, the running cost rounded
half-up, exact weights, largest remainder with its tie-break), walking every day with
``Fraction``s.
It is slow and plain on purpose and shares no code with the engine beyond the input records.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from datetime import date, timedelta
from fractions import Fraction

from finans.allocation.records import (
    CostSchedule,
    Intervention,
    Method,
    Per,
    Period,
    Scenario,
    SplitVersion,
    Status,
)

RefLine = tuple[str, str, str, str, int, str]
"""(intervention, case, month, department, amount in øre, paid_by), the engine's line fields."""


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def daily_rate(cost: CostSchedule, day: date) -> Fraction:
    """The cost falling on one day, in øre."""
    if cost.per is Per.ONCE:
        return Fraction(cost.amount) if day == cost.start else Fraction(0)
    if cost.per is Per.WEEK:
        return Fraction(cost.amount, 7)
    if cost.per is Per.MONTH:
        return Fraction(cost.amount, days_in_month(day))
    return Fraction(cost.amount, 12 * days_in_month(day))


def counted_days(cost: CostSchedule, period: Period) -> list[date]:
    """Every day inside both the schedule and the period."""
    if cost.per is Per.ONCE:
        return [cost.start] if period.start <= cost.start <= period.end else []
    first = max(cost.start, period.start)
    last = period.end if cost.end is None else min(cost.end, period.end)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _normalised(pairs: tuple[tuple[str, object], ...]) -> dict[str, Fraction]:
    values = {code: Fraction(str(value)) for code, value in pairs}
    total = sum(values.values(), Fraction(0))
    return {code: value / total for code, value in values.items()} if total else {}


def split_shares(split: SplitVersion) -> dict[str, Fraction]:
    """Each department's share of a split version, straight from the method's definition."""
    if split.method is Method.FIXED:
        return {code: Fraction(str(percent)) / 100 for code, percent in split.shares}
    if split.method is Method.EQUAL:
        return {code: Fraction(1, len(split.departments)) for code in split.departments}
    if split.method is Method.SAVINGS:
        return _normalised(split.savings)
    alpha = Fraction(str(split.alpha))
    responsibility = _normalised(split.responsibility) if alpha else {}
    benefit = _normalised(split.benefit) if alpha != 1 else {}
    return {
        code: alpha * responsibility.get(code, Fraction(0))
        + (1 - alpha) * benefit.get(code, Fraction(0))
        for code in responsibility.keys() | benefit.keys()
    }


def split_in_force(intervention: Intervention, day: date) -> SplitVersion | None:
    """The agreed version with the latest effective date on or before ``day``."""
    candidates = [
        split
        for split in intervention.splits
        if split.status is Status.AGREED and split.effective_from <= day
    ]
    return max(candidates, key=lambda split: split.effective_from, default=None)


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def largest_remainder(total: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """Floors of the exact parts, then one øre each by remainder, then weight (both descending),
    then code (ascending)."""
    weight_sum = sum(weights.values(), Fraction(0))
    exact = {code: total * weight / weight_sum for code, weight in weights.items()}
    amounts = {code: math.floor(part) for code, part in exact.items()}
    left = total - sum(amounts.values())
    ranking = sorted(weights, key=lambda code: (amounts[code] - exact[code], -weights[code], code))
    for code in ranking[:left]:
        amounts[code] += 1
    return amounts


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def running_cost(cost: CostSchedule, last: date) -> Fraction:
    """C(last): the sum of the daily rates from the schedule's start through ``last``, one day
    at a time (nothing after its end; a one-off's whole amount from its start on)."""
    total = Fraction(0)
    day = cost.start
    stop = last if cost.end is None or cost.per is Per.ONCE else min(last, cost.end)
    while day <= stop:
        total += daily_rate(cost, day)
        day += timedelta(days=1)
    return total


def month_totals(intervention: Intervention, period: Period) -> dict[str, int]:
    """Each month's total R(b) − R(a − 1) over its counted days a..b (zero totals included)."""
    cost = intervention.cost
    counted: dict[str, list[date]] = {}
    for day in counted_days(cost, period):
        counted.setdefault(month_label(day), []).append(day)
    if not counted:
        return {}
    # C(x) for every day x from the day before the start through the last counted day.
    running = {cost.start - timedelta(days=1): Fraction(0)}
    day, total = cost.start, Fraction(0)
    last = max(days[-1] for days in counted.values())
    while day <= last:
        if cost.per is Per.ONCE or cost.end is None or day <= cost.end:
            total += daily_rate(cost, day)
        running[day] = total
        day += timedelta(days=1)

    def rounded(day: date) -> int:
        return round_half_up(running.get(day, Fraction(0)))

    return {
        label: rounded(days[-1]) - rounded(days[0] - timedelta(days=1))
        for label, days in counted.items()
    }


def reference_allocate(scenario: Scenario, period: Period) -> tuple[list[RefLine], dict[str, int]]:
    """Lines sorted by intervention, month, department (no zero amounts) and unsplit days by id."""
    lines: list[RefLine] = []
    unsplit: Counter[str] = Counter()
    for intervention in scenario.interventions:
        shares_of: dict[int, dict[str, Fraction]] = {}
        weights: dict[str, dict[str, Fraction]] = {}
        for day in counted_days(intervention.cost, period):
            split = split_in_force(intervention, day)
            if split is None:
                unsplit[intervention.id] += 1
                shares = {intervention.paid_by: Fraction(1)}
            else:
                shares = shares_of.setdefault(id(split), split_shares(split))
            rate = daily_rate(intervention.cost, day)
            month = weights.setdefault(month_label(day), {})
            for code, share in shares.items():
                month[code] = month.get(code, Fraction(0)) + rate * share
        totals = month_totals(intervention, period)
        for label, month in weights.items():
            total = totals[label]
            positive = {code: weight for code, weight in month.items() if weight > 0}
            if total == 0:
                continue
            for code, amount in largest_remainder(total, positive).items():
                if amount:
                    lines.append(
                        (intervention.id, intervention.case, label, code, amount,
                         intervention.paid_by)
                    )
    lines.sort(key=lambda line: (line[0], line[2], line[3]))
    return lines, dict(sorted(unsplit.items()))


RefRefund = tuple[str, str, Fraction, int, dict[str, int]]
"""(case, month, exact basis in øre, refund in øre, department → part), the engine's fields."""


def whole_months(period: Period) -> list[tuple[date, date]]:
    """First and last day of every calendar month lying wholly inside the period."""
    months = []
    day = period.start
    while day <= period.end:
        first = day.replace(day=1)
        last = first.replace(day=days_in_month(first))
        if period.start <= first and last <= period.end:
            months.append((first, last))
        day = last + timedelta(days=1)
    return months


def tiered_refund(
    basis: Fraction, thresholds: tuple[int, ...], percents: tuple[object, ...]
) -> Fraction:
    """Σ percent_i × max(0, min(basis, T_{i+1}/12) − T_i/12), the top tier unbounded."""
    refund = Fraction(0)
    for i, (threshold, percent) in enumerate(zip(thresholds, percents, strict=True)):
        lower = Fraction(threshold, 12)
        upper = Fraction(thresholds[i + 1], 12) if i + 1 < len(thresholds) else None
        inside = (basis if upper is None else min(basis, upper)) - lower
        refund += Fraction(str(percent)) / 100 * max(Fraction(0), inside)
    return refund


def reference_refunds(scenario: Scenario, period: Period) -> tuple[list[RefRefund], list[int]]:
    """The refund of every case in every whole month of the period, and the years without rates.

    Walks case by case and month by month: the basis is the month's allocated lines of the case's
    refundable interventions plus 1/12 of every refundable one-off of the month's year, each one-off
    allocated on its own day.
    """
    lines, _ = reference_allocate(scenario, period)
    rates = {r.year: r for r in scenario.refund_rates}
    refundable = [iv for iv in scenario.interventions if iv.refundable]
    one_off_parts = {
        iv.id: {
            line[3]: Fraction(line[4])
            for line in reference_allocate(
                Scenario((), (), (iv,)), Period(iv.cost.start, iv.cost.start)
            )[0]
        }
        for iv in refundable
        if iv.cost.per is Per.ONCE
    }
    refunds: list[RefRefund] = []
    missing: set[int] = set()
    for case in sorted({iv.case for iv in refundable}):
        for first, _ in whole_months(period):
            label = month_label(first)
            parts: dict[str, Fraction] = {}
            for iv in refundable:
                if iv.case != case:
                    continue
                if iv.cost.per is Per.ONCE:
                    if iv.cost.start.year == first.year:
                        for code, amount in one_off_parts[iv.id].items():
                            parts[code] = parts.get(code, Fraction(0)) + amount / 12
                    continue
                for line in lines:
                    if line[0] == iv.id and line[2] == label:
                        parts[line[3]] = parts.get(line[3], Fraction(0)) + line[4]
            basis = sum(parts.values(), Fraction(0))
            if not basis:
                continue
            if first.year not in rates:
                missing.add(first.year)
                continue
            year = rates[first.year]
            amount = round_half_up(tiered_refund(basis, year.thresholds, year.percents))
            if amount:
                positive = {code: part for code, part in parts.items() if part > 0}
                shared = largest_remainder(amount, positive)
                refunds.append(
                    (case, label, basis, amount,
                     {code: part for code, part in sorted(shared.items()) if part})
                )
    return refunds, sorted(missing)


RefShareBack = dict[tuple[str, str], dict[tuple[str, str], int]]
"""(case, month) → (department, payer) → the part of the department's refund passed on from the
payer."""


def reference_share_back(scenario: Scenario, period: Period) -> RefShareBack:
    """Each department's part of every refund, divided over the payers of the interventions it
    comes from: in proportion to the department's part of the basis of each payer's refundable
    interventions in the month (a one-off counting 1/12 of its own allocation), by the largest
    remainder; walked case by case and month by month like :func:`reference_refunds`."""
    refunds, _ = reference_refunds(scenario, period)
    lines, _ = reference_allocate(scenario, period)
    found: RefShareBack = {}
    for case, label, _, _, parts in refunds:
        year = int(label[:4])
        weights: dict[str, dict[str, Fraction]] = {}
        for iv in scenario.interventions:
            if iv.case != case or not iv.refundable:
                continue
            if iv.cost.per is Per.ONCE:
                if iv.cost.start.year != year:
                    continue
                day = Period(iv.cost.start, iv.cost.start)
                mine = [(line[3], Fraction(line[4], 12))
                        for line in reference_allocate(Scenario((), (), (iv,)), day)[0]]
            else:
                mine = [(line[3], Fraction(line[4]))
                        for line in lines if line[0] == iv.id and line[2] == label]
            for code, amount in mine:
                by_payer = weights.setdefault(code, {})
                by_payer[iv.paid_by] = by_payer.get(iv.paid_by, Fraction(0)) + amount
        passed: dict[tuple[str, str], int] = {}
        for code, part in parts.items():
            positive = {payer: w for payer, w in weights[code].items() if w > 0}
            for payer, amount in largest_remainder(part, positive).items():
                if amount:
                    passed[code, payer] = amount
        found[case, label] = passed
    return found
