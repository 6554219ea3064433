"""The controller workbook's contract (docs/workbook.md): sheet names, columns, Danish words.

One place says what each sheet is called, which columns it has (header text, width, kind of value)
and how the engine's values are spelled in Danish, so the writer, the reader and the template cannot
drift apart. Column ``key``s are the scenario JSON field names they feed where there is one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_DATA_ROWS = 1_048_575
"""Excel has 1,048,576 rows; row 1 holds the headers."""

Kind = Literal["text", "date", "month", "amount", "percent", "number", "choice", "formula"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet.

    Attributes:
      key: the field it holds (scenario JSON name where there is one).
      header: the Danish header text in row 1.
      width: column width in Excel's character units.
      kind: how values are written and read (number formats, parsing).
      vocabulary: for ``choice`` columns, the name of the vocabulary in :data:`VOCABULARIES`.
      optional: an imported sheet may leave the column out (workbooks made before it existed);
        its values are then left as they are.
    """

    key: str
    header: str
    width: float
    kind: Kind = "text"
    vocabulary: str = ""
    optional: bool = False


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """A sheet's name and columns; ``imported`` sheets are read back, the others are computed."""

    name: str
    columns: tuple[Column, ...]
    imported: bool

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(column.header for column in self.columns)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


DEPARTMENTS = SheetLayout(
    "Afdelinger",
    (
        Column("code", "Kode", 10),
        Column("name", "Navn", 38),
        Column("account", "Kontostreng", 16),
    ),
    imported=True,
)
CASES = SheetLayout(
    "Sager",
    (
        Column("ref", "Sagsnr", 14),
        Column("family", "Familie", 26),
        Column("coordinator", "Koordinator", 18),
        Column("consent", "Samtykke", 11, "choice", "consent"),
        Column("assessed_on", "Udredningsdato", 15, "date"),
    ),
    imported=True,
)
INTERVENTIONS = SheetLayout(
    "Indsatser",
    (
        Column("id", "ID", 9),
        Column("case", "Sagsnr", 14),
        Column("title", "Indsats", 30),
        Column("legal_basis", "Lovgrundlag", 28),
        Column("granted_by", "Bevilget af", 12),
        Column("paid_by", "Betales af", 12),
        Column("amount", "Beløb", 14, "amount"),
        Column("per", "Pr.", 9, "choice", "per"),
        Column("start", "Start", 12, "date"),
        Column("end", "Slut", 12, "date"),
        Column("refundable", "Refusionsberettiget", 20, "choice", "refundable", optional=True),
        Column("account", "Kontostreng", 16, optional=True),
    ),
    imported=True,
)
SPLITS = SheetLayout(
    "Fordeling",
    (
        Column("intervention", "Indsats-ID", 11),
        Column("effective_from", "Gælder fra", 12, "date"),
        Column("method", "Metode", 12, "choice", "method"),
        Column("alpha", "Vægt ansvar %", 14, "percent"),
        Column("status", "Status", 12, "choice", "status"),
        Column("department", "Afdeling", 10),
        Column("share", "Andel %", 10, "percent"),
        Column("responsibility", "Ansvar", 9, "number"),
        Column("benefit", "Gevinst", 9, "number"),
        Column("savings", "Besparelse", 14, "amount"),
        Column("rationale", "Begrundelse", 50),
        Column("check", "Sum andele %", 13, "formula"),
        Column("split_id", "Fordelings-ID", 13, "number", optional=True),
    ),
    imported=True,
)
LINES = SheetLayout(
    "Fordelt",
    (
        Column("intervention", "Indsats-ID", 11),
        Column("case", "Sagsnr", 14),
        Column("month", "Måned", 10, "month"),
        Column("department", "Afdeling", 10),
        Column("account", "Kontostreng", 16),
        Column("amount", "Beløb", 14, "amount"),
        Column("corrects", "Efterregulering af", 18, "month"),
    ),
    imported=False,
)
CORRECTIONS = SheetLayout(
    "Efterregulering",
    (
        Column("posted_in", "Bogført i", 11, "month"),
        Column("month", "Måned", 10, "month"),
        Column("intervention", "Indsats-ID", 11),
        Column("case", "Sagsnr", 14),
        Column("department", "Afdeling", 10),
        Column("paid_by", "Betales af", 11),
        Column("account", "Kontostreng", 16),
        Column("amount", "Beløb", 14, "amount"),
    ),
    imported=False,
)
SETTLEMENT = SheetLayout(
    "Afregning",
    (
        Column("from", "Fra", 9),
        Column("to", "Til", 9),
        Column("amount", "Beløb", 15, "amount"),
        Column("from_account", "Fra kontostreng", 16),
        Column("to_account", "Til kontostreng", 16),
    ),
    imported=False,
)
POSTINGS = SheetLayout(
    "Posteringer",
    (
        Column("date", "Dato", 12, "date"),
        Column("department", "Afdeling", 10),
        Column("account", "Kontostreng", 16),
        Column("debit", "Debet", 15, "amount"),
        Column("credit", "Kredit", 15, "amount"),
        Column("text", "Tekst", 60),
    ),
    imported=False,
)
REFUNDS = SheetLayout(
    "Refusion",
    (
        Column("case", "Sagsnr", 14),
        Column("month", "Måned", 10, "month"),
        Column("basis", "Grundlag", 16, "amount"),
        Column("amount", "Refusion", 16, "amount"),
    ),
    imported=False,
)
"""Followed by one amount column per department (its part of the month's refund)."""
REFUND_RATES = SheetLayout(
    "Refusionssatser",
    (
        Column("year", "År", 8, "number"),
        Column("threshold_1", "Grænse 1", 16, "amount"),
        Column("threshold_2", "Grænse 2", 16, "amount"),
        Column("threshold_3", "Grænse 3", 16, "amount"),
        Column("percent_1", "Pct. 1", 9, "percent"),
        Column("percent_2", "Pct. 2", 9, "percent"),
        Column("percent_3", "Pct. 3", 9, "percent"),
    ),
    imported=True,
)
"""Read when the workbook has it (older workbooks do not); only administrators change rates."""
SUMMARY = SheetLayout(
    "Oversigt",
    (
        Column("department", "Afdeling", 10),
        Column("amount", "Beløb", 16, "amount"),
        Column("share", "Andel %", 10, "percent"),
    ),
    imported=False,
)

IMPORTED_SHEETS = (DEPARTMENTS, CASES, INTERVENTIONS, SPLITS)
TEMPLATE_SHEET = "Lagkage"
"""The lagkage template's one case sheet; the reader recognises the template by it."""

# Excel number formats. Excel stores them in the US notation and shows them in the user's locale,
# so ``#,##0.00`` reads ``1.234,50`` in a Danish Excel.
AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00##"
NUMBER_FORMAT = "0.####"
DATE_FORMAT = "dd-mm-yyyy"
MONTH_FORMAT = "mmm yyyy"

VOCABULARIES: dict[str, tuple[tuple[str, str | bool], ...]] = {
    "method": (("fast", "fixed"), ("lige", "equal"), ("vægtet", "weighted"),
               ("besparelse", "savings")),
    "status": (("kladde", "draft"), ("foreslået", "proposed"), ("aftalt", "agreed"),
               ("afvist", "rejected")),
    "per": (("engang", "once"), ("uge", "week"), ("måned", "month"), ("år", "year")),
    "consent": (("ja", True), ("nej", False)),
    "refundable": (("ja", True), ("nej", False)),
}
"""Danish word ↔ engine value, in the order the drop-down lists show them."""

SYNONYMS: dict[str, tuple[tuple[str, str | bool], ...]] = {
    "method": (("fast fordeling", "fixed"), ("faste", "fixed"), ("ligelig", "equal"),
               ("ligeligt", "equal"), ("lige fordeling", "equal"), ("vægtning", "weighted"),
               ("ansvar og gevinst", "weighted"), ("besparelser", "savings")),
    "status": (("udkast", "draft"), ("forslag", "proposed"), ("foreslag", "proposed"),
               ("til godkendelse", "proposed"), ("godkendt", "agreed"), ("aftale", "agreed"),
               ("afvisning", "rejected"), ("afslået", "rejected")),
    "per": (("engangsbeløb", "once"), ("engangs", "once"), ("en gang", "once"),
            ("ugentlig", "week"), ("pr. uge", "week"), ("om ugen", "week"), ("md", "month"),
            ("md.", "month"), ("mdr", "month"), ("mdr.", "month"), ("månedlig", "month"),
            ("pr. måned", "month"), ("om måneden", "month"), ("årlig", "year"),
            ("pr. år", "year"), ("om året", "year")),
    "consent": (("j", True), ("n", False), ("yes", True), ("no", False)),
}
"""Other words people type for the same value (any case, æ/ø/å or ae/oe/aa); read on import,
never written."""

_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def _folded(word: str) -> str:
    """Lower case, trimmed, NFC, with æ/ø/å spelled out, so ``Vaegtet`` and ``vægtet`` match."""
    return unicodedata.normalize("NFC", word).strip().lower().translate(_ASCII)


_FROM_DANISH = {
    name: {_folded(danish): value for danish, value in (*SYNONYMS.get(name, ()), *pairs)}
    for name, pairs in VOCABULARIES.items()
}
_TO_DANISH = {
    name: {value: danish for danish, value in pairs} for name, pairs in VOCABULARIES.items()
}


YES_NO = frozenset(name for name, pairs in VOCABULARIES.items() if {value for _, value in pairs}
                  == {True, False})
"""Vocabularies of ``ja``/``nej``, where an Excel TRUE/FALSE is read as well."""


def danish(vocabulary: str, value: str | bool) -> str:
    """The Danish word for an engine value: ``danish("method", "weighted")`` → ``"vægtet"``."""
    return _TO_DANISH[vocabulary][value]


def from_danish(vocabulary: str, word: str) -> str | bool | None:
    """The engine value of a Danish word typed in any case (``" Aftalt "`` → ``"agreed"``)."""
    return _FROM_DANISH[vocabulary].get(_folded(word))


def words(vocabulary: str) -> tuple[str, ...]:
    """The Danish words of a vocabulary, for drop-down lists and messages."""
    return tuple(danish for danish, _ in VOCABULARIES[vocabulary])


def lines_sheet_name(index: int) -> str:
    """``Fordelt`` for the first sheet of lines, then ``Fordelt 2``, ``Fordelt 3``, …"""
    return LINES.name if index == 1 else f"{LINES.name} {index}"
