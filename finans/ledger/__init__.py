"""Posting files for the finance system, written from the core's legs
(:mod:`finans.allocation.postings`): ``csv`` for people and spreadsheets, ``g69`` for Prisme.

Both writers stream: they take the legs as an iterable and write them to a binary stream as they
come, so a year of a large municipality's postings never has to be held in memory. The layouts are
documented in docs/postings.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import IO, Literal

from finans.allocation.postings import Leg
from finans.ledger.csv_file import write_csv
from finans.ledger.errors import LedgerError
from finans.ledger.g69 import G69Settings, write_g69

Format = Literal["csv", "g69"]
FORMATS: tuple[Format, ...] = ("csv", "g69")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "g69": "text/plain; charset=iso-8859-1"}
SUFFIXES = {"csv": "csv", "g69": "g69"}


def write_postings(
    legs: Iterable[Leg], target: IO[bytes], file_format: Format, g69: G69Settings, last_day: date
) -> int:
    """Write ``legs`` in ``file_format``; returns how many legs were written. ``last_day`` is the
    last posting date the file covers (the G69 preamble carries its day of the year).

    Raises :class:`LedgerError` when a value cannot be written in the format (the target then holds
    part of a file: write to a temporary place and keep it only on success).
    """
    if file_format == "g69":
        return write_g69(legs, target, g69, last_day)
    return write_csv(legs, target)


__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "SUFFIXES",
    "Format",
    "G69Settings",
    "LedgerError",
    "write_csv",
    "write_g69",
    "write_postings",
]
