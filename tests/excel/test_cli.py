"""``finans export``, ``import`` and ``template``, and ``calc`` on a workbook."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from finans.allocation.result import calc_result
from finans.cli import excel as excel_commands
from finans.cli import main as finans
from finans.excel.shipped import PERIOD, demo_records
from tests.excel.conftest import find_row, set_cells


@pytest.fixture
def runner(demo_sqlite: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A command line on a copy of the demo database."""
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_sqlite, path)
    monkeypatch.setenv("FINANS_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_export_then_import_reports_no_changes(runner: CliRunner) -> None:
    exported = runner.invoke(finans, ["export", "--from", "2026-01-01", "--to", "2026-01-31",
                                      "ud.xlsx"])
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith("Skrev ud.xlsx: 131 indsatser")
    imported = runner.invoke(finans, ["import", "ud.xlsx"])
    assert imported.exit_code == 0, imported.output
    lines = imported.output.splitlines()
    assert lines[:3] == [
        "Afdelinger: 0 nye, 0 ændrede, 9 uændrede",
        "Sager: 0 nye, 0 ændrede, 43 uændrede",
        "Indsatser: 0 nye, 0 ændrede, 131 uændrede",
    ]
    assert lines[3].startswith("Fordeling: 0 nye, 0 ændrede, ")
    assert lines[4:] == ["Refusionssatser: 0 nye, 0 ændrede, 3 uændrede", "Ingen ændringer."]


def test_import_reports_its_progress_sheet_by_sheet(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(finans, ["export", "--from", "2026-01-01", "--to", "2026-01-31", "ud.xlsx"])
    reports: list[tuple[str, int, int]] = []

    @contextmanager
    def recording(label: str) -> Iterator[Callable[[int, int], None]]:
        yield lambda done, total: reports.append((label, done, total))

    monkeypatch.setattr(excel_commands, "_progress", recording)
    result = runner.invoke(finans, ["import", "ud.xlsx"])
    assert result.exit_code == 0, result.output
    assert reports == [("Læser regnearket", done, 5) for done in range(6)]


def test_import_with_a_share_total_of_90_exits_2_names_the_cell_and_saves_nothing(
    runner: CliRunner,
) -> None:
    runner.invoke(finans, ["export", "--from", "2026-01-01", "--to", "2026-01-31", "ud.xlsx"])
    share = find_row(Path("ud.xlsx"), "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    set_cells(Path("ud.xlsx"), {share["Andel %"]: 70})
    result = runner.invoke(finans, ["import", "ud.xlsx", "--apply", "--errors", "fejl.xlsx"])
    assert result.exit_code == 2
    assert (f"{share['Andel %']}: Andelene for indsats I-1 fra 12-06-2024 summerer til 90 %, "
            "ikke 100 %") in result.output
    assert "Intet er gemt" in result.output
    assert load_workbook("fejl.xlsx").sheetnames == ["Fejl", "Fordeling"]
    set_cells(Path("ud.xlsx"), {share["Andel %"]: 80})
    again = runner.invoke(finans, ["import", "ud.xlsx"])
    assert again.exit_code == 0 and "Ingen ændringer." in again.output


def test_import_apply_saves_a_change(runner: CliRunner) -> None:
    runner.invoke(finans, ["export", "--from", "2026-01-01", "--to", "2026-01-31", "ud.xlsx"])
    row = find_row(Path("ud.xlsx"), "Sager", {})
    set_cells(Path("ud.xlsx"), {row["Familie"]: "Familie Ny"})
    dry = runner.invoke(finans, ["import", "ud.xlsx"])
    assert dry.exit_code == 0 and "Sager: 0 nye, 1 ændrede" in dry.output
    assert f"  ændret: {demo_records().cases[0].ref} (familie)" in dry.output
    assert "Prøvekørsel: intet er gemt" in dry.output
    applied = runner.invoke(finans, ["import", "ud.xlsx", "--apply"])
    assert applied.exit_code == 0 and "Ændringerne er gemt (1 poster)." in applied.output
    again = runner.invoke(finans, ["import", "ud.xlsx"])
    assert "Ingen ændringer." in again.output


def test_import_refuses_a_csv_with_a_danish_message(runner: CliRunner) -> None:
    Path("data.xlsx").write_text("a;b\n", encoding="utf-8")
    result = runner.invoke(finans, ["import", "data.xlsx"])
    assert result.exit_code == 2
    assert "data.xlsx: Filen er ikke en Excel-projektmappe (.xlsx)" in result.output


def test_import_refuses_files_over_the_given_size(runner: CliRunner) -> None:
    runner.invoke(finans, ["export", "--from", "2026-01-01", "--to", "2026-01-31", "ud.xlsx"])
    result = runner.invoke(finans, ["import", "ud.xlsx", "--max-size", "1"])
    assert result.exit_code == 0
    Path("stor.xlsx").write_bytes(b"x" * (1024 * 1024 + 1))
    result = runner.invoke(finans, ["import", "stor.xlsx", "--max-size", "1"])
    assert result.exit_code == 2 and "grænsen er 1,0 MB" in result.output


def test_template_for_a_case_and_blank(runner: CliRunner) -> None:
    case = demo_records().cases[0]
    prefilled = runner.invoke(finans, ["template", case.ref, "sag.xlsx"])
    assert prefilled.exit_code == 0, prefilled.output
    assert load_workbook("sag.xlsx")["Lagkage"]["B4"].value == case.ref
    blank = runner.invoke(finans, ["template", "--blank", "tom.xlsx"])
    assert blank.exit_code == 0 and load_workbook("tom.xlsx")["Lagkage"]["B4"].value is None
    imported = runner.invoke(finans, ["import", "sag.xlsx"])
    assert imported.exit_code == 0 and "Ingen ændringer." in imported.output


def test_template_import_labels_each_kind_of_record_on_the_lagkage_sheet(
    runner: CliRunner,
) -> None:
    case = demo_records().cases[0]
    runner.invoke(finans, ["template", case.ref, "sag.xlsx"])
    imported = runner.invoke(finans, ["import", "sag.xlsx"])
    assert imported.exit_code == 0, imported.output
    labels = [line.split(":")[0] for line in imported.output.splitlines()[:4]]
    assert labels == [
        "Afdelinger", "Lagkage (sager)", "Lagkage (indsatser)", "Lagkage (fordelinger)"
    ]


def test_template_for_an_unknown_case_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(finans, ["template", "S-0000-0000", "x.xlsx"])
    assert result.exit_code == 1 and "Sagen S-0000-0000 findes ikke" in result.output
    assert not Path("x.xlsx").exists()


def test_commands_need_a_set_up_database(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINANS_DATABASE_URL", f"sqlite:///{tmp_path / 'tom.db'}")
    result = runner.invoke(finans, ["export", "ud.xlsx"])
    assert result.exit_code == 1 and "finans init" in result.output


def test_calc_on_a_workbook_gives_the_calculators_result(
    exported_year: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        finans, ["calc", str(exported_year), "--from", "2026-01-01", "--to", "2026-12-31"]
    )
    assert result.exit_code == 0, result.output
    expected = calc_result(demo_records(), PERIOD)
    assert json.loads(result.output) == json.loads(json.dumps(expected))


def test_calc_on_a_workbook_with_problems_exits_2_with_cells(exported: Path) -> None:
    share = find_row(exported, "Fordeling", {"Indsats-ID": "I-1"})
    set_cells(exported, {share["Andel %"]: 1})
    result = CliRunner().invoke(finans, ["calc", str(exported)])
    assert result.exit_code == 2
    (error,) = json.loads(result.output)["errors"]
    assert error["where"] == share["Andel %"] and error["code"] == "shares_sum"


def test_calc_writes_its_result_as_a_workbook(exported: Path, tmp_path: Path) -> None:
    out = tmp_path / "beregning.xlsx"
    result = CliRunner().invoke(
        finans, ["calc", str(exported), "--format", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Oversigt" in load_workbook(out).sheetnames
