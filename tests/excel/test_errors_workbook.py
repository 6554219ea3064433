"""The errors workbook: every problem, and the failing rows with their messages."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from finans.excel.errors_workbook import write_errors_workbook
from finans.excel.reader import check_workbook_data, read_workbook
from tests.excel.conftest import Edit, find_row


def test_failing_rows_are_listed_with_their_messages(
    exported: Path, edit: Edit, tmp_path: Path
) -> None:
    row = find_row(exported, "Indsatser", {"ID": "I-2"})
    share = find_row(exported, "Fordeling", {"Indsats-ID": "I-1", "Afdeling": "BFH"})
    edit(exported, {row["Beløb"]: "mange", share["Andel %"]: "=1+1"})
    read = read_workbook(exported)
    _, problems = check_workbook_data(read)
    out = tmp_path / "fejl.xlsx"
    write_errors_workbook(out, read, problems)
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Fejl", "Indsatser", "Fordeling"]
    overview = list(workbook["Fejl"].iter_rows(values_only=True))
    assert overview[0] == ("Sted", "Fejl")
    assert [where for where, _ in overview[1:]] == [row["Beløb"], share["Andel %"]]
    interventions = list(workbook["Indsatser"].iter_rows(values_only=True))
    assert interventions[0][0] == "Række" and interventions[0][-1] == "Fejl"
    assert interventions[0][1:-1] == ("ID", "Sagsnr", "Indsats", "Lovgrundlag", "Bevilget af",
                                      "Betales af", "Beløb", "Pr.", "Start", "Slut",
                                      "Refusionsberettiget", "Kontostreng")
    (failing,) = interventions[1:]
    number = int(row["Beløb"].split("!")[1][1:])
    assert failing[0] == number and failing[1] == "I-2" and failing[7] == "mange"
    assert failing[-1] == f"G{number}: 'mange' er ikke et tal (Beløb)"
    splits = workbook["Fordeling"]
    formula_cell = splits.cell(row=2, column=8)
    assert formula_cell.value == "=1+1" and formula_cell.data_type == "s"
