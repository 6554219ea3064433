"""How problems show what a person typed: where, masked, cut short, numbers and dates in Danish.

A problem's location is a JSON path such as ``interventions[2].cost.amount``. Reading a large
scenario visits hundreds of thousands of fields and almost all of them are fine, so paths are kept
as (parent, key) pairs (:data:`Where`) and only turned into text when a problem is reported.

Anything echoed back is masked: a value that looks like a CPR number is never repeated, control
characters are replaced and long values are cut short.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from finans.allocation.problems import Problem

_CPR_LIKE = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])[0-9]{2}[- ]?[0-9]{4}(?![0-9])")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_ÆØÅæøå-]+")
_SHOWN_LENGTH = 40


Where = str | tuple["Where", str | int]
"""A JSON path: text, or a (parent path, key or list index) pair turned into text when needed.

>>> path_text(((("interventions", 2), "cost"), "amount"))
'interventions[2].cost.amount'
>>> path_text((("", "shares"), "B F"))
'shares["B F"]'
"""


def path_text(where: Where) -> str:
    """A path as text: ``interventions[2].cost.amount``."""
    keys: list[str | int] = []
    while not isinstance(where, str):
        where, key = where
        keys.append(key)
    text = where
    for key in reversed(keys):
        text = _step(text, key)
    return text


def _step(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    key = masked(key)
    if not _PLAIN_KEY.fullmatch(key):
        return f"{where}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{where}.{key}" if where else key


def problem(code: str, message: str, where: Where) -> Problem:
    """A problem at ``where``, its path turned into text now that it is needed."""
    return Problem(code, message, path_text(where))


def _is_cpr(match: re.Match[str]) -> bool:
    try:
        date(2000, int(match.group(2)), int(match.group(1)))
    except ValueError:
        return False
    return True


cpr_shaped = _CPR_LIKE.search
"""A quick first look for :func:`has_cpr`: digits in a CPR number's shape, whatever the date."""


def has_cpr(text: str) -> bool:
    """Whether ``text`` holds a day-month-year-serial number shaped like a CPR number."""
    return any(_is_cpr(match) for match in _CPR_LIKE.finditer(text))


def masked(text: str) -> str:
    """``text`` cut short, with anything that looks like a CPR number replaced, fit to echo."""
    if _CPR_LIKE.search(text):
        text = _CPR_LIKE.sub(lambda m: "<CPR-lignende tal>" if _is_cpr(m) else m.group(0), text)
    if not text.isprintable():
        text = "".join(char if char.isprintable() else "?" for char in text)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


def shown(text: str) -> str:
    """``text`` masked and quoted, for a message."""
    return f"'{masked(text)}'"


def danish_number(value: Decimal | int) -> str:
    """``Decimal("1234.50")`` → ``"1.234,5"``: Danish grouping, decimal comma, no trailing zeros.

    The adapters format numbers for people with Babel; the pure core is stdlib only, and its
    messages need nothing more than this, so this and :func:`danish_date` are its one Danish
    text helper.
    """
    text = format(Decimal(value), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def danish_date(day: date) -> str:
    """``23-11-2026``: how Danish messages show a date."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def or_list(words: Iterable[str]) -> str:
    """``a, b eller c``."""
    *rest, last = list(words)
    return f"{', '.join(rest)} eller {last}" if rest else last
