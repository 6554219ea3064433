"""The state refund for expensive cases, shared back to the departments that financed the cost.

Barnets lov § 198 and Serviceloven § 176 refund part of a household's cost above yearly thresholds,
counted month by month against 1/12 of each threshold (docs/calculation.md, "State refund"). The
household is the case. For a case and a whole month of the period, the basis is the month totals of
the case's refundable interventions, except that a one-off counts 1/12 in each month of its
calendar year. The refund is the tiered percent of the basis above 1/12 of each threshold, exact
and rounded half-up once, and it is divided over departments by their exact part of the basis with
the largest-remainder rule of the allocation. Each department's part is then traced to the
departments paying the interventions it came from (:attr:`Refund.sources`): finance books the refund
on those payers, and the postings pass it on (docs/postings.md, "The refund's share-back").

All arithmetic is on integers: the basis is kept as twelve times itself (whole øre, since a one-off
spreads in twelfths), and percents as integers over one common denominator per year.

>>> from datetime import date
>>> from decimal import Decimal as D
>>> from finans.allocation.engine import allocate
>>> from finans.allocation.records import (CostSchedule, Intervention, Per, Period,
...     RefundRates, Scenario)
>>> placement = Intervention("I-1", "S-1", "Anbringelse", "BL § 32", "BFH", "BFH",
...     CostSchedule(150_000_000, Per.YEAR, date(2026, 1, 1)), refundable=True)
>>> rates = RefundRates(2026, (86_000_000, 168_000_000, 212_000_000), (D(25), D(50), D(75)))
>>> year = Period(date(2026, 1, 1), date(2026, 12, 31))
>>> scenario = Scenario((), (), (placement,), (rates,))
>>> first = refunds(scenario, allocate(scenario, year)).refunds[0]
>>> first.month, first.basis, first.amount
('2026-01', Fraction(12500000, 1), 1333333)

(25 % of 125.000 − 860.000 / 12 kr. = 13.333,333… kr., rounded to 13.333,33 kr.)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from finans.allocation.engine import Allocation, allocate, largest_remainder
from finans.allocation.engine import Parts as MonthParts
from finans.allocation.money import Ore, round_half_up
from finans.allocation.periods import month_period
from finans.allocation.records import (
    CaseRef,
    DepartmentCode,
    Intervention,
    InterventionId,
    Per,
    Period,
    RefundRates,
    Scenario,
)

MONTHS = 12

Sources = tuple[tuple[DepartmentCode, DepartmentCode, Ore], ...]
"""``(department, payer, amount)``: a department's part of a refund by the payer it comes from."""


@dataclass(frozen=True, slots=True)
class Refund:
    """The refund of one case in one month.

    Attributes:
      case: the case (the household).
      month: ``YYYY-MM``.
      basis: the month's refundable cost in øre, exact (a spread one-off brings twelfths).
      amount: the refund in whole øre.
      departments: each department's part of ``amount``, sorted by code, no zero parts.
      sources: each department's part divided over the departments paying (``paid_by``) the
        interventions it stems from, as ``(department, payer, amount)`` sorted, no zero amounts:
        in proportion to the department's part of the basis of each payer's interventions, by
        the largest-remainder rule. A department's amounts sum to its part.
    """

    case: CaseRef
    month: str
    basis: Fraction
    amount: Ore
    departments: tuple[tuple[DepartmentCode, Ore], ...]
    sources: Sources


@dataclass(frozen=True, slots=True)
class Refunds:
    """The result of :func:`refunds`.

    Attributes:
      refunds: sorted by case, then month; months without a refund are left out.
      totals: department → the sum of its parts, sorted by code.
      missing_years: years with refundable cost in the period's whole months but no rates.
    """

    refunds: tuple[Refund, ...]
    totals: dict[DepartmentCode, Ore]
    missing_years: tuple[int, ...]


class _Tiers:
    """One year's rates as integers: refund = Σ percent × (basis in the tier), over 12 × 100."""

    def __init__(self, rates: RefundRates) -> None:
        ratios = [percent.as_integer_ratio() for percent in rates.percents]
        common = lcm(*(denominator for _, denominator in ratios))
        self.denominator = MONTHS * 100 * common
        self.lowest = rates.thresholds[0]
        """Twelve times a basis up to here (a month up to 1/12 of it) gets nothing."""
        uppers: list[int | None] = [*rates.thresholds[1:], None]
        self.tiers = [
            (lower, upper, numerator * (common // denominator))
            for lower, upper, (numerator, denominator) in zip(
                rates.thresholds, uppers, ratios, strict=True
            )
        ]

    def refund(self, basis12: int) -> Ore:
        """The refund of a month whose basis is ``basis12`` / 12 øre, rounded half-up once.

        Comparing 12 × basis with a yearly threshold is comparing the basis with 1/12 of it.
        """
        total = 0
        for lower, upper, percent in self.tiers:
            inside = (basis12 if upper is None else min(basis12, upper)) - lower
            if inside > 0:
                total += percent * inside
        return round_half_up(total, self.denominator)


def whole_months(period: Period) -> list[str]:
    """``YYYY-MM`` of every calendar month lying wholly inside the period.

    Only whole months have a refund: a month's refund is then the same whatever period is asked
    for, so the refunds of consecutive periods add up.
    """
    months: list[str] = []
    number = period.start.year * 12 + period.start.month - 1
    while True:
        year, index = divmod(number, 12)
        month = month_period(year, index + 1)
        if month.start > period.end:
            return months
        if period.start <= month.start and month.end <= period.end:
            months.append(f"{year:04d}-{index + 1:02d}")
        number += 1


def _one_off_parts(
    one_offs: list[Intervention], allocation: Allocation
) -> dict[InterventionId, MonthParts]:
    """Each one-off's allocated parts, whether or not it falls in the period.

    A one-off's allocation depends only on its own day, so one falling outside the period is
    allocated on that day alone.
    """
    period = allocation.period
    outside = [iv for iv in one_offs if not period.start <= iv.cost.start <= period.end]
    months = allocation.months
    if outside:
        days = [iv.cost.start for iv in outside]
        alone = allocate(Scenario((), (), tuple(outside)), Period(min(days), max(days)))
        months = {**months, **alone.months}
    return {iv.id: months[iv.id].parts[0] for iv in one_offs}


Contributions = list[tuple[MonthParts, int, DepartmentCode]]
"""The month parts adding up to a basis, each with its factor (12 for a month's own parts, 1 for
a one-off's: twelve times its twelfth) and the department paying the intervention."""


def _bases(
    scenario: Scenario, allocation: Allocation
) -> tuple[dict[tuple[CaseRef, str], int], dict[tuple[CaseRef, str], Contributions]]:
    """Twelve times the basis of every (case, whole month), and the parts it is made of."""
    months = whole_months(allocation.period)
    counted = set(months)
    bases: dict[tuple[CaseRef, str], int] = {}
    made_of: dict[tuple[CaseRef, str], Contributions] = {}
    one_offs = []
    by_year: dict[int, list[str]] = {}
    for month in months:
        by_year.setdefault(int(month[:4]), []).append(month)
    for intervention in scenario.interventions:
        if not intervention.refundable:
            continue
        if intervention.cost.per is Per.ONCE:
            if intervention.cost.start.year in by_year:
                one_offs.append(intervention)
            continue
        found = allocation.months.get(intervention.id)
        if found is None:
            continue
        for month, total, parts in zip(found.labels, found.totals, found.parts, strict=True):
            if total and month in counted:
                key = (intervention.case, month)
                bases[key] = bases.get(key, 0) + MONTHS * total
                made_of.setdefault(key, []).append((parts, MONTHS, found.paid_by))
    # A one-off counts 1/12 in each month of its calendar year: twelve times that is its amount.
    parts_of = _one_off_parts(one_offs, allocation)
    for intervention in one_offs:
        amount = intervention.cost.amount
        for month in by_year[intervention.cost.start.year] if amount else ():
            key = (intervention.case, month)
            bases[key] = bases.get(key, 0) + amount
            made_of.setdefault(key, []).append(
                (parts_of[intervention.id], 1, intervention.paid_by)
            )
    return bases, made_of


def _weights(contributions: Contributions) -> dict[DepartmentCode, int]:
    """Each department's part of twelve times a basis."""
    weights: dict[DepartmentCode, int] = {}
    for parts, factor, _ in contributions:
        for code, amount in parts:
            weights[code] = weights.get(code, 0) + factor * amount
    return weights


def _shared(amount: Ore, contributions: Contributions) -> tuple[MonthParts, Sources]:
    """A month's refund divided over departments by their part of the basis, and each
    department's part over the payers of the interventions that part comes from, in proportion
    to its part of the basis of each payer's interventions (usually there is one payer)."""
    payers = {payer for _, _, payer in contributions}
    if len(payers) == 1:
        (payer,) = payers
        shared = largest_remainder(amount, tuple(sorted(_weights(contributions).items())))
        return shared, tuple((code, payer, part) for code, part in shared)
    by_payer = {
        payer: _weights([item for item in contributions if item[2] == payer])
        for payer in sorted(payers)
    }
    weights: dict[DepartmentCode, list[tuple[DepartmentCode, int]]] = {}
    for payer, found in by_payer.items():
        for code, weight in found.items():
            weights.setdefault(code, []).append((payer, weight))
    shared = largest_remainder(amount, tuple(
        (code, sum(weight for _, weight in weights[code])) for code in sorted(weights)))
    sources: list[tuple[DepartmentCode, DepartmentCode, Ore]] = []
    for code, part in shared:
        from_payers = weights[code]
        if len(from_payers) == 1:
            sources.append((code, from_payers[0][0], part))
        else:
            sources += ((code, payer, passed)
                        for payer, passed in largest_remainder(part, tuple(from_payers)))
    return shared, tuple(sources)


def refunds(scenario: Scenario, allocation: Allocation) -> Refunds:
    """The refund of every case in every whole month of the allocation's period, shared back.

    ``allocation`` is :func:`finans.allocation.engine.allocate` of the same scenario.
    """
    tiers = {rates.year: _Tiers(rates) for rates in scenario.refund_rates}
    found: list[Refund] = []
    missing: set[int] = set()
    totals: dict[DepartmentCode, Ore] = {}
    bases, made_of = _bases(scenario, allocation)
    rates_of = {month: tiers.get(int(month[:4])) for month in whole_months(allocation.period)}
    for (case, month), basis12 in bases.items():
        year = rates_of[month]
        if year is None:
            missing.add(int(month[:4]))
            continue
        if basis12 <= year.lowest:
            continue
        amount = year.refund(basis12)
        if amount:
            shared, sources = _shared(amount, made_of[case, month])
            for code, part in shared:
                totals[code] = totals.get(code, 0) + part
            found.append(Refund(case, month, Fraction(basis12, MONTHS), amount, tuple(shared),
                                sources))
    found.sort(key=lambda refund: (refund.case, refund.month))
    return Refunds(tuple(found), dict(sorted(totals.items())), tuple(sorted(missing)))
