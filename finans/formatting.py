"""Danish numbers and dates for people, both ways (Babel, da_DK).

Formatting: money, amounts, numbers, dates, months and percentages. Everything is formatted exactly
from integers øre, ``Fraction`` or ``Decimal``: values are rounded here by integer arithmetic
(halves away from zero) before Babel lays out the digits, so no binary floating point ever touches
an amount. Spaces are plain spaces (``"1.234,50 kr."``), which compare and copy predictably; pages
keep an amount on one line with CSS.

Parsing: what people type into forms and workbook cells. Numbers go through Babel's strict Danish
parser straight to ``Decimal`` (never a float). Dates are read with the standard library's strict
``strptime`` in the Danish day-month-year order: Babel's date parser guesses (it swaps day and month
when the month is over 12 and takes two-digit years), which a typed date must not. Every edge
that reads typed text (web forms, workbook import) uses these, so the same spellings are accepted
everywhere. The pure core (``finans/allocation``) keeps its own stdlib-only reading of machine
input.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date as babel_format_date
from babel.numbers import NumberFormatError, format_decimal, get_currency_symbol, parse_decimal

LOCALE = "da_DK"
_AMOUNT_PATTERN = "#,##0.00"

_UNIT = re.compile(r"\s*(?:%|kr\.?|dkk)$", re.IGNORECASE)
_GROUP_SPACES = re.compile(r"(?<=[0-9])[\s\u00a0\u202f'](?=[0-9]{3}(?:[^0-9]|$))")
_NUMBER_CHARACTERS = frozenset("0123456789.,+-")
_DANISH_DATE = re.compile(r"[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{4}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_DATE_SEPARATORS = re.compile(r"[./]")


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


def format_number(value: Decimal | int | str, *, decimals: int | None = None,
                  grouping: bool = True) -> str:
    """A decimal number the Danish way: ``"1234.5"`` → ``"1.234,5"``.

    With ``decimals`` it is rounded (halves to even) to that many places; without, every digit it
    has is shown. ``grouping=False`` leaves out the thousands dots, as in a form field to edit.
    """
    if isinstance(value, float | bool):
        raise TypeError("value must be a Decimal, int or decimal text, never a float")
    number = Decimal(value)
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale=LOCALE,
                          decimal_quantization=decimals is not None, group_separator=grouping)


def parse_number(text: str) -> Decimal | None:
    """A number typed the Danish way, exactly; ``None`` when the text is not one.

    Accepted: ``1.234,50``, ``1234,5``, ``-3,25``, ``1 234,50`` (spaces or ``'`` grouping
    thousands), with ``kr.``, ``DKK`` or ``%`` after it, and a plain ``12.5`` (a dot followed by
    other than three digits cannot group thousands, so it is the decimal point). ``1.234`` is one
    thousand two hundred and thirty-four. Wrong grouping (``1.23,5``), exponents, letters and
    digits other than 0–9 are refused.
    """
    compact = _UNIT.sub("", text.strip()).replace("\u2212", "-")
    compact = _GROUP_SPACES.sub(".", compact)
    if not compact or not set(compact) <= _NUMBER_CHARACTERS:
        return None
    try:
        return parse_decimal(compact, locale=LOCALE, strict=True)
    except NumberFormatError:
        pass
    if "," in compact:
        return None
    try:
        return parse_decimal(compact, locale="en", strict=True)
    except NumberFormatError:
        return None


def parse_date(text: str) -> date | None:
    """A date typed ``23-11-2026`` (also with ``.`` or ``/``) or ``2026-11-23``; ``None`` when the
    text is not a date of the calendar."""
    typed = text.strip()
    if _DANISH_DATE.fullmatch(typed):
        typed, pattern = _DATE_SEPARATORS.sub("-", typed), "%d-%m-%Y"
    elif _ISO_DATE.fullmatch(typed):
        pattern = "%Y-%m-%d"
    else:
        return None
    try:
        return datetime.strptime(typed, pattern).date()
    except ValueError:
        return None
