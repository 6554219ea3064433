"""The controller workbook as written: the §6 layout, formats, live checks, charts, safe text."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from finans.allocation.engine import allocate
from finans.allocation.postings import Bookings, Chart, Entry, entries
from finans.allocation.records import Period, Scenario
from finans.allocation.settlement import settle
from finans.excel.cells import safe_text
from finans.excel.shipped import PERIOD
from finans.excel.writer import write_controller_workbook
from tests.excel.conftest import HOSTILE, scenario_of, small

SHEETS = {
    "Afdelinger": ["Kode", "Navn", "Kontostreng"],
    "Sager": ["Sagsnr", "Familie", "Koordinator", "Samtykke", "Udredningsdato"],
    "Indsatser": ["ID", "Sagsnr", "Indsats", "Lovgrundlag", "Bevilget af", "Betales af", "Beløb",
                  "Pr.", "Start", "Slut", "Refusionsberettiget", "Kontostreng"],
    "Fordeling": ["Indsats-ID", "Gælder fra", "Metode", "Vægt ansvar %", "Status", "Afdeling",
                  "Andel %", "Ansvar", "Gevinst", "Besparelse", "Begrundelse", "Sum andele %",
                  "Fordelings-ID"],
    "Fordelt": ["Indsats-ID", "Sagsnr", "Måned", "Afdeling", "Kontostreng", "Beløb",
                "Efterregulering af"],
    "Efterregulering": ["Bogført i", "Måned", "Indsats-ID", "Sagsnr", "Afdeling", "Betales af",
                        "Kontostreng", "Beløb"],
    "Afregning": ["Fra", "Til", "Beløb", "Fra kontostreng", "Til kontostreng"],
    "Posteringer": ["Dato", "Afdeling", "Kontostreng", "Debet", "Kredit", "Tekst"],
    "Oversigt": ["Afdeling", "Beløb", "Andel %"],
    "Refusion": ["Sagsnr", "Måned", "Grundlag", "Refusion",
                 "BFH", "BFA", "DAG", "SKO", "JOB", "UNG", "VOK", "SUN", "HJM"],
    "Refusionssatser": ["År", "Grænse 1", "Grænse 2", "Grænse 3", "Pct. 1", "Pct. 2", "Pct. 3"],
}


def values(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in load_workbook(path)[sheet].iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def opened(exported_year: Path) -> Any:
    return load_workbook(exported_year)


def test_sheets_and_headers_are_exactly_the_contract(opened: Any) -> None:
    assert opened.sheetnames == list(SHEETS)
    for name, headers in SHEETS.items():
        assert [cell.value for cell in opened[name][1]] == headers


def test_header_rows_are_bold_and_frozen_with_set_widths(opened: Any) -> None:
    for name in SHEETS:
        sheet = opened[name]
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width > 0


def test_rows_can_be_filtered_as_excel_tables(opened: Any) -> None:
    for name in ("Afdelinger", "Sager", "Indsatser", "Fordeling", "Fordelt", "Afregning",
                 "Refusion", "Refusionssatser"):
        tables = opened[name].tables
        assert list(tables) == [name]
        table = tables[name]
        assert table.ref == f"A1:{opened[name].cell(1, len(SHEETS[name])).column_letter}" \
            f"{opened[name].max_row}"
        assert [column.name for column in table.tableColumns] == SHEETS[name]


def test_amounts_and_dates_carry_danish_display_formats(opened: Any) -> None:
    assert opened["Indsatser"]["G2"].number_format == "#,##0.00"
    assert opened["Indsatser"]["I2"].number_format == "dd-mm-yyyy"
    assert opened["Sager"]["E2"].number_format == "dd-mm-yyyy"
    assert opened["Fordelt"]["F2"].number_format == "#,##0.00"
    assert opened["Fordelt"]["C2"].number_format == "mmm yyyy"


def test_the_lines_are_the_engines_allocation(demo: Scenario, opened: Any) -> None:
    allocation = allocate(demo, PERIOD)
    rows = list(opened["Fordelt"].iter_rows(min_row=2, values_only=True))
    accounts = {d.code: d.account for d in demo.departments}
    assert len(rows) == len(allocation.lines)
    for row, line in zip(rows, allocation.lines, strict=True):
        ident, case, month, department, account, amount, corrects = row
        assert corrects is None
        assert (ident, case, department, account) == (
            line.intervention, line.case, line.department, accounts[line.department]
        )
        assert f"{month:%Y-%m}" == line.month
        assert Decimal(repr(amount)) == Decimal(line.amount).scaleb(-2)


def test_the_overview_has_totals_shares_and_a_native_pie_chart(
    demo: Scenario, opened: Any
) -> None:
    allocation = allocate(demo, PERIOD)
    sheet = opened["Oversigt"]
    rows = list(sheet.iter_rows(min_row=2, max_row=len(allocation.totals) + 1, values_only=True))
    assert [(code, Decimal(repr(amount))) for code, amount, _ in rows] == [
        (code, Decimal(amount).scaleb(-2)) for code, amount in allocation.totals.items()
    ]
    for (_, _, share), amount in zip(rows, allocation.totals.values(), strict=True):
        exact = Fraction(amount, allocation.total) * 100
        assert abs(Fraction(repr(share)) - exact) <= Fraction(1, 20_000)
    assert len(sheet._charts) == 1
    assert type(sheet._charts[0]).__name__ == "PieChart"
    total_row = len(allocation.totals) + 3
    assert sheet[f"A{total_row}"].value == "I alt"
    assert Decimal(repr(sheet[f"B{total_row}"].value)) == Decimal(allocation.total).scaleb(-2)


def test_each_transfer_is_one_debit_and_one_credit_with_account_strings(
    demo: Scenario, opened: Any
) -> None:
    transfers = settle(allocate(demo, PERIOD))
    accounts = {d.code: d.account for d in demo.departments}
    settlement = list(opened["Afregning"].iter_rows(min_row=2, values_only=True))
    assert [
        (sent, received, Decimal(repr(amount)), sent_account, received_account)
        for sent, received, amount, sent_account, received_account in settlement
    ] == [
        (t.from_, t.to, Decimal(t.amount).scaleb(-2), accounts[t.from_], accounts[t.to])
        for t in transfers
    ]
    postings = list(opened["Posteringer"].iter_rows(min_row=2, values_only=True))
    assert len(postings) == 2 * len(transfers)
    for transfer, debit, credit in zip(transfers, postings[::2], postings[1::2], strict=True):
        amount = Decimal(transfer.amount).scaleb(-2)
        assert debit[1:5] == (transfer.from_, accounts[transfer.from_], debit[3], None)
        assert Decimal(repr(debit[3])) == amount
        assert credit[1:5] == (transfer.to, accounts[transfer.to], None, credit[4])
        assert Decimal(repr(credit[4])) == amount
        assert debit[0].date() == credit[0].date() == PERIOD.end
        assert debit[5] == credit[5] and transfer.from_ in debit[5]


def test_fordeling_has_a_row_per_department_per_version_and_a_live_check(
    demo: Scenario, opened: Any
) -> None:
    sheet = opened["Fordeling"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    first = rows[0]
    assert first[-2:] == ("=SUMIFS($G:$G,$A:$A,$A2,$B:$B,$B2,$E:$E,$E2)", None)
    weighted = [row for row in rows if row[2] == "vægtet"]
    assert weighted and all(isinstance(row[3], int | float) for row in weighted)
    assert all(str(row[6]).startswith("=100*") for row in weighted)
    fixed = [row for row in rows if row[2] == "fast"]
    assert all(isinstance(row[6], int | float) for row in fixed)
    assert all(row[3] is None for row in rows if row[2] != "vægtet")
    versions = {(row[0], row[1], row[4]) for row in rows}
    assert len(versions) == sum(len(iv.splits) for iv in demo.interventions)


def test_a_databases_export_names_each_version_and_selects_its_rows_by_that_id(
    demo: Scenario, tmp_path: Path
) -> None:
    ids = {iv.id: [100 + 10 * i + j for j in range(len(iv.splits))]
           for i, iv in enumerate(demo.interventions)}
    path = tmp_path / "ids.xlsx"
    write_controller_workbook(path, demo, PERIOD, split_ids=ids)
    rows = values(path, "Fordeling")[1:]
    first = rows[0]
    assert first[-2] == '=SUMIFS($G:$G,$A:$A,$A2,$B:$B,$B2,$E:$E,$E2,$M:$M,"="&$M2)'
    named = {(row[0], row[-1]) for row in rows}
    assert named == {(iv, split_id) for iv, numbers in ids.items() for split_id in numbers}


def test_input_sheets_offer_drop_down_lists(opened: Any) -> None:
    lists = {
        name: {dv.formula1 for dv in opened[name].data_validations.dataValidation}
        for name in ("Sager", "Indsatser", "Fordeling")
    }
    assert lists["Sager"] == {'"ja,nej"'}
    assert lists["Indsatser"] == {"'Afdelinger'!$A$2:$A$10", '"engang,uge,måned,år"',
                                  '"ja,nej"'}
    assert lists["Fordeling"] == {
        '"fast,lige,vægtet,besparelse"', '"kladde,foreslået,aftalt,afvist"',
        "'Afdelinger'!$A$2:$A$10",
    }


def test_formula_like_text_in_every_text_column_is_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "ondsindet.xlsx"
    write_controller_workbook(path, scenario_of(small(**HOSTILE)), PERIOD)
    workbook = load_workbook(path)
    written = {safe_text(text) for text in HOSTILE.values()}
    found: dict[str, list[Any]] = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in written:
                    found.setdefault(cell.value, []).append(cell)
    assert set(found) == written
    for cells in found.values():
        for cell in cells:
            assert cell.data_type == "s"
            assert cell.quotePrefix


def test_formula_like_text_is_a_string_cell_in_the_file_itself(tmp_path: Path) -> None:
    path = tmp_path / "ondsindet.xlsx"
    write_controller_workbook(path, scenario_of(small(**HOSTILE)), PERIOD)
    with zipfile.ZipFile(path) as archive:
        cases = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "HYPERLINK" in cases
    assert "<f>HYPERLINK" not in cases and "<f>" not in cases


def test_control_characters_are_replaced_and_the_export_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "styretegn.xlsx"
    # Input never holds control characters (it is refused), but records from elsewhere might.
    scenario = scenario_of(small())
    case = dataclasses.replace(scenario.cases[0], family="Familie\x07 A\x00")
    write_controller_workbook(path, dataclasses.replace(scenario, cases=(case,)), PERIOD)
    assert load_workbook(path)["Sager"]["B2"].value == "Familie\ufffd A\ufffd"


def test_amounts_are_written_with_their_own_decimal_digits(tmp_path: Path) -> None:
    path = tmp_path / "beloeb.xlsx"
    data = small(amount="609131505.68")
    data["interventions"][0]["cost"]["per"] = "once"
    write_controller_workbook(path, scenario_of(data), PERIOD)
    with zipfile.ZipFile(path) as archive:
        interventions = archive.read("xl/worksheets/sheet3.xml").decode()
    assert "<v>609131505.68</v>" in interventions
    assert "609131505.6799" not in interventions


def test_lines_continue_on_numbered_sheets_past_the_row_limit(
    demo: Scenario, tmp_path: Path
) -> None:
    path = tmp_path / "mange.xlsx"
    allocation = write_controller_workbook(path, demo, PERIOD, rows_per_sheet=500)
    workbook = load_workbook(path)
    names = [name for name in workbook.sheetnames if name.startswith("Fordelt")]
    expected = -(-len(allocation.lines) // 500)
    assert names == ["Fordelt"] + [f"Fordelt {i}" for i in range(2, expected + 1)]
    rows = []
    for name in names:
        sheet = workbook[name]
        assert [cell.value for cell in sheet[1]] == SHEETS["Fordelt"]
        rows += list(sheet.iter_rows(min_row=2, values_only=True))
        assert list(sheet.tables) == [name.replace(" ", "_")]
    assert len(rows) == len(allocation.lines)
    assert [(r[0], r[3]) for r in rows] == [(ln.intervention, ln.department)
                                           for ln in allocation.lines]


def test_an_empty_period_still_gives_every_sheet(demo: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    write_controller_workbook(path, demo, Period(date(2000, 1, 1), date(2000, 1, 31)))
    workbook = load_workbook(path)
    assert workbook.sheetnames == list(SHEETS)
    assert workbook["Fordelt"].max_row == 1


def test_closed_months_are_shown_as_booked_and_corrections_are_marked(tmp_path: Path) -> None:
    scenario = scenario_of(small())
    chart = Chart.of(scenario)
    lines = allocate(scenario, PERIOD).lines
    january = [line for line in lines if line.month == "2026-01"]
    booked = [entry._replace(amount=entry.amount + 100 if entry.department == "JOB" else
                             entry.amount) for entry in entries(january, chart)]
    correction = Entry("2026-02", "2026-01", "I-1", "S-1", "JOB", "BFH", -100, "5.68.90",
                       "5.28.21")
    path = tmp_path / "bogfoert.xlsx"
    write_controller_workbook(path, scenario, PERIOD,
                              bookings=Bookings("2026-01", booked, [correction]))
    workbook = load_workbook(path)
    rows = list(workbook["Fordelt"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(lines) + 1
    january_rows = [row for row in rows if row[2].month == 1]
    assert [(row[3], Decimal(repr(row[5]))) for row in january_rows] == [
        (entry.department, Decimal(entry.amount).scaleb(-2)) for entry in booked]
    assert rows[-1][:6] == ("I-1", "S-1", rows[-1][2], "JOB", "5.68.90", -1)
    assert rows[-1][2].month == 2 and rows[-1][6].month == 1
    assert all(row[6] is None for row in rows[:-1])
    listed = list(workbook["Efterregulering"].iter_rows(min_row=2, values_only=True))
    assert [(row[0].month, row[1].month, *row[2:7], row[7]) for row in listed] == [
        (2, 1, "I-1", "S-1", "JOB", "BFH", "5.68.90", -1)]


def test_an_interventions_own_account_string_is_exported_in_its_row(tmp_path: Path) -> None:
    data = small()
    data["interventions"][0]["account"] = "5.57.72"
    path = tmp_path / "konto.xlsx"
    write_controller_workbook(path, scenario_of(data), PERIOD)
    sheet = load_workbook(path)["Indsatser"]
    column = [cell.value for cell in sheet[1]].index("Kontostreng")
    assert sheet.cell(2, column + 1).value == "5.57.72"
