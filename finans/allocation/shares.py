"""Resolve a split version's inputs into exact shares (docs/calculation.md, "Shares of a version").

Shares are computed as integer weights over their sum, without ``Fraction`` arithmetic: the
engine resolves tens of thousands of versions per allocation, and integers are several times
faster while staying exact.

>>> from datetime import date
>>> from decimal import Decimal as D
>>> from finans.allocation.records import Status
>>> v = SplitVersion(date(2026, 7, 1), Method.WEIGHTED, Status.AGREED, alpha=D("0.5"),
...                  responsibility=(("BFH", D(2)), ("JOB", D(1))),
...                  benefit=(("BFH", D(1)), ("JOB", D(1))))
>>> share_weights(v)
((('BFH', 7), ('JOB', 5)), 12)
>>> resolve_shares(v)
{'BFH': Fraction(7, 12), 'JOB': Fraction(5, 12)}
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from math import gcd, lcm

from finans.allocation.records import DepartmentCode, Method, SplitVersion, Weights

IntWeights = tuple[tuple[DepartmentCode, int], ...]
"""Department → integer weight, sorted by code; a department's share is weight / sum."""


def _integers(values: Iterable[Decimal]) -> list[int]:
    """The decimals scaled by one common factor to integers (proportions kept exactly)."""
    ratios = [value.as_integer_ratio() for value in values]
    common = lcm(*(denominator for _, denominator in ratios))
    return [numerator * (common // denominator) for numerator, denominator in ratios]


def _proportional(weights: Weights) -> dict[DepartmentCode, int]:
    return dict(zip((code for code, _ in weights), _integers(v for _, v in weights), strict=True))


def _weighted(split: SplitVersion) -> dict[DepartmentCode, int]:
    """alpha · r/Σr + (1 − alpha) · b/Σb over the common denominator A · Σr · Σb."""
    a, big_a = split.alpha.as_integer_ratio()
    responsibility = _proportional(split.responsibility)
    benefit = _proportional(split.benefit)
    if a == 0:
        return benefit
    if a == big_a:
        return responsibility
    r_sum, b_sum = sum(responsibility.values()), sum(benefit.values())
    codes = set(responsibility) | set(benefit)
    return {
        code: a * responsibility.get(code, 0) * b_sum
        + (big_a - a) * benefit.get(code, 0) * r_sum
        for code in codes
    }


def share_weights(split: SplitVersion) -> tuple[IntWeights, int]:
    """Integer weights of a valid version's departments with share > 0, and their sum."""
    if split.method is Method.FIXED:
        weights = _proportional(split.shares)
    elif split.method is Method.EQUAL:
        weights = dict.fromkeys(split.departments, 1)
    elif split.method is Method.WEIGHTED:
        weights = _weighted(split)
    else:
        weights = _proportional(split.savings)
    divisor = reduce(gcd, weights.values(), 0) or 1
    result = tuple((code, weights[code] // divisor) for code in sorted(weights) if weights[code])
    return result, sum(weight for _, weight in result)


def participants(split: SplitVersion) -> frozenset[DepartmentCode]:
    """The departments with a share > 0, read straight from the inputs without arithmetic (a
    weighted side counts when its weight is above 0)."""
    if split.method is Method.FIXED:
        return frozenset(code for code, percent in split.shares if percent)
    if split.method is Method.EQUAL:
        return frozenset(split.departments)
    if split.method is Method.SAVINGS:
        return frozenset(code for code, amount in split.savings if amount)
    sides = ((split.alpha > 0, split.responsibility), (split.alpha < 1, split.benefit))
    return frozenset(
        code for weighed, points in sides if weighed for code, point in points if point
    )


def resolve_shares(split: SplitVersion) -> dict[DepartmentCode, Fraction]:
    """Shares of a valid split version summing to exactly 1, sorted by code, zeros dropped."""
    weights, total = share_weights(split)
    return {code: Fraction(weight, total) for code, weight in weights}
