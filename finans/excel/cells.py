"""Single cell values: safe text and exact numbers out, what controllers type back in.

Writing: text is always stored as text. Text that Excel would take for a formula or an error value
(``=HYPERLINK(…)``, ``+45``, ``@SUM``, ``#N/A``) is marked as a string cell with a quote prefix, so
neither opening nor editing the cell turns it into a formula; characters that XML forbids are
replaced, never refused. Numbers are written with their own decimal digits: openpyxl would format
them with ``%.16g`` through a float, which prints 609131505.68 as 609131505.6799999.

Reading: every parser returns ``(value, message)``; ``message`` is Danish text for people when the
cell cannot be read, and ``value`` is ``None`` for an empty cell. Accepted forms: Excel numbers and
dates, percent-formatted cells (0.4 shown as 40 %), Danish text numbers (``1.234,50``, ``40 %``,
``1 234,50 kr.``), dates typed as text (``23-11-2026``, ``23.11.2026``, ``2026-11-23``) and
surrounding spaces; typed text is read by :mod:`finans.formatting`, as in the web forms.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from openpyxl.cell.cell import ERROR_CODES

from finans.excel.layout import YES_NO, from_danish, words
from finans.formatting import parse_date, parse_number

MAX_TEXT = 32_767
"""Excel's limit on the characters in one cell."""

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CPR_LIKE = re.compile(r"[0-9]{6}[- ]?[0-9]{4}")


# --- writing ------------------------------------------------------------------------------------


def safe_text(text: str) -> str:
    """``text`` fit for a cell: line breaks as ``\n`` (Excel's own, and what XML reads back),
    characters XML forbids replaced by U+FFFD, cut to Excel's cell limit."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _FORBIDDEN.search(text):
        text = _FORBIDDEN.sub(REPLACEMENT, text)
    return text[:MAX_TEXT]


def needs_text_guard(text: str) -> bool:
    """Whether Excel would read ``text`` as a formula or an error value if typed into a cell."""
    return text.startswith(_FORMULA_START) or text in ERROR_CODES


def guard_text(cell: Any) -> None:
    """Keep a cell holding formula-like text a string cell, also when it is edited in Excel."""
    cell.data_type = "s"
    cell.quotePrefix = True


def set_number(cell: Any, value: Decimal | int) -> None:
    """Store ``value`` in ``cell`` as a number written with exactly its own decimal digits."""
    cell._value = format(value, "f")
    cell.data_type = "n"


# --- reading ------------------------------------------------------------------------------------


class RawCell(NamedTuple):
    """What the reader saw in one cell.

    Attributes:
      value: the stored value (``None`` when empty); a formula's text when ``formula``.
      formula: the cell holds a formula (never evaluated).
      percent: the cell has a percent number format (0.4 shown as 40 %).
      where: ``Sheet!Cell``.
    """

    value: object
    formula: bool
    percent: bool
    where: str

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


Parsed = tuple[Any, str | None]


def _decimal_of(value: int | float | Decimal) -> Decimal:
    """An Excel number as the decimal its digits show: ``0.1``, not 0.1000000000000000055."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def read_number(cell: RawCell, *, percent: bool = False) -> Parsed:
    """A decimal number; in a percent column a percent-formatted 0.4 reads as 40."""
    value = cell.value
    if cell.empty:
        return None, None
    if isinstance(value, bool) or isinstance(value, datetime | date):
        return None, "skal være et tal"
    if isinstance(value, int | float | Decimal):
        number = _decimal_of(value)
        if not number.is_finite():
            return None, "skal være et tal"
        return (number * 100 if percent and cell.percent else number), None
    text = str(value).strip()
    typed = parse_number(text)
    if typed is None:
        return None, f"'{_short(text)}' er ikke et tal"
    return typed, None


def read_text(cell: RawCell) -> Parsed:
    """Text, trimmed; a number typed into a text column becomes its digits (``123`` → ``"123"``)."""
    value = cell.value
    if cell.empty:
        return None, None
    if isinstance(value, str):
        return value.strip(), None
    if isinstance(value, bool):
        return None, "skal være tekst"
    if isinstance(value, datetime | date):
        return None, "skal være tekst, ikke en dato"
    if isinstance(value, int | float | Decimal):
        return format(_decimal_of(value).normalize(), "f"), None
    return None, "skal være tekst"


def read_date(cell: RawCell) -> Parsed:
    """An Excel date, or text ``dd-mm-åååå`` (also with ``.`` or ``/``) or ``åååå-mm-dd``."""
    value = cell.value
    if cell.empty:
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return day, None
        return None, f"'{_short(value.strip())}' er ikke en dato (skriv fx 23-11-2026)"
    return None, "er ikke en dato (skriv fx 23-11-2026)"


def read_choice(cell: RawCell, vocabulary: str) -> Parsed:
    """One word of a vocabulary (``aftalt``, ``Vægtet ``, ``maaned``); TRUE/FALSE for ja/nej."""
    value = cell.value
    if cell.empty:
        return None, None
    if isinstance(value, bool) and vocabulary in YES_NO:
        return value, None
    choice = from_danish(vocabulary, value) if isinstance(value, str) else None
    if choice is None:
        allowed = ", ".join(words(vocabulary))
        return None, f"'{_short(str(value).strip())}' er ikke en gyldig værdi; brug {allowed}"
    return choice, None


def _short(text: str) -> str:
    """Typed text fit to echo in a message: printable, no CPR-like number, at most 40 characters."""
    text = _CPR_LIKE.sub("<CPR-lignende tal>", text)
    text = "".join(char if char.isprintable() else "?" for char in text)
    return text if len(text) <= 40 else text[:39] + "…"
