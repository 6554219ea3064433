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


def _value_problems(leg: Leg, where: str) -> list[Problem]:
    problems = []
    for name, value in (("Kontostreng", leg.account), ("Tekst", leg.text)):
        unwritable = "&" in value or not value.isprintable()
        if not unwritable:
            try:
                value.encode(ENCODING)
            except UnicodeEncodeError:
                unwritable = True
        if unwritable:
            message = (
                f"{name} '{value}' kan ikke skrives i en G69-fil (tegnet & og tegn uden for "
                "ISO-8859-1 kan ikke bruges)"
            )
            problems.append(Problem("g69_unwritable", message, where))
    if leg.debit + leg.credit > MAX_AMOUNT:
        problems.append(Problem("g69_amount", "Beløbet er for stort til en G69-fil", where))
    return problems


def record(leg: Leg, line: int, expedition: int, settings: G69Settings) -> str:
    """One leg as a G69 record: the fixed header, then fields 103, 104, 110–114 and 153."""
    debit = leg.debit > 0
    fields = (
        ("103", f"{settings.machine_number:05d}"),
        ("104", f"{expedition:07d}"),
        ("110", f"{leg.day:%Y%m%d}"),
        ("111", leg.account),
        ("112", f"{leg.debit if debit else leg.credit:012d}+"),
        ("113", "D" if debit else "K"),
        ("114", f"{leg.day.year:04d}"),
        ("153", leg.text),
    )
    header = (
        f"{REGISTRATION_PLACE}{RECORD_TYPE}{line:05d}{settings.municipality:04d}"
        f"{ORGANISATION_TYPE}{POSTING_TYPE}{LINE_FORMAT}"
    )
    return header + "".join(f"&{number}{value}" for number, value in fields)


def write_g69(legs: Iterable[Leg], target: IO[bytes], settings: G69Settings,
              last_day: date) -> int:
    """Write the legs as G69 deliveries to ``target``; returns the number of records.

    Raises :class:`LedgerError` at the first leg that cannot be written (an ``&`` or a character
    outside ISO-8859-1 in its text, or more than 9,999,999 records).
    """
    start = preamble(settings, last_day) + "\n"
    write = target.write
    write(start.encode(ENCODING))
    in_block = 0
    expedition = 0
    for leg in legs:
        expedition += 1
        if expedition > MAX_EXPEDITION:
            message = "Der er for mange posteringer til én G69-fil; vælg en kortere periode"
            raise LedgerError([Problem("g69_too_many", message, "")])
        if in_block == MAX_RECORDS:
            write((trailer(in_block) + "\n" + start).encode(ENCODING))
            in_block = 0
        in_block += 1
        problems = _value_problems(leg, f"{leg.intervention} {leg.day:%d-%m-%Y}")
        if problems:
            raise LedgerError(problems)
        write((record(leg, in_block, expedition, settings) + "\n").encode(ENCODING))
    write((trailer(in_block) + "\n").encode(ENCODING))
    return expedition
