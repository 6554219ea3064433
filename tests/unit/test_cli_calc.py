"""``finans calc`` on scenario JSON: the contract's output, Danish text, located errors, exit 2."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from finans.cli import main

EXAMPLE = Path(__file__).parents[2] / "examples" / "aflastning.json"


def _design_example() -> dict[str, object]:
    """Only intervention I-1 of the example: the worked case of the calculation notes."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["interventions"] = [i for i in data["interventions"] if i["id"] == "I-1"]
    return data


def _calc(tmp_path: Path, data: object, *args: str) -> tuple[int, str]:
    path = tmp_path / "scenario.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["calc", str(path), *args])
    return result.exit_code, result.output


def test_json_output_matches_the_worked_example_to_the_ore(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, _design_example(), "--from", "2026-01-01", "--to", "2026-12-31")
    result = json.loads(out)
    assert code == 0
    assert result["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert result["lines"][0] == {
        "intervention": "I-1", "case": "S-2026-0001", "month": "2026-01",
        "department": "BFH", "amount": "3948.39",
    }
    assert result["totals"] == {"BFH": "81948.39", "JOB": "56632.26"}
    assert result["total"] == "138580.65"
    assert result["settlement"] == [{"from": "JOB", "to": "BFH", "amount": "56632.26"}]
    assert result["unsplit"] == []
    assert result["errors"] == []


def test_lines_are_sorted_by_intervention_month_and_department(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, EXAMPLE.read_text(encoding="utf-8"),
                      "--from", "2026-01-01", "--to", "2026-12-31")
    lines = json.loads(out)["lines"]
    keys = [(line["intervention"], line["month"], line["department"]) for line in lines]
    assert code == 0
    assert keys == sorted(keys)
    assert all(line["amount"] != "0.00" for line in lines)


def test_text_report_is_danish_with_totals_shares_and_transfers(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, _design_example(), "--from", "2026-01-01", "--to", "2026-12-31",
                      "--format", "text")
    assert code == 0
    assert "Periode: 01-01-2026 – 31-12-2026" in out
    assert "81.948,39" in out and "59,1 %" in out
    assert "138.580,65" in out
    assert "JOB  BFH    56.632,26" in out


def test_minimal_settlement_is_selected_by_flag(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, EXAMPLE.read_text(encoding="utf-8"),
                      "--from", "2026-01-01", "--to", "2026-12-31", "--settlement", "minimal")
    result = json.loads(out)
    paid_minus_allocated: dict[str, int] = {}
    for transfer in result["settlement"]:
        cents = int(transfer["amount"].replace(".", ""))
        paid_minus_allocated[transfer["to"]] = paid_minus_allocated.get(transfer["to"], 0) + cents
        paid_minus_allocated[transfer["from"]] = (
            paid_minus_allocated.get(transfer["from"], 0) - cents
        )
    assert code == 0
    assert sum(paid_minus_allocated.values()) == 0
    assert len(result["settlement"]) <= 2


def test_period_defaults_to_the_current_calendar_year(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, _design_example())
    year = date.today().year
    assert code == 0
    assert json.loads(out)["period"] == {"from": f"{year}-01-01", "to": f"{year}-12-31"}


def test_invalid_scenario_exits_2_with_every_problem_located(tmp_path: Path) -> None:
    data = _design_example()
    data["interventions"][0]["cost"]["amount"] = "12.345"
    data["interventions"][0]["splits"][0]["shares"] = {"BFH": "60", "JOB": "30"}
    code, out = _calc(tmp_path, data, "--from", "2026-01-01", "--to", "2026-12-31")
    result = json.loads(out)
    wheres = {error["where"] for error in result["errors"]}
    assert code == 2
    assert "interventions[0].cost.amount" in wheres
    assert any(where.startswith("interventions[0].splits[0].shares") for where in wheres)
    assert result["lines"] == [] and result["totals"] == {}
    assert any("summerer til 90 %" in error["message"] for error in result["errors"])


def test_json_syntax_error_is_located_by_line_and_column_in_danish(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, '{"departments": [}', "--format", "text")
    assert code == 2
    assert f"{tmp_path / 'scenario.json'}:1:18: Ugyldig JSON: der mangler en værdi" in out
    assert "Expecting" not in out and "Traceback" not in out


def test_json_syntax_error_in_the_json_output_names_file_line_and_column(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, "{departments: []}")
    (error,) = json.loads(out)["errors"]
    assert code == 2
    assert error == {
        "code": "json_syntax",
        "message": "Ugyldig JSON: der mangler et feltnavn i dobbelte anførselstegn",
        "where": f"{tmp_path / 'scenario.json'}:1:2",
    }


def test_period_to_before_from_is_refused(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, _design_example(), "--from", "2026-02-01", "--to", "2026-01-01")
    assert code == 2
    assert json.loads(out)["errors"][0]["where"] == "period.to"
