"""No CPR number is stored or shown: a CPR-like text is refused at its place by the calculator
and by the workbook import, the number is never echoed, and the database stays as it was."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.conftest import Finans
from tests.excel.conftest import find_row, set_cells

CPR = "010203-1234"


def test_calc_refuses_a_cpr_number_in_a_family_label_without_echoing_it(finans: Finans) -> None:
    assert finans("dump", "demo.json").exit_code == 0
    data = json.loads(Path("demo.json").read_text(encoding="utf-8"))
    data["cases"][0]["family"] = f"Familie {CPR}"
    Path("cpr.json").write_text(json.dumps(data), encoding="utf-8")
    result = finans("calc", "cpr.json")
    errors = json.loads(result.stdout)["errors"]
    assert result.exit_code == 2
    assert [(e["code"], e["where"]) for e in errors] == [("cpr_like", "cases[0].family")]
    assert CPR not in result.output and "0102031234" not in result.output


def test_import_refuses_a_cpr_number_at_its_cell_and_changes_nothing(finans: Finans) -> None:
    assert finans("export", "--from", "2026-01-01", "--to", "2026-01-31", "ud.xlsx").exit_code == 0
    cell = find_row(Path("ud.xlsx"), "Sager", {})["Familie"]
    set_cells(Path("ud.xlsx"), {cell: f"Familie {CPR}"})
    assert finans("dump", "before.json").exit_code == 0
    result = finans("import", "ud.xlsx", "--apply")
    assert result.exit_code == 2
    assert f"{cell}: " in result.output and "CPR" in result.output
    assert CPR not in result.output
    assert finans("dump", "after.json").exit_code == 0
    assert Path("after.json").read_bytes() == Path("before.json").read_bytes()
