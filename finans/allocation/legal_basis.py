"""Whether an intervention's cost counts toward the state refund by default, from its legal basis.

The state refunds expensive cases only for costs under Barnets lov (§ 198) and Serviceloven
(§ 176); help given under the employment, school, health or STU acts does not count. An
intervention is refundable by default when its legal basis names Barnets lov or Serviceloven and
none of those other acts (``"Serviceloven § 116 via Barnets lov § 90"`` counts; ``"Folkeskoleloven
§ 20"`` and ``"LAB, mentorstøtte"`` do not). Anything else, an empty basis included, is not: the
caseworker can always say otherwise for the single intervention.

>>> refundable_by_default("Barnets lov § 46")
True
>>> refundable_by_default("SEL § 107")
True
>>> refundable_by_default("LAB § 32")
False
>>> refundable_by_default("")
False
"""

from __future__ import annotations

import re

_COUNTING = (
    re.compile(r"barnets\s+lov", re.IGNORECASE),
    re.compile(r"\bBL\b"),
    re.compile(r"servicelov", re.IGNORECASE),
    re.compile(r"lov\s+om\s+social\s+service", re.IGNORECASE),
    re.compile(r"\bSEL\b"),
)
"""Barnets lov and Serviceloven, by name or by their usual abbreviations (capitals only, so that
``bl.a.`` is not read as Barnets lov)."""

_NOT_COUNTING = (
    re.compile(r"\bLAB\b"),
    re.compile(r"beskæftigelse", re.IGNORECASE),
    re.compile(r"folkeskolelov", re.IGNORECASE),
    re.compile(r"\bFSL\b"),
    re.compile(r"sundhedslov", re.IGNORECASE),
    re.compile(r"\bSUL\b"),
    re.compile(r"\bSTU\b"),
    re.compile(r"ungdomsuddannelse\s+for\s+unge\s+med\s+særlige\s+behov", re.IGNORECASE),
)
"""The employment, school, health and STU acts, whose costs the refund does not cover."""


def refundable_by_default(legal_basis: str) -> bool:
    """True when ``legal_basis`` names Barnets lov or Serviceloven and no act outside the refund.

    >>> refundable_by_default("Serviceloven § 116 via Barnets lov § 90")
    True
    >>> refundable_by_default("STU-loven")
    False
    """
    return any(pattern.search(legal_basis) for pattern in _COUNTING) and not any(
        pattern.search(legal_basis) for pattern in _NOT_COUNTING
    )
