"""Refuse a file before any workbook parser sees it.

A workbook is a zip archive of XML parts. Only plain ``.xlsx`` files are accepted: not CSV or old
``.xls`` files renamed, not macro workbooks (``.xlsm`` or any archive with a ``vbaProject`` part),
not files over the size limit, and not archives built to explode when unpacked (zip bombs: an
absurd total size, number of parts or compression ratio). The sizes checked are the ones the archive
declares; Python's zip reader never inflates a part beyond its declared size, so a part that lies
only breaks its own XML, which the reader reports.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from finans.allocation.problems import Problem
from finans.formatting import format_number

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How large an uploaded workbook may be.

    Attributes:
      max_bytes: the file itself.
      max_uncompressed: all parts together, unpacked.
      max_members: number of parts in the archive.
      max_ratio: unpacked ÷ packed size of one part (only for parts over ``ratio_from`` bytes).
      ratio_from: parts smaller than this are never too compressed to be read.
    """

    max_bytes: int = 20 * MB
    max_uncompressed: int = 300 * MB
    max_members: int = 1_000
    max_ratio: int = 200
    ratio_from: int = MB


DEFAULT_LIMITS = Limits()

def _refusal(code: str, message: str, where: str) -> list[Problem]:
    return [Problem(code, message, where)]


def _megabytes(size: int) -> str:
    return f"{format_number(Decimal(size) / MB, decimals=1)} MB"


def check_workbook(
    source: Path | bytes, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[Problem]:
    """Problems that make the file unfit to open as a workbook; empty when it may be read.

    ``name`` is the file name the user gave (an upload's name); for a path it is the path's name.
    """
    name = name if name is not None else (source.name if isinstance(source, Path) else "")
    where = name or "fil"
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        return _refusal(
            "macro_workbook",
            "Projektmapper med makroer (.xlsm) modtages ikke; gem som almindelig .xlsx",
            where,
        )
    if suffix and suffix != ".xlsx":
        return _refusal(
            "not_xlsx", f"Kun .xlsx-filer kan indlæses, ikke {suffix}-filer", where
        )
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if size > limits.max_bytes:
        return _refusal(
            "file_too_large",
            f"Filen fylder {_megabytes(size)}; grænsen er {_megabytes(limits.max_bytes)}",
            where,
        )
    return _check_archive(source, where, limits)


def _check_archive(source: Path | bytes, where: str, limits: Limits) -> list[Problem]:
    not_xlsx = _refusal(
        "not_xlsx",
        "Filen er ikke en Excel-projektmappe (.xlsx); er den en CSV-fil, en gammel .xls-fil "
        "eller beskyttet med adgangskode?",
        where,
    )
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return not_xlsx
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return not_xlsx
    if any(member.filename.lower().endswith("vbaproject.bin") for member in members):
        return _refusal(
            "macro_workbook",
            "Projektmappen indeholder makroer (VBA) og modtages ikke; gem som almindelig .xlsx",
            where,
        )
    if len(members) > limits.max_members:
        return _refusal(
            "zip_bomb",
            f"Filen består af {len(members)} dele (højst {limits.max_members}); "
            "den ligner ikke en almindelig projektmappe",
            where,
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed:
        return _refusal(
            "zip_bomb",
            f"Filen fylder {_megabytes(total)} udpakket (højst "
            f"{_megabytes(limits.max_uncompressed)}); den ligner ikke en almindelig projektmappe",
            where,
        )
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size >= limits.ratio_from and member.file_size > limits.max_ratio * packed:
            shown = "".join(char if char.isprintable() else "?" for char in member.filename[:60])
            return _refusal(
                "zip_bomb",
                f"Delen {shown} er pakket {member.file_size // packed} gange sammen "
                f"(højst {limits.max_ratio}); den ligner ikke en almindelig projektmappe",
                where,
            )
    return []
