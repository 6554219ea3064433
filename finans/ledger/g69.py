"""The ``g69`` posting file: financial records for Prisme, one record (line) per leg.

The layout follows the G69 records that Prisme takes and that Ballerup's OS2bos writes: a ``Z300``
preamble, records made of a fixed header and floating fields ``&<field number><value>`` in
ascending field order, and a ``SLUTD`` trailer with the number of records. A record's header and
field lengths are fixed, so a delivery holds at most 99,999 records: larger files hold several
deliveries one after the other, each of an even number of records so that no leg is parted from
its other half and every delivery balances per posting date. docs/postings.md has the exact
layout. The file is ISO-8859-1 text with ``\\n`` line ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO

from finans.allocation.postings import Leg
from finans.allocation.problems import Problem
from finans.ledger.errors import LedgerError

ENCODING = "iso-8859-1"
MAX_RECORDS = 99_998
"""Records per delivery: the 5-digit line number and count, kept even (a leg's pair stays)."""
MAX_EXPEDITION = 9_999_999
MAX_AMOUNT = 10**12 - 1
MAX_MACHINE = 99_999
MAX_MUNICIPALITY = 9_999

REGISTRATION_PLACE = "000"
RECORD_TYPE = "G69"
ORGANISATION_TYPE = "01"
POSTING_TYPE = "NOR"
LINE_FORMAT = "FLYD"


@dataclass(frozen=True, slots=True)
class G69Settings:
    """What the finance department assigns to finans' deliveries.

    Attributes:
      machine_number: identifies finans as the sender (field 103; ``FINANS_G69_MACHINE_NUMBER``).
      municipality: the municipality (organisation unit) number in headers
        (``FINANS_G69_MUNICIPALITY``).
    """

    machine_number: int = 1
    municipality: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.machine_number <= MAX_MACHINE:
            raise ValueError(f"machine number {self.machine_number} is not 0..{MAX_MACHINE}")
        if not 0 <= self.municipality <= MAX_MUNICIPALITY:
            raise ValueError(f"municipality {self.municipality} is not 0..{MAX_MUNICIPALITY}")


def preamble(settings: G69Settings, last_day: date) -> str:
    """``Z300``, a blank, the municipality, media type 6, six blanks, the day of the year of the
    file's last posting date (three digits) and 1 (mixed records)."""
    day = last_day.timetuple().tm_yday
    return f"Z300 {settings.municipality:04d}6      {day:03d}1"


def trailer(count: int) -> str:
    return f"SLUTD{count:05d}"


def _unwritable(value: str) -> bool:
    """Text a G69 field cannot hold: ``&`` separates the fields, and the file is ISO-8859-1."""
    if "&" in value or not value.isprintable():
        return True
    try:
        value.encode(ENCODING)
    except UnicodeEncodeError:
        return True
    return False


def _refusal(leg: Leg, name: str, value: str) -> LedgerError:
    message = (f"{name} '{value}' kan ikke skrives i en G69-fil (tegnet & og tegn uden for "
               "ISO-8859-1 kan ikke bruges)")
    return LedgerError([Problem("g69_unwritable", message, _where(leg, leg.day))])


def _where(leg: Leg, day: date) -> str:
    """``I-17 31-03-2026``; a leg of a refund passed on names its case instead."""
    return f"{leg.intervention or leg.case} {day:%d-%m-%Y}"


class _Days(dict[date, tuple[str, str]]):
    """``(YYYYMMDD, YYYY)`` per posting date, worked out once."""

    def __missing__(self, day: date) -> tuple[str, str]:
        found = self[day] = (f"{day:%Y%m%d}", f"{day.year:04d}")
        return found


def write_g69(legs: Iterable[Leg], target: IO[bytes], settings: G69Settings,
              last_day: date) -> int:
    """Write the legs as G69 deliveries to ``target``; returns the number of records.

    Each record is the fixed header (registration place, record type, line number in the
    delivery, municipality, organisation type, posting type, line format) and the fields 103
    (machine number), 104 (expedition number), 110 (posting date), 111 (account), 112 (amount in
    øre and its sign), 113 (D or K), 114 (fiscal year) and 153 (text). Raises
    :class:`LedgerError` at the first leg that cannot be written (an ``&`` or a character outside
    ISO-8859-1, an amount or a number of records too large).
    """
    start = preamble(settings, last_day) + "\n"
    fixed = (f"{settings.municipality:04d}{ORGANISATION_TYPE}{POSTING_TYPE}{LINE_FORMAT}"
             f"&103{settings.machine_number:05d}&104")
    head = f"{REGISTRATION_PLACE}{RECORD_TYPE}"
    lines = [start]
    days = _Days()
    accounts: set[str] = set()
    in_block = expedition = 0
    checked = ""
    for leg in legs:
        day, account, debit, credit, text, _, _, _, _ = leg
        if expedition == MAX_EXPEDITION:
            message = "Der er for mange posteringer til én G69-fil; vælg en kortere periode"
            raise LedgerError([Problem("g69_too_many", message, "")])
        if account not in accounts:
            if _unwritable(account):
                raise _refusal(leg, "Kontostreng", account)
            accounts.add(account)
        if text is not checked:  # a leg's pair carries the same text
            if _unwritable(text):
                raise _refusal(leg, "Tekst", text)
            checked = text
        amount, marker = (debit, "D") if debit else (credit, "K")
        if amount > MAX_AMOUNT:
            raise LedgerError([Problem("g69_amount", "Beløbet er for stort til en G69-fil",
                                       _where(leg, day))])
        if in_block == MAX_RECORDS:
            lines.append(trailer(in_block) + "\n" + start)
            in_block = 0
        in_block += 1
        expedition += 1
        ymd, year = days[day]
        lines.append(f"{head}{in_block:05d}{fixed}{expedition:07d}&110{ymd}&111{account}"
                     f"&112{amount:012d}+&113{marker}&114{year}&153{text}\n")
        if len(lines) >= CHUNK:
            target.write("".join(lines).encode(ENCODING))
            lines.clear()
    lines.append(trailer(in_block) + "\n")
    target.write("".join(lines).encode(ENCODING))
    return expedition


CHUNK = 4096
"""Records encoded and written at a time."""
