"""Reading workbooks back: round trips, what controllers type, and every problem by cell."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from finans.allocation.records import Scenario
from finans.allocation.validation import parse_scenario
from finans.excel.reader import EMPTY_RUN_LIMIT, read_workbook, scenario_from_workbook
from finans.excel.writer import write_controller_workbook
from tests.excel.conftest import HOSTILE, MONTH, Edit, find_row, scenario_of, small


def without_history(scenario: Scenario) -> Scenario:
    """What a workbook carries: no decisions, no core teams, versions by date."""
    return dataclasses.replace(
        scenario,
        cases=tuple(dataclasses.replace(case, core_team=()) for case in scenario.cases),
        interventions=tuple(
            dataclasses.replace(
                iv,
                splits=tuple(
                    dataclasses.replace(split, decisions=())
                    for split in sorted(iv.splits, key=lambda split: split.effective_from)
                ),
            )
            for iv in scenario.interventions
        ),
    )


def read_back(path: Path) -> Scenario:
    data, problems = scenario_from_workbook(path)
    assert data is not None, problems
    scenario, problems = parse_scenario(data)
    assert scenario is not None, problems
    return scenario


def problems_of(path: Path) -> list[tuple[str, str]]:
    data, problems = scenario_from_workbook(path)
    assert data is None
    return [(problem.where, problem.message) for problem in problems]


def cell_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


# --- round trips --------------------------------------------------------------------------------


def test_a_workbook_reads_back_as_the_scenario_it_was_written_from(
    demo: Scenario, exported: Path
) -> None:
    assert read_back(exported) == without_history(demo)


def test_export_import_export_gives_the_same_cells(exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "igen.xlsx"
    write_controller_workbook(again, read_back(exported), MONTH)
    assert cell_values(again) == cell_values(exported)


def test_a_workbook_saved_again_by_a_spreadsheet_program_reads_the_same(
    demo: Scenario, exported: Path, edit: Edit
) -> None:
    edit(exported, {})
    assert read_back(exported) == without_history(demo)


def test_computed_sheets_are_ignored(demo: Scenario, exported: Path, edit: Edit) -> None:
    edit(exported, {"Fordelt!F2": "=EVIL()", "Fordelt!A3": "ikke et ID", "Oversigt!B2": "x",
                    "Afregning!C2": "=1/0", "Posteringer!D2": "mange"})
    assert read_back(exported) == without_history(demo)


def test_the_workbook_reads_without_its_computed_sheets(demo: Scenario, exported: Path) -> None:
    workbook = load_workbook(exported)
    for name in ("Fordelt", "Afregning", "Posteringer", "Oversigt"):
        del workbook[name]
    workbook.save(exported)
    assert read_back(exported) == without_history(demo)


def test_formula_like_text_survives_a_round_trip_as_text(tmp_path: Path) -> None:
    """Text stays text, even when a spreadsheet would take it for a formula."""
    hostile = scenario_of(small(**HOSTILE))
    path = tmp_path / "ondsindet.xlsx"
    write_controller_workbook(path, hostile, MONTH)
    read = read_back(path)
    assert read.cases[0].family == HOSTILE["family"]
    assert read.departments[0].code == HOSTILE["code"]
    assert read.interventions[0].title == HOSTILE["title"]
    assert read.cases[0].coordinator == HOSTILE["coordinator"]
    assert read.interventions[0].splits[0].rationale == HOSTILE["rationale"]


# --- accepted input forms -----------------------------------------------------------------------


def test_percent_formatted_shares_are_read_as_percent(exported: Path) -> None:
    first = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    second = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "JOB"})
    workbook = load_workbook(exported)
    for where, value in ((first["Andel %"], 0.7), (second["Andel %"], 0.3)):
        cell = workbook["Fordeling"][where.partition("!")[2]]
        cell.value = value
        cell.number_format = "0%"
    workbook.save(exported)
    shares = read_back(exported).interventions[0].splits[0].shares
    assert {code: str(value) for code, value in shares} == {"BFH": "70.0", "JOB": "30.0"}


def test_danish_text_numbers_and_dates_are_accepted(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-1"})
    edit(exported, {row["Beløb"]: "9.500,50", row["Start"]: "12.06.2024",
                    row["Pr."]: " Måned ", row["Slut"]: "31-12-2030"})
    cost = read_back(exported).interventions[0].cost
    assert (cost.amount, cost.per.value, str(cost.start), str(cost.end)) == (
        950050, "month", "2024-06-12", "2030-12-31")


def test_percent_signs_typed_as_text_are_accepted(exported: Path, edit: Edit) -> None:
    first = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    second = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "JOB"})
    edit(exported, {first["Andel %"]: "75 %", second["Andel %"]: "25,0 %"})
    shares = dict(read_back(exported).interventions[0].splits[0].shares)
    assert shares == {"BFH": 75, "JOB": 25}


def test_trailing_spaces_are_ignored_in_text_words_and_headers(
    demo: Scenario, exported: Path, edit: Edit
) -> None:
    row = find_row(exported, "Sager", {"Sagsnr": demo.cases[0].ref})
    edit(exported, {row["Samtykke"]: "Ja  ", row["Koordinator"]: "  raadgiver.bfh ",
                    "Sager!A1": " sagsnr ", "Fordeling!C1": "METODE "})
    case = read_back(exported).cases[0]
    assert (case.consent, case.coordinator) == (True, "raadgiver.bfh")


def test_columns_may_come_in_any_order(demo: Scenario, exported: Path) -> None:
    workbook = load_workbook(exported)
    sheet = workbook["Afdelinger"]
    for row in sheet.iter_rows():
        row[0].value, row[2].value = row[2].value, row[0].value
    del sheet.tables["Afdelinger"]
    workbook.save(exported)
    assert read_back(exported).departments == demo.departments


def test_extra_columns_and_empty_rows_in_between_are_ignored(
    demo: Scenario, exported: Path, edit: Edit
) -> None:
    workbook = load_workbook(exported)
    sheet = workbook["Afdelinger"]
    sheet["E1"] = "Bemærkning"
    sheet["E2"] = "=HYPERLINK(\"http://x\")"
    sheet.insert_rows(4, 3)
    workbook.save(exported)
    assert read_back(exported).departments == demo.departments


def test_a_sheet_with_200000_empty_formatted_rows_is_read_quickly(
    demo: Scenario, exported: Path, tmp_path: Path
) -> None:
    """The rows are styled cells without values, as Excel writes a formatted column."""
    with zipfile.ZipFile(exported) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet4.xml"].decode()
    last = max(int(number) for number in re.findall(r'<row r="([0-9]+)"', sheet))
    empty = "".join(
        f'<row r="{n}"><c r="A{n}" s="1"/><c r="F{n}" s="1"/><c r="G{n}" s="1"/></row>'
        for n in range(last + 1, last + 200_001)
    )
    sheet = sheet.replace("</sheetData>", empty + "</sheetData>")
    parts["xl/worksheets/sheet4.xml"] = sheet.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path = tmp_path / "formateret.xlsx"
    path.write_bytes(buffer.getvalue())
    assert read_back(path) == without_history(demo)


def test_rows_after_a_long_run_of_empty_rows_are_not_read(exported: Path, edit: Edit) -> None:
    far = 2 + 100 + EMPTY_RUN_LIMIT
    edit(exported, {f"Afdelinger!A{far}": "NY", f"Afdelinger!B{far}": "Ny afdeling"})
    assert "NY" not in {d.code for d in read_back(exported).departments}


# --- problems, each at its cell -----------------------------------------------------------------


def test_a_share_total_off_100_is_shown_at_the_versions_first_share(
    exported: Path, edit: Edit
) -> None:
    first = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    edit(exported, {first["Andel %"]: 70})
    assert problems_of(exported) == [
        (first['Andel %'],
         "Andelene for indsats I-1 fra 12-06-2024 summerer til 90 %, ikke 100 %")
    ]


def test_a_word_in_an_amount_is_shown_at_its_cell(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    edit(exported, {row["Beløb"]: "mange penge"})
    assert problems_of(exported) == [
        (row['Beløb'], "'mange penge' er ikke et tal (Beløb)")
    ]


def test_an_unknown_period_word_is_shown_at_its_cell(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    edit(exported, {row["Pr."]: "kvartal"})
    assert problems_of(exported) == [
        (row['Pr.'],
         "'kvartal' er ikke en gyldig værdi; brug engang, uge, måned, år (Pr.)")
    ]


def test_a_bad_date_is_shown_at_its_cell(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    edit(exported, {row["Start"]: "30-02-2026"})
    assert problems_of(exported) == [
        (row['Start'],
         "'30-02-2026' er ikke en dato (skriv fx 23-11-2026) (Start)")
    ]


def test_sub_ore_amounts_are_shown_at_their_cell(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    edit(exported, {row["Beløb"]: "100,005"})
    assert problems_of(exported) == [
        (row['Beløb'], "Beløbet har mere end to decimaler (brøkdele af en øre)")
    ]


def test_an_empty_required_cell_is_shown_once(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    edit(exported, {row["Indsats"]: None})
    assert problems_of(exported) == [(row['Indsats'], "Skal udfyldes (Indsats)")]


def test_a_formula_in_an_input_cell_is_a_problem_never_evaluated(
    exported: Path, edit: Edit
) -> None:
    first = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    edit(exported, {first["Andel %"]: "=40+40"})
    assert problems_of(exported) == [
        (first['Andel %'], "Formler er ikke tilladt her; skriv selve værdien "
         "(Andel %)")
    ]


def test_a_hyperlink_formula_in_a_family_label_is_refused(
    demo: Scenario, exported: Path, edit: Edit
) -> None:
    row = find_row(exported, "Sager", {"Sagsnr": demo.cases[0].ref})
    edit(exported, {row["Familie"]: '=HYPERLINK("http://evil.example","Familie A")'})
    assert [where for where, _ in problems_of(exported)] == [row['Familie']]


def test_a_hyperlink_typed_as_text_is_only_text(
    demo: Scenario, exported: Path
) -> None:
    text = '=HYPERLINK("http://evil.example","Familie A")'
    workbook = load_workbook(exported)
    workbook["Sager"]["B2"] = text
    workbook["Sager"]["B2"].data_type = "s"
    workbook.save(exported)
    assert read_back(exported).cases[0].family == text


def test_a_cpr_number_in_a_text_cell_is_refused_at_its_cell(
    demo: Scenario, exported: Path, edit: Edit
) -> None:
    row = find_row(exported, "Sager", {"Sagsnr": demo.cases[0].ref})
    edit(exported, {row["Familie"]: "Familie 010190-1234"})
    problems = problems_of(exported)
    assert [where for where, _ in problems] == [row['Familie']]
    assert "1234" not in problems[0][1]


def test_an_unknown_department_in_a_split_is_shown_at_its_department_cell(
    exported: Path, edit: Edit
) -> None:
    row = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "JOB"})
    edit(exported, {row["Afdeling"]: "XYZ"})
    assert problems_of(exported) == [
        (row['Afdeling'], "Afdelingen 'XYZ' findes ikke")
    ]


def test_a_split_row_for_an_unknown_intervention_is_a_problem(exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "JOB"})
    edit(exported, {row["Indsats-ID"]: "I-999"})
    problems = problems_of(exported)
    assert (row['Indsats-ID'],
            "Indsatsen 'I-999' findes ikke i arket Indsatser") in problems


def test_rows_of_one_version_must_agree_on_its_method(exported: Path, edit: Edit) -> None:
    first = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    second = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "JOB"})
    edit(exported, {second["Metode"]: "lige"})
    assert problems_of(exported) == [
        (second['Metode'],
         f"Metode skal være den samme i alle rækker af fordelingen for I-1 fra 12-06-2024 "
         f"(se {first['Metode']})")
    ]


def test_a_department_twice_in_one_version_is_a_problem(exported: Path, edit: Edit) -> None:
    second = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "JOB"})
    edit(exported, {second["Afdeling"]: "BFH"})
    assert (second['Afdeling'],
            "Afdelingen BFH står mere end én gang i fordelingen for I-1 fra 12-06-2024"
            ) in problems_of(exported)


def test_a_missing_sheet_is_named(exported: Path) -> None:
    workbook = load_workbook(exported)
    del workbook["Sager"]
    workbook.save(exported)
    assert problems_of(exported) == [("Sager!A1", "Arket 'Sager' mangler i projektmappen")]


def test_a_missing_column_is_named(exported: Path, edit: Edit) -> None:
    edit(exported, {"Indsatser!H1": "Hvor tit"})
    assert problems_of(exported) == [
        ("Indsatser!A1", "Kolonnen 'Pr.' mangler i arket Indsatser (overskrifterne står i række 1)")
    ]


def test_a_column_twice_is_named(exported: Path, edit: Edit) -> None:
    edit(exported, {"Afdelinger!E1": "Navn"})
    assert problems_of(exported) == [
        ("Afdelinger!E1", "Kolonnen 'Navn' står to gange i arket Afdelinger")
    ]


def test_all_problems_are_reported_at_once(demo: Scenario, exported: Path, edit: Edit) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    first = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    edit(exported, {row["Beløb"]: "x", row["Start"]: "i morgen", first["Andel %"]: 1})
    assert len(problems_of(exported)) == 3


def test_a_sheet_that_is_no_workbook_of_ours_names_the_missing_sheets(tmp_path: Path) -> None:
    path = tmp_path / "andet.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = datetime(2026, 1, 1)
    workbook.save(path)
    read = read_workbook(path)
    assert read.data is None
    assert [p.code for p in read.problems] == ["missing_sheet"] * 4


def test_an_account_string_in_indsatser_is_read_and_a_wrong_one_named_by_its_cell(
    exported: Path, edit: Edit
) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-1"})
    edit(exported, {row["Kontostreng"]: "5.57.72"})
    assert next(iv for iv in read_back(exported).interventions if iv.id == "I-1").account \
        == "5.57.72"
    edit(exported, {row["Kontostreng"]: "5-57-72"})
    assert [where for where, _ in problems_of(exported)] == [row["Kontostreng"]]


def test_a_workbook_without_the_kontostreng_column_still_reads(
    demo: Scenario, exported: Path
) -> None:
    workbook = load_workbook(exported)
    sheet = workbook["Indsatser"]
    column = [cell.value for cell in sheet[1]].index("Kontostreng") + 1
    sheet.delete_cols(column)
    workbook.save(exported)
    read = read_back(exported)
    assert all(iv.account is None for iv in read.interventions)
