"""The calendar months of a period, and a schedule's month totals over them.

A month's total is R(b) − R(a − 1), where [a, b] are its counted days and R(x) is the schedule's
exact running cost from its start through day x, rounded half-up to whole øre (docs/calculation.md,
"One intervention in one month"). R has a closed form per ``per``: a week costs amount / 7 a day; a
month (a year) costs amount (amount / 12) for each whole calendar month and the days' part of it
for a partial one; a one-off costs its whole amount from its start on.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from finans.allocation.money import Ore
from finans.allocation.records import CostSchedule, Per, Period


class Month(NamedTuple):
    """A calendar month of a period.

    Attributes:
      label: ``YYYY-MM``.
      first: the ordinal of its first day inside the period.
      last: the ordinal of its last day inside the period.
      number: year × 12 + month − 1.
      day0: the ordinal of the day before its 1st.
      days: how many days it has.
    """

    label: str
    first: int
    last: int
    number: int
    day0: int
    days: int


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


class Months:
    """The calendar months of a period, built once per allocation and shared by all its lines."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.origin = month_number(period.start)
        self.months: list[Month] = []
        year, month = period.start.year, period.start.month
        for number in range(self.origin, month_number(period.end) + 1):
            days = calendar.monthrange(year, month)[1]
            day0 = date(year, month, 1).toordinal() - 1
            self.months.append(
                Month(
                    f"{year:04d}-{month:02d}",
                    max(day0 + 1, period.start.toordinal()),
                    min(day0 + days, period.end.toordinal()),
                    number,
                    day0,
                    days,
                )
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

        self.labels = [month.label for month in self.months]

    def span(self, first: date, last: date) -> slice:
        """Where the months from ``first``'s to ``last``'s, both inside the period, are in
        :attr:`months` (and their labels in :attr:`labels`)."""
        return slice(month_number(first) - self.origin, month_number(last) - self.origin + 1)


class RunningCost:
    """R(x) of one cost schedule, in closed form."""

    __slots__ = ("amount", "per", "start", "start_month", "start_days", "first_part", "scale")

    def __init__(self, cost: CostSchedule) -> None:
        start = cost.start
        self.amount, self.per, self.start = cost.amount, cost.per, start.toordinal()
        self.start_month = month_number(start)
        self.start_days = calendar.monthrange(start.year, start.month)[1]
        self.first_part = self.start_days - start.day + 1
        """Days of the start month from the start on."""
        self.scale = 12 if cost.per is Per.YEAR else 1

    def at(self, day: int, number: int, day0: int, days: int) -> Ore:
        """R(day) for ordinal ``day`` in month ``number`` (its day 0 is ordinal ``day0``, and it
        has ``days`` days); never asked beyond the schedule's end."""
        if day < self.start:
            return 0
        amount, per = self.amount, self.per
        if per is Per.ONCE:
            return amount
        if per is Per.WEEK:
            numerator, denominator = amount * (day - self.start + 1), 7
        elif number == self.start_month:
            numerator, denominator = amount * (day - self.start + 1), self.scale * days
        else:
            # The start month's part, the whole months between, and this month's part.
            start_days = self.start_days
            numerator = amount * (
                self.first_part * days
                + (number - self.start_month - 1) * start_days * days
                + (day - day0) * start_days
            )
            denominator = self.scale * start_days * days
        return (2 * numerator + denominator) // (2 * denominator)

    def before(self, day: int) -> Ore:
        """R(day − 1), for a day whose previous day may lie before the period."""
        previous = date.fromordinal(day - 1)
        days = calendar.monthrange(previous.year, previous.month)[1]
        return self.at(day - 1, month_number(previous), day - 1 - previous.day, days)

    def month_totals(self, months: Sequence[Month], first: int, last: int) -> list[Ore]:
        """The total of each month over its counted days, ordinals ``first``..``last``; the months
        are consecutive and hold those days. Each month's R(b) is the next month's R(a − 1)."""
        before = 0 if first <= self.start else self.before(first)
        if self.per is not Per.MONTH and self.per is not Per.YEAR:
            at, totals = self.at, []
            for month in months:
                reached = at(min(month.last, last), month.number, month.day0, month.days)
                totals.append(reached - before)
                before = reached
            return totals
        # A month (a year) schedule: R(b) in closed form, inlined as it is the common case.
        amount, start, start_month = self.amount, self.start, self.start_month
        start_days, first_part, scale = self.start_days, self.first_part, self.scale
        totals = []
        for _, _, end, number, day0, days in months:
            end = min(end, last)
            if number == start_month:
                numerator, denominator = amount * (end - start + 1), scale * days
            else:
                numerator = amount * (
                    first_part * days + (number - start_month - 1) * start_days * days
                    + (end - day0) * start_days
                )
                denominator = scale * start_days * days
            reached = (2 * numerator + denominator) // (2 * denominator)
            totals.append(reached - before)
            before = reached
        return totals
