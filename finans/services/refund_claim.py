"""The quarterly refund claim: what the municipality asks the state for, per household.

Refunds are claimed quarterly on the year's running cost. For a quarter, each household's (case's)
basis and refund from 1 January through the quarter's last day are summed from the engine's
months; what was claimed before is the same refund through the previous quarter's last day (zero
for the first quarter), and this quarter's claim is the difference. Both are worked out from
today's data: a cost changed back in time after an earlier claim shows in this quarter's claim
only for this quarter's months (see docs/refund.md). Who draws the claim is the access policy's
``CLAIM_REFUND``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from finans.allocation.problems import Problem
from finans.allocation.records import Period, RefundRates
from finans.services import lookup, refunds
from finans.services.actor import Actor
from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.services.dashboard import cached_refunds
from finans.services.policy import Action, require_somewhere

_QUARTER = re.compile(r"([0-9]{4})-?[Qq]([1-4])")


@dataclass(frozen=True, slots=True)
class Quarter:
    """A calendar quarter, ``2026Q2``."""

    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """For people: ``2. kvartal 2026``."""
        return f"{self.number}. kvartal {self.year}"

    def end(self) -> date:
        """The quarter's last day."""
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def last_month(self) -> str:
        return f"{self.year:04d}-{3 * self.number:02d}"

    def previous_last_month(self) -> str:
        """The last month claimed before (``2026-03`` for 2026Q2; nothing before Q1)."""
        return f"{self.year:04d}-{3 * self.number - 3:02d}"


def parse_quarter(text: str, where: str = "quarter") -> tuple[Quarter | None, list[Problem]]:
    """``2026Q2`` (also ``2026-Q2``, ``2026q2``) → the quarter, or a located problem."""
    match = _QUARTER.fullmatch(text.strip())
    if match is None:
        message = "Kvartalet skal skrives som år og kvartal, fx 2026Q2"
        return None, [Problem("bad_quarter", message, where)]
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        message = f"Året skal ligge mellem {FIRST_YEAR} og {LAST_YEAR}"
        return None, [Problem("year_range", message, where)]
    return Quarter(year, int(match.group(2))), []


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One household's line of the claim; amounts in øre.

    Attributes:
      case: the case's journal number.
      basis: the refundable cost from 1 January through the quarter's end.
      refund: the refund over the same months.
      claimed_before: the refund through the previous quarter's end.
    """

    case: str
    basis: int
    refund: int
    claimed_before: int

    @property
    def claim(self) -> int:
        """This quarter's claim: the refund to date less what was claimed before."""
        return self.refund - self.claimed_before


@dataclass(frozen=True, slots=True)
class RefundClaim:
    """The claim of one quarter: a row per household with a refund, the months behind the rows,
    the rates year used, and the years of the period that have no rates (no refund is computed
    for them)."""

    quarter: Quarter
    period: Period
    rows: tuple[ClaimRow, ...]
    months: tuple[refunds.RefundMonth, ...]
    rates: RefundRates | None
    missing_years: tuple[int, ...]

    @property
    def totals(self) -> ClaimRow:
        return ClaimRow(
            "I alt",
            sum(row.basis for row in self.rows),
            sum(row.refund for row in self.rows),
            sum(row.claimed_before for row in self.rows),
        )


def claim_rows(months: Iterable[refunds.RefundMonth], quarter: Quarter) -> tuple[ClaimRow, ...]:
    """Per case, the year-to-date sums of the engine's months (those of the quarter's year up to
    its end); households without any refund to date are left out."""
    sums: dict[str, list[int]] = {}
    first, last = f"{quarter.year:04d}-01", quarter.last_month()
    before = quarter.previous_last_month()
    for month in months:
        if not first <= month.month <= last:
            continue
        basis, refund, claimed = sums.setdefault(month.case, [0, 0, 0])
        sums[month.case] = [
            basis + month.basis,
            refund + month.amount,
            claimed + (month.amount if month.month <= before else 0),
        ]
    rows = (ClaimRow(case, *values) for case, values in sums.items())
    return tuple(sorted((row for row in rows if row.refund or row.claimed_before),
                        key=lambda row: lookup.natural_key(row.case)))


def quarter_claim(session: Session, *, actor: Actor, quarter: Quarter) -> RefundClaim:
    """The claim of ``quarter`` from the database, computed by the engine."""
    require_somewhere(actor, Action.CLAIM_REFUND)
    period = Period(date(quarter.year, 1, 1), quarter.end())
    result = cached_refunds(session, period)
    rows = claim_rows(result.months, quarter)
    claimed = {row.case for row in rows}
    return RefundClaim(
        quarter=quarter,
        period=period,
        rows=rows,
        months=tuple(sorted((month for month in result.months if month.case in claimed),
                            key=lambda month: (lookup.natural_key(month.case), month.month))),
        rates=result.rates.get(quarter.year),
        missing_years=result.missing_years,
    )
