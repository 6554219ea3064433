"""The ``csv`` posting file: what Danish Excel opens as it is.

``;``-separated, UTF-8 with a byte order mark, CRLF line ends, a header row, dates ``DD-MM-YYYY``,
amounts in kroner with a decimal comma and no thousands separator (``1234,50``), an empty cell for
a zero amount. Text a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) gets a
leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import IO

from finans.allocation.money import ORE_PER_KRONE, Ore
from finans.allocation.postings import Leg

HEADER = ("Bilagsdato", "Kontostreng", "Debet", "Kredit", "Tekst", "Indsats", "Sag", "Afdeling",
          "Modpart")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_amount(ore: Ore) -> str:
    """``123450`` → ``"1234,50"``; ``0`` → ``""``."""
    if not ore:
        return ""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), ORE_PER_KRONE)
    return f"{sign}{kroner},{rest:02d}"


def csv_text(text: str) -> str:
    """Text as a cell that a spreadsheet never evaluates."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(legs: Iterable[Leg], target: IO[bytes]) -> int:
    """Write the header and one row per leg to ``target``; returns the number of legs."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        days: dict[date, str] = {}
        count = 0
        for leg in legs:
            day = days.get(leg.day)
            if day is None:
                day = days[leg.day] = f"{leg.day.day:02d}-{leg.day.month:02d}-{leg.day.year:04d}"
            writer.writerow((
                day, csv_text(leg.account), csv_amount(leg.debit), csv_amount(leg.credit),
                csv_text(leg.text), csv_text(leg.intervention), csv_text(leg.case),
                csv_text(leg.department), csv_text(leg.counterpart),
            ))
            count += 1
        text.flush()
    finally:
        text.detach()
    return count
