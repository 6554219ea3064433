"""The ``csv`` posting file: what Danish Excel opens as it is.

``;``-separated, UTF-8 with a byte order mark, CRLF line ends, a header row, dates ``DD-MM-YYYY``,
amounts in kroner with a decimal comma and no thousands separator (``1234,50``), an empty cell for
a zero amount. Text a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) gets a
leading apostrophe; a cell holding ``;``, ``"`` or a line break is quoted as RFC 4180 says.

Rows are formatted by hand rather than through :mod:`csv`: a year of a large municipality is
hundreds of thousands of rows, and codes, ids and account strings recur, so each distinct value is
made a cell once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import IO

from finans.allocation.money import ORE_PER_KRONE, Ore
from finans.allocation.postings import Leg

HEADER = ("Bilagsdato", "Kontostreng", "Debet", "Kredit", "Tekst", "Indsats", "Sag", "Afdeling",
          "Modpart")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CHUNK = 4096
"""Rows encoded and written at a time."""

_NEEDS_QUOTES = re.compile(r'[;"\r\n]')


def csv_amount(ore: Ore) -> str:
    """``123450`` → ``"1234,50"``; ``0`` → ``""``."""
    if not ore:
        return ""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), ORE_PER_KRONE)
    return f"{sign}{kroner},{rest:02d}"


def csv_text(text: str) -> str:
    """Text as a cell that a spreadsheet never evaluates, quoted when it must be."""
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    if _NEEDS_QUOTES.search(text):
        text = '"' + text.replace('"', '""') + '"'
    return text


class _Cells(dict[str, str]):
    """Values as cells, each worked out once: the same codes and ids recur on many lines."""

    def __missing__(self, value: str) -> str:
        cell = self[value] = csv_text(value)
        return cell


class _Days(dict[date, str]):
    def __missing__(self, day: date) -> str:
        text = self[day] = f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
        return text


def write_csv(legs: Iterable[Leg], target: IO[bytes]) -> int:
    """Write the header and one row per leg to ``target``; returns the number of legs."""
    lines = [BOM + ";".join(HEADER) + "\r\n"]
    cells, days = _Cells(), _Days()
    count = 0
    for day, account, debit, credit, words, ident, case, department, counterpart in legs:
        amounts = (f"{debit // 100},{debit % 100:02d};" if debit > 0 else csv_amount(debit) + ";")
        amounts += f"{credit // 100},{credit % 100:02d}" if credit > 0 else csv_amount(credit)
        text = words if not words.startswith(FORMULA_STARTS) and not _NEEDS_QUOTES.search(
            words) else csv_text(words)
        lines.append(f"{days[day]};{cells[account]};{amounts};{text};{cells[ident]};"
                     f"{cells[case]};{cells[department]};{cells[counterpart]}\r\n")
        count += 1
        if len(lines) >= CHUNK:
            target.write("".join(lines).encode("utf-8"))
            lines.clear()
    target.write("".join(lines).encode("utf-8"))
    return count
