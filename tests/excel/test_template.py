"""The lagkage template: one case on one sheet, live shares and pies, read back like a workbook."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from finans.allocation.records import Scenario
from finans.allocation.shares import resolve_shares
from finans.allocation.validation import parse_scenario
from finans.excel.reader import read_workbook, scenario_from_workbook
from finans.excel.template import write_template

# Rows of the first block with the demo's nine departments (see finans.excel.template).
CASE_ROWS = {"Sagsnr": 4, "Familie": 5, "Koordinator": 6, "Samtykke": 7, "Udredningsdato": 8}
VALUES, VERSION, FIRST, LAST, TOTAL = 12, 14, 16, 24, 25
NEXT_BLOCK = 27


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory, demo: Scenario) -> Path:
    path = tmp_path_factory.mktemp("lagkage") / "lagkage.xlsx"
    write_template(path, demo.departments)
    return path


def case_with_interventions(demo: Scenario) -> tuple[Any, list[Any]]:
    case = next(
        case for case in demo.cases
        if sum(iv.case == case.ref for iv in demo.interventions) >= 2
    )
    return case, [iv for iv in demo.interventions if iv.case == case.ref]


def fill(path: Path, cells: dict[str, Any], out: Path) -> Path:
    workbook = load_workbook(path)
    for coordinate, value in cells.items():
        workbook["Lagkage"][coordinate] = value
    workbook.save(out)
    return out


def test_the_template_is_one_case_sheet_and_the_department_list(blank: Path) -> None:
    workbook = load_workbook(blank)
    assert workbook.sheetnames == ["Lagkage", "Afdelinger"]
    sheet = workbook["Lagkage"]
    assert {sheet[f"A{row}"].value: row for row in CASE_ROWS.values()} == {
        label: row for label, row in CASE_ROWS.items()
    }
    assert [cell.value for cell in sheet[15][:6]] == [
        "Afdeling", "Ansvar", "Gevinst", "Besparelse", "Andel %", "Resultat %"
    ]


def test_every_block_has_a_native_pie_chart_of_its_results(blank: Path) -> None:
    sheet = load_workbook(blank)["Lagkage"]
    assert [type(chart).__name__ for chart in sheet._charts] == ["PieChart"] * 3
    series = sheet._charts[0].series[0]
    assert series.val.numRef.f == f"'Lagkage'!$F${FIRST}:$F${LAST}"
    assert series.cat.numRef.f == f"'Lagkage'!$A${FIRST}:$A${LAST}"


def test_results_are_live_formulas_by_the_blocks_method(blank: Path) -> None:
    sheet = load_workbook(blank)["Lagkage"]
    formula = sheet[f"F{FIRST}"].value
    assert formula.startswith(f'=IF($A{FIRST}="","",IF($B${VERSION}="fast",$E{FIRST},')
    assert f"100/COUNTA($A${FIRST}:$A${LAST})" in formula
    assert f'IF($C${VERSION}="",0.5,$C${VERSION}/100)' in formula
    assert f"$B{FIRST}/SUM($B${FIRST}:$B${LAST})" in formula
    assert f"$D{FIRST}/SUM($D${FIRST}:$D${LAST})" in formula
    assert sheet[f"F{TOTAL}"].value == f"=SUM(F{FIRST}:F{LAST})"
    assert sheet[f"A{TOTAL}"].value == "I alt"
    assert sheet.conditional_formatting


def test_drop_down_lists_offer_departments_and_vocabularies(blank: Path) -> None:
    sheet = load_workbook(blank)["Lagkage"]
    lists = {dv.formula1: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert f"A{FIRST}" in lists["'Afdelinger'!$A$2:$A$10"].split()
    assert "B7" in lists['"ja,nej"'].split()
    assert f"B{VERSION}" in lists['"fast,lige,vægtet,besparelse"'].split()
    assert f"D{VERSION}" in lists['"kladde,foreslået,aftalt,afvist"'].split()


def test_a_blank_template_needs_a_case_before_it_reads(blank: Path) -> None:
    data, problems = scenario_from_workbook(blank)
    assert data is None
    assert [(p.where, p.message) for p in problems] == [("Lagkage!B4", "Skal udfyldes (Sagsnr)")]


def test_a_template_filled_in_at_the_meeting_reads_as_a_scenario(
    blank: Path, tmp_path: Path
) -> None:
    path = fill(blank, {
        "B4": "S-2026-0100", "B5": "Familie Test", "B6": "raadgiver.bfh", "B7": "ja",
        "B8": date(2026, 3, 2),
        f"A{VALUES}": "I-500", f"B{VALUES}": "Aflastning", f"C{VALUES}": "Barnets lov § 32",
        f"D{VALUES}": "BFH", f"E{VALUES}": "BFH", f"F{VALUES}": "12.000,00",
        f"G{VALUES}": "måned", f"H{VALUES}": date(2026, 4, 1),
        f"A{VERSION}": date(2026, 4, 1),
        f"A{FIRST}": "BFH", f"B{FIRST}": 2, f"C{FIRST}": 1,
        f"A{FIRST + 1}": "JOB", f"B{FIRST + 1}": 1, f"C{FIRST + 1}": 1,
    }, tmp_path / "udfyldt.xlsx")
    data, problems = scenario_from_workbook(path)
    assert problems == []
    scenario, _ = parse_scenario(data)
    assert scenario is not None
    assert [case.ref for case in scenario.cases] == ["S-2026-0100"]
    (intervention,) = scenario.interventions
    assert (intervention.id, intervention.case, intervention.cost.amount) == (
        "I-500", "S-2026-0100", 1_200_000)
    (split,) = intervention.splits
    assert (split.method.value, split.status.value) == ("weighted", "proposed")
    assert resolve_shares(split) == {"BFH": Fraction(7, 12), "JOB": Fraction(5, 12)}


def test_a_prefilled_template_reads_back_as_its_case(demo: Scenario, tmp_path: Path) -> None:
    case, interventions = case_with_interventions(demo)
    path = tmp_path / "sag.xlsx"
    write_template(path, demo.departments, case, interventions)
    data, problems = scenario_from_workbook(path)
    assert problems == []
    scenario, _ = parse_scenario(data)
    assert scenario is not None
    assert scenario.departments == demo.departments
    assert scenario.cases[0].ref == case.ref
    assert scenario.cases[0].family == case.family
    for read, written in zip(scenario.interventions, interventions, strict=True):
        latest = max(written.splits, key=lambda split: split.effective_from)
        assert (read.id, read.cost) == (written.id, written.cost)
        assert read.splits[0].effective_from == latest.effective_from
        assert resolve_shares(read.splits[0]) == resolve_shares(latest)


def test_a_share_total_off_100_in_a_block_is_shown_at_its_first_share(
    blank: Path, tmp_path: Path
) -> None:
    path = fill(blank, {
        "B4": "S-1", f"A{VALUES}": "I-1", f"B{VALUES}": "Aflastning", f"D{VALUES}": "BFH",
        f"E{VALUES}": "BFH", f"F{VALUES}": 100, f"G{VALUES}": "engang",
        f"H{VALUES}": date(2026, 1, 1), f"A{VERSION}": date(2026, 1, 1), f"B{VERSION}": "fast",
        f"A{FIRST}": "BFH", f"E{FIRST}": 50, f"A{FIRST + 1}": "JOB", f"E{FIRST + 1}": 40,
    }, tmp_path / "fejl.xlsx")
    _, problems = scenario_from_workbook(path)
    assert [(p.where, p.message) for p in problems] == [
        (f"Lagkage!E{FIRST}",
         "Andelene for indsats I-1 fra 01-01-2026 summerer til 90 %, ikke 100 %")
    ]


def test_rows_inserted_into_a_block_are_read(blank: Path, tmp_path: Path) -> None:
    workbook = load_workbook(blank)
    sheet = workbook["Lagkage"]
    sheet.insert_rows(FIRST + 1, 2)
    cells = {
        "B4": "S-1", f"A{VALUES}": "I-1", f"B{VALUES}": "Aflastning", f"D{VALUES}": "BFH",
        f"E{VALUES}": "BFH", f"F{VALUES}": 100, f"G{VALUES}": "engang",
        f"H{VALUES}": date(2026, 1, 1), f"A{VERSION}": date(2026, 1, 1), f"B{VERSION}": "lige",
        f"A{FIRST}": "BFH", f"A{FIRST + 1}": "JOB", f"A{FIRST + 2}": "SKO",
    }
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    path = tmp_path / "flere.xlsx"
    workbook.save(path)
    read = read_workbook(path)
    assert read.template
    assert read.data is not None
    assert read.data["interventions"][0]["splits"][0]["departments"] == ["BFH", "JOB", "SKO"]


def test_a_formula_typed_into_a_template_input_is_refused(blank: Path, tmp_path: Path) -> None:
    path = fill(blank, {"B4": "S-1", "B5": '=HYPERLINK("http://x","Familie")'},
                tmp_path / "formel.xlsx")
    _, problems = scenario_from_workbook(path)
    assert [p.where for p in problems] == ["Lagkage!B5"]
