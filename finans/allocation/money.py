"""Money as integer øre; never binary floating point.

Amounts enter as decimal text (``"12000.00"``) or ``Decimal`` and are kept as ``int`` øre. Exact
intermediate values are ``Fraction``s or integer numerator/denominator pairs; the only rounding of a
cost is :func:`round_half_up`, applied to running costs and refunds (docs/calculation.md).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

Ore = int

ORE_PER_KRONE = 100


class MoneyError(ValueError):
    """A value that is not a valid amount of money (text for people in ``args[0]``)."""


def parse_decimal(value: object) -> Decimal:
    """Read an exact decimal from text, ``int`` or ``Decimal``; refuse ``float`` and booleans.

    A float has already lost exactness, so callers at the edges (JSON, Excel) convert through
    ``str()`` first and decide themselves whether the digits they see are acceptable.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError("skal være et tal skrevet som tekst eller heltal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise MoneyError(f"{value!r} er ikke et tal") from None
    else:
        raise MoneyError("skal være et tal")
    if not result.is_finite():
        raise MoneyError(f"{value!r} er ikke et endeligt tal")
    return result


def to_ore(value: object) -> Ore:
    """Convert a non-negative amount in kroner to øre; sub-øre precision is an error."""
    amount = parse_decimal(value)
    if amount < 0:
        raise MoneyError("beløbet må ikke være negativt")
    ore = amount * ORE_PER_KRONE
    if ore != ore.to_integral_value():
        raise MoneyError(f"{value} har flere end to decimaler (brøkdele af en øre)")
    return int(ore)


def format_ore(ore: Ore) -> str:
    """Machine format: ``"1234.50"`` (dot, two decimals, sign only when negative)."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), ORE_PER_KRONE)
    return f"{sign}{kroner}.{rest:02d}"


def round_half_up(numerator: int, denominator: int) -> int:
    """Round the non-negative rational ``numerator / denominator`` to an integer, halves up."""
    return (2 * numerator + denominator) // (2 * denominator)


def fraction_to_ore(value: Fraction) -> Ore:
    """Round an exact, non-negative amount in øre half-up to whole øre."""
    return round_half_up(value.numerator, value.denominator)
