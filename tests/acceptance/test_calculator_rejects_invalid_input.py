"""Issue 2: ``finans calc`` rejects every listed kind of invalid input with exit status 2,
nothing but the JSON on stdout, and each problem located and explained in Danish."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from finans.cli import main

Scenario = dict[str, Any]


def valid_scenario() -> Scenario:
    """The design's worked example with a third department, a weighted and a savings split."""
    return {
        "departments": [
            {"code": "BFH", "name": "Børn og Familie – børnehandicap", "account": "5.28.21"},
            {"code": "JOB", "name": "Jobcenter", "account": "5.68.90"},
            {"code": "SKO", "name": "Skole og PPR", "account": "3.22.08"},
        ],
        "cases": [
            {"ref": "S-2026-0001", "family": "Familie A", "coordinator": "raadgiver.bfh",
             "consent": True, "assessed_on": "2026-01-10"},
        ],
        "interventions": [
            {"id": "I-1", "case": "S-2026-0001", "title": "Aflastning",
             "legal_basis": "Barnets lov § 32", "granted_by": "BFH", "paid_by": "BFH",
             "cost": {"amount": "12000.00", "per": "month", "start": "2026-01-15",
                      "end": "2026-12-31"},
             "splits": [
                 {"effective_from": "2026-01-15", "method": "fixed", "status": "agreed",
                  "shares": {"BFH": "60", "JOB": "40"}},
                 {"effective_from": "2026-07-01", "method": "weighted", "status": "agreed",
                  "alpha": "0.5", "responsibility": {"BFH": "2", "JOB": "1"},
                  "benefit": {"BFH": "1", "JOB": "1"}},
             ]},
            {"id": "I-2", "case": "S-2026-0001", "title": "Efterskole",
             "legal_basis": "Barnets lov § 35", "granted_by": "BFH", "paid_by": "BFH",
             "cost": {"amount": "45000.00", "per": "once", "start": "2026-08-10"},
             "splits": [
                 {"effective_from": "2026-08-10", "method": "savings", "status": "agreed",
                  "savings": {"BFH": "30000.00", "SKO": "60000.00"}},
             ]},
        ],
    }


def cost(data: Scenario) -> dict[str, Any]:
    return data["interventions"][0]["cost"]


def split(data: Scenario, index: int) -> dict[str, Any]:
    return data["interventions"][0]["splits"][index]


# name → (change to the valid scenario, expected code, expected location, words of the message)
INVALID: dict[str, tuple[Callable[[Scenario], object], str, str, str]] = {
    "a non-numeric amount": (
        lambda d: cost(d).update(amount="tolv"),
        "not_number", "interventions[0].cost.amount", "er ikke et tal"),
    "a negative amount": (
        lambda d: cost(d).update(amount="-5.00"),
        "negative", "interventions[0].cost.amount", "må ikke være negativt"),
    "a sub-øre amount": (
        lambda d: cost(d).update(amount="10.005"),
        "sub_ore", "interventions[0].cost.amount", "mere end to decimaler"),
    "an unknown per": (
        lambda d: cost(d).update(per="day"),
        "unknown_per", "interventions[0].cost.per", "Ukendt betalingsperiode"),
    "a malformed date": (
        lambda d: cost(d).update(start="2026-13-45"),
        "bad_date", "interventions[0].cost.start", "er ikke en gyldig dato"),
    "an end before the start": (
        lambda d: cost(d).update(end="2026-01-01"),
        "end_before_start", "interventions[0].cost.end", "ligger før startdatoen"),
    "shares that do not sum to 100": (
        lambda d: split(d, 0)["shares"].update(JOB="30"),
        "shares_sum", "interventions[0].splits[0].shares", "summerer til 90 %, ikke 100 %"),
    "a negative share": (
        lambda d: split(d, 0)["shares"].update(BFH="110", JOB="-10"),
        "negative", "interventions[0].splits[0].shares.JOB", "må ikke være negativ"),
    "an unknown department in a split": (
        lambda d: split(d, 0)["shares"].update(XYZ="0"),
        "unknown_department", "interventions[0].splits[0].shares.XYZ", "findes ikke"),
    "an unknown granting department": (
        lambda d: d["interventions"][0].update(granted_by="XYZ"),
        "unknown_department", "interventions[0].granted_by", "findes ikke"),
    "an unknown paying department": (
        lambda d: d["interventions"][0].update(paid_by="XYZ"),
        "unknown_department", "interventions[0].paid_by", "findes ikke"),
    "an unknown case": (
        lambda d: d["interventions"][0].update(case="S-9999-0001"),
        "unknown_case", "interventions[0].case", "findes ikke"),
    "a duplicate department code": (
        lambda d: d["departments"].append(dict(d["departments"][0])),
        "duplicate_department", "departments[3].code", "mere end én gang"),
    "a duplicate intervention id": (
        lambda d: d["interventions"][1].update(id="I-1"),
        "duplicate_intervention", "interventions[1].id", "mere end én gang"),
    "alpha outside 0 to 1": (
        lambda d: split(d, 1).update(alpha="1.5"),
        "alpha_range", "interventions[0].splits[1].alpha", "mellem 0 og 1"),
    "a weighted side with weight whose values are all zero": (
        lambda d: split(d, 1).update(benefit={"BFH": "0", "JOB": "0"}),
        "zero_weights", "interventions[0].splits[1].benefit", "gevinst over 0"),
    "savings that are all zero": (
        lambda d: d["interventions"][1]["splits"][0].update(savings={"BFH": "0", "SKO": "0"}),
        "zero_weights", "interventions[1].splits[0].savings", "besparelse over 0"),
    "two agreed versions from the same day": (
        lambda d: split(d, 1).update(effective_from="2026-01-15"),
        "duplicate_agreed_version", "interventions[0].splits[1].effective_from",
        "to aftalte fordelinger"),
    "an unknown method": (
        lambda d: split(d, 0).update(method="proportional"),
        "unknown_method", "interventions[0].splits[0].method", "Ukendt fordelingsmetode"),
    "an unknown status": (
        lambda d: split(d, 0).update(status="approved"),
        "unknown_status", "interventions[0].splits[0].status", "Ukendt status"),
}


def calc(path: Path, *period: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["calc", str(path), *period])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


def test_the_valid_scenario_calculates(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(valid_scenario()), encoding="utf-8")
    code, out = calc(path, "--from", "2026-01-01", "--to", "2026-12-31")
    assert code == 0
    assert json.loads(out)["totals"]["JOB"] == "56632.26"


@pytest.mark.parametrize("name", list(INVALID))
def test_each_kind_of_invalid_input_exits_2_with_its_located_danish_problem(
    name: str, tmp_path: Path
) -> None:
    change, code, where, words = INVALID[name]
    data = copy.deepcopy(valid_scenario())
    change(data)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    status, out = calc(path, "--from", "2026-01-01", "--to", "2026-12-31")
    result = json.loads(out)
    assert status == 2
    assert result["lines"] == [] and result["totals"] == {} and result["settlement"] == []
    assert [(e["code"], e["where"]) for e in result["errors"]] == [(code, where)]
    assert words in result["errors"][0]["message"]


def test_a_period_ending_before_it_starts_exits_2_located_at_to(tmp_path: Path) -> None:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(valid_scenario()), encoding="utf-8")
    status, out = calc(path, "--from", "2026-12-31", "--to", "2026-01-01")
    errors = json.loads(out)["errors"]
    assert status == 2
    assert [(e["code"], e["where"]) for e in errors] == [("end_before_start", "period.to")]
    assert "Til-datoen ligger før fra-datoen (01-01-2026 før 31-12-2026)" in errors[0]["message"]


def test_every_problem_of_one_file_is_reported_at_once(tmp_path: Path) -> None:
    data = valid_scenario()
    for change, *_ in INVALID.values():
        candidate = copy.deepcopy(data)
        change(candidate)
        data = candidate
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    status, out = calc(path, "--from", "2026-01-01", "--to", "2026-12-31", "--format", "text")
    assert status == 2
    assert out.startswith("Inputtet er ugyldigt – intet er beregnet:")
    assert len(out.splitlines()) > 10
    assert "Traceback" not in out
