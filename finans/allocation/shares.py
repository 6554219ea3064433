"""Resolve a split version's inputs into exact shares (design §4.3).

>>> from datetime import date
>>> from decimal import Decimal as D
>>> from finans.allocation.records import Status
>>> v = SplitVersion(date(2026, 7, 1), Method.WEIGHTED, Status.AGREED, alpha=D("0.5"),
...                  responsibility=(("BFH", D(2)), ("JOB", D(1))),
...                  benefit=(("BFH", D(1)), ("JOB", D(1))))
>>> resolve_shares(v)
{'BFH': Fraction(7, 12), 'JOB': Fraction(5, 12)}
"""

from __future__ import annotations

from fractions import Fraction

from finans.allocation.records import DepartmentCode, Method, SplitVersion, Weights


def _proportional(weights: Weights) -> dict[DepartmentCode, Fraction]:
    total = sum((Fraction(value) for _, value in weights), Fraction(0))
    if total == 0:
        return {}
    return {code: Fraction(value) / total for code, value in weights}


def _weighted(split: SplitVersion) -> dict[DepartmentCode, Fraction]:
    alpha = Fraction(split.alpha)
    shares: dict[DepartmentCode, Fraction] = {}
    for weight, side in ((alpha, split.responsibility), (1 - alpha, split.benefit)):
        if weight == 0:
            continue
        for code, part in _proportional(side).items():
            shares[code] = shares.get(code, Fraction(0)) + weight * part
    return shares


def resolve_shares(split: SplitVersion) -> dict[DepartmentCode, Fraction]:
    """Shares of a valid split version, summing to exactly 1, sorted by code; zero shares dropped."""
    if split.method is Method.FIXED:
        shares = {code: Fraction(percent) / 100 for code, percent in split.shares}
    elif split.method is Method.EQUAL:
        shares = {code: Fraction(1, len(split.departments)) for code in split.departments}
    elif split.method is Method.WEIGHTED:
        shares = _weighted(split)
    else:
        shares = _proportional(split.savings)
    return {code: shares[code] for code in sorted(shares) if shares[code] != 0}
