"""Danish formats for people: money, amounts, dates, months and percentages (Babel, da_DK).

Everything is formatted exactly from integers øre, ``Fraction`` or ``Decimal``: values are rounded
here by integer arithmetic (halves away from zero) before Babel lays out the digits, so no binary
floating point ever touches an amount. Spaces are plain spaces (``"1.234,50 kr."``), which compare
and copy predictably; pages keep an amount on one line with CSS.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, get_currency_symbol

LOCALE = "da_DK"
_AMOUNT_PATTERN = "#,##0.00"


def format_amount(ore: int) -> str:
    """An amount in øre as Danish kroner without unit: ``123450`` → ``"1.234,50"``."""
    if not isinstance(ore, int) or isinstance(ore, bool):
        raise TypeError("ore must be an int")
    return format_decimal(Decimal(ore).scaleb(-2), format=_AMOUNT_PATTERN, locale=LOCALE)


def format_money(ore: int) -> str:
    """An amount in øre as Danish money: ``123450`` → ``"1.234,50 kr."``."""
    return f"{format_amount(ore)} {get_currency_symbol('DKK', locale=LOCALE)}"


def format_date(day: date) -> str:
    """A date the Danish way with dashes: ``date(2026, 11, 23)`` → ``"23-11-2026"``."""
    return babel_format_date(day, "dd-MM-yyyy", locale=LOCALE)


def format_month(month: str) -> str:
    """A ``'YYYY-MM'`` month as its short Danish name: ``"2026-01"`` → ``"jan. 2026"``."""
    year, number = month.split("-")
    return babel_format_date(date(int(year), int(number), 1), "MMM y", locale=LOCALE)


def format_percent(ratio: Fraction | Decimal | int, decimals: int = 1) -> str:
    """A ratio of one as a Danish percentage: ``Fraction(1, 3)`` → ``"33,3 %"``.

    The percentage is rounded exactly, halves away from zero, to ``decimals`` places.
    """
    if isinstance(ratio, float | bool):
        raise TypeError("ratio must be a Fraction, Decimal or int, never a float")
    if decimals < 0:
        raise ValueError("decimals must not be negative")
    scaled = Fraction(ratio) * 100 * 10**decimals
    magnitude = abs(scaled)
    rounded = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    signed = -rounded if scaled < 0 else rounded
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    number = format_decimal(Decimal(signed).scaleb(-decimals), format=pattern, locale=LOCALE)
    return f"{number} %"
