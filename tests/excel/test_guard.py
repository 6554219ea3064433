"""Files refused before any parser sees them, each with a clear Danish message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from finans.excel.guard import DEFAULT_LIMITS, MB, Limits, check_workbook
from finans.excel.reader import read_workbook


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_members(workbook: Path, extra: dict[str, bytes]) -> bytes:
    """The workbook's own parts plus ``extra``."""
    with zipfile.ZipFile(workbook) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return zipped({**members, **extra})


def codes(
    source: Path | bytes, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[str]:
    return [problem.code for problem in check_workbook(source, name=name, limits=limits)]


def test_an_exported_workbook_passes(exported: Path) -> None:
    assert check_workbook(exported) == []


def test_a_csv_renamed_to_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fordeling.xlsx"
    path.write_text("Indsats-ID;Andel %\nI-1;40\n", encoding="utf-8")
    problems = check_workbook(path)
    assert [p.code for p in problems] == ["not_xlsx"]
    assert "CSV" in problems[0].message and problems[0].where == "fordeling.xlsx"


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    path.write_bytes(b"")
    assert codes(path) == ["not_xlsx"]


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    assert codes(zipped({"readme.txt": b"hej"}), name="x.xlsx") == ["not_xlsx"]


def test_an_xlsm_file_is_refused_by_its_name(exported: Path, tmp_path: Path) -> None:
    path = tmp_path / "makro.xlsm"
    path.write_bytes(exported.read_bytes())
    problems = check_workbook(path)
    assert [p.code for p in problems] == ["macro_workbook"]
    assert "makro" in problems[0].message


def test_a_workbook_with_a_vba_project_is_refused_whatever_its_name(exported: Path) -> None:
    data = with_members(exported, {"xl/vbaProject.bin": b"\x00" * 64})
    assert codes(data, name="uskyldig.xlsx") == ["macro_workbook"]


def test_other_file_kinds_are_refused_by_name(exported: Path) -> None:
    assert codes(exported.read_bytes(), name="gammel.xls") == ["not_xlsx"]


def test_a_file_over_the_size_limit_is_refused(exported: Path) -> None:
    problems = check_workbook(exported, limits=Limits(max_bytes=10_000))
    assert [p.code for p in problems] == ["file_too_large"]
    assert "grænsen er 0,0 MB" in problems[0].message


def test_the_size_limit_is_configurable(exported: Path) -> None:
    assert check_workbook(exported, limits=Limits(max_bytes=5 * MB)) == []


def test_a_zip_bomb_part_is_refused_by_its_compression_ratio(exported: Path) -> None:
    data = with_members(exported, {"xl/media/bombe.bin": b"\x00" * (20 * MB)})
    assert len(data) < MB
    problems = check_workbook(data, name="bombe.xlsx")
    assert [p.code for p in problems] == ["zip_bomb"]
    assert "gange sammen" in problems[0].message


def test_an_archive_too_large_unpacked_is_refused(exported: Path) -> None:
    assert codes(exported, limits=Limits(max_uncompressed=100_000)) == ["zip_bomb"]


def test_an_archive_of_absurdly_many_parts_is_refused(exported: Path) -> None:
    data = with_members(exported, {f"xl/media/{i}.bin": b"x" for i in range(1_001)})
    assert codes(data, name="mange.xlsx") == ["zip_bomb"]


@pytest.mark.parametrize("kind", ["csv", "bomb", "xlsm"])
def test_refused_files_give_problems_and_no_data(
    kind: str, exported: Path, tmp_path: Path
) -> None:
    if kind == "csv":
        path = tmp_path / "data.xlsx"
        path.write_text("a,b\n1,2\n", encoding="utf-8")
    elif kind == "bomb":
        path = tmp_path / "bombe.xlsx"
        path.write_bytes(with_members(exported, {"xl/media/b.bin": b"\x00" * (20 * MB)}))
    else:
        path = tmp_path / "makro.xlsm"
        path.write_bytes(exported.read_bytes())
    read = read_workbook(path)
    assert read.data is None
    assert len(read.problems) == 1 and read.problems[0].where == path.name


def test_a_damaged_part_is_reported_not_raised(exported: Path, tmp_path: Path) -> None:
    path = tmp_path / "beskadiget.xlsx"
    path.write_bytes(with_members(exported, {"xl/workbook.xml": b"<workbook><sheets"}))
    read = read_workbook(path)
    assert read.data is None
    assert [p.code for p in read.problems] == ["unreadable"]


def test_xml_entity_expansion_is_refused(exported: Path, tmp_path: Path) -> None:
    assert openpyxl.DEFUSEDXML
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    with zipfile.ZipFile(exported) as archive:
        content_types = archive.read("[Content_Types].xml")
    content_types = content_types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    path = tmp_path / "latter.xlsx"
    path.write_bytes(
        with_members(
            exported, {"xl/sharedStrings.xml": laughs, "[Content_Types].xml": content_types}
        )
    )
    read = read_workbook(path)
    assert read.data is None
    assert [p.code for p in read.problems] == ["unreadable"]
