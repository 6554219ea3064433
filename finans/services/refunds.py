"""The state refund from the database, computed by the engine and nothing else.

:func:`finans.allocation.refund.refunds` gives each case's refund per whole month of a period and
each department's part of it (months without a refund left out). The screens also show the basis
of the months below the first threshold, and the claim sums the basis of every month: those come
from the same engine, as the refund at 100 % from the first krone, which is the basis itself,
rounded once to the øre (as ``finans calc`` shows it) and shared over departments by the same rule.
The tier a month reached compares its exact basis with 1/12 of each yearly threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from finans.allocation.engine import Allocation
from finans.allocation.records import Period, RefundRates, Scenario
from finans.allocation.refund import Refunds, refunds

MONTHS = 12
WHOLE_BASIS = (Decimal(100),)
"""The one tier that refunds the whole basis: 100 % from 0 kr."""


class RefundMonth(NamedTuple):
    """One case's refund in one month, in øre.

    Attributes:
      case: the case (the household).
      month: ``YYYY-MM``.
      basis: the month's refundable cost, rounded once to the øre.
      amount: the refund (0 below the first threshold).
      tier: how many of the year's thresholds the exact basis passed (0–3).
      departments: each department's part of the refund, by code (none when there is none).
      basis_parts: each department's part of the basis, by code.
    """

    case: str
    month: str
    basis: int
    amount: int
    tier: int
    departments: tuple[tuple[str, int], ...]
    basis_parts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class RefundFigures:
    """The refund of a period: every case-month with a basis, the refund per department, the
    rates by year and the years without rates (no refund is computed for them)."""

    period: Period
    months: tuple[RefundMonth, ...]
    totals: dict[str, int]
    rates: Mapping[int, RefundRates]
    missing_years: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def basis(self) -> int:
        """The months' bases added up (each rounded once to the øre)."""
        return sum(month.basis for month in self.months)

    @property
    def departments(self) -> list[str]:
        """Codes of the departments with a part of the refund, sorted."""
        return sorted(self.totals)

    def of_case(self, case: str) -> tuple[RefundMonth, ...]:
        return tuple(month for month in self.months if month.case == case)


def tier(basis: Fraction, rates: RefundRates | None) -> int:
    """How many thresholds a month's exact basis passes: basis > threshold / 12."""
    if rates is None:
        return 0
    return sum(1 for threshold in rates.thresholds if MONTHS * basis > threshold)


def _whole_basis(scenario: Scenario, allocation: Allocation) -> Refunds:
    """The engine's refund at 100 % from 0 kr. in every year of the period: each case-month's
    basis, rounded once and shared over the departments."""
    years = range(allocation.period.start.year, allocation.period.end.year + 1)
    everything = tuple(RefundRates(year, (0,), WHOLE_BASIS) for year in years)
    return refunds(replace(scenario, refund_rates=everything), allocation)


def refund_figures(scenario: Scenario, allocation: Allocation) -> RefundFigures:
    """Every case-month of the allocation's period with a refundable cost, its refund, tier and
    department parts; ``allocation`` is the engine's allocation of ``scenario``."""
    rates = {year.year: year for year in scenario.refund_rates}
    refunded = refunds(scenario, allocation)
    found = {(item.case, item.month): item for item in refunded.refunds}
    months = []
    for basis in _whole_basis(scenario, allocation).refunds:
        refund = found.get((basis.case, basis.month))
        months.append(RefundMonth(
            case=basis.case,
            month=basis.month,
            basis=basis.amount,
            amount=refund.amount if refund else 0,
            tier=tier(refund.basis, rates.get(int(basis.month[:4]))) if refund else 0,
            departments=refund.departments if refund else (),
            basis_parts=basis.departments,
        ))
    return RefundFigures(allocation.period, tuple(months), refunded.totals, rates,
                         refunded.missing_years)


def net_totals(gross: Mapping[str, int], refunded: Mapping[str, int]) -> dict[str, int]:
    """Allocated cost less each department's part of the refund, by code."""
    return {code: gross.get(code, 0) - refunded.get(code, 0)
            for code in sorted(gross.keys() | refunded.keys())}


def sum_parts(months: Iterable[RefundMonth]) -> dict[str, int]:
    """The departments' parts of these months' refunds, by code."""
    totals: dict[str, int] = {}
    for month in months:
        for code, part in month.departments:
            totals[code] = totals.get(code, 0) + part
    return dict(sorted(totals.items()))
