"""The synthetic benchmark municipality: sizes, determinism and the shape of its split versions."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finans.allocation.validation import parse_scenario

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "synthetic.py"


def load_synthetic():
    spec = importlib.util.spec_from_file_location("synthetic_scenario", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic = load_synthetic()


@pytest.fixture(scope="module")
def scenario() -> dict:
    return synthetic.generate(seed=7, cases=100, interventions=400)


def splits_of(scenario: dict):
    for intervention in scenario["interventions"]:
        for split in intervention["splits"]:
            yield intervention, split


def departments_of(split: dict) -> set[str]:
    for key in ("shares", "responsibility", "savings"):
        if key in split:
            return set(split[key])
    return set(split["departments"])


@pytest.mark.parametrize(("cases", "interventions"), [(100, 400), (10, 4), (1, 3)])
def test_sizes_are_as_asked(cases, interventions):
    result = synthetic.generate(seed=2, cases=cases, interventions=interventions)
    assert len(result["departments"]) == 9
    assert len(result["cases"]) == cases
    assert len(result["interventions"]) == interventions
    assert len({c["ref"] for c in result["cases"]}) == cases
    assert len({i["id"] for i in result["interventions"]}) == interventions


def test_every_case_has_an_intervention_when_there_are_enough(scenario):
    assert {i["case"] for i in scenario["interventions"]} == {c["ref"] for c in scenario["cases"]}


def test_same_seed_gives_an_identical_scenario(scenario):
    assert synthetic.generate(seed=7, cases=100, interventions=400) == scenario


def test_another_seed_gives_another_scenario(scenario):
    assert synthetic.generate(seed=8, cases=100, interventions=400) != scenario


def test_each_intervention_has_one_to_four_versions_shared_by_two_to_four_departments(scenario):
    versions = Counter(len(i["splits"]) for i in scenario["interventions"])
    assert set(versions) == {1, 2, 3, 4}
    for _, split in splits_of(scenario):
        assert 2 <= len(departments_of(split)) <= 4


def test_versions_start_in_order_and_later_ones_mid_month(scenario):
    for intervention in scenario["interventions"]:
        dates = [split["effective_from"] for split in intervention["splits"]]
        assert dates[0] == intervention["cost"]["start"]
        assert dates == sorted(set(dates))
        assert all(5 <= int(day[8:]) <= 25 for day in dates[1:])
        if "end" in intervention["cost"]:
            assert dates[-1] <= intervention["cost"]["end"]


def test_fixed_shares_sum_to_exactly_100(scenario):
    for _, split in splits_of(scenario):
        if split["method"] == "fixed":
            assert sum(Decimal(pct) for pct in split["shares"].values()) == Decimal(100)


def test_mostly_agreed_splits_with_every_method_and_status(scenario):
    statuses = Counter(split["status"] for _, split in splits_of(scenario))
    methods = Counter(split["method"] for _, split in splits_of(scenario))
    assert set(methods) == {"fixed", "equal", "weighted", "savings"}
    assert set(statuses) == {"draft", "proposed", "agreed", "rejected"}
    assert statuses["agreed"] > sum(statuses.values()) / 2


def test_agreed_splits_are_approved_by_each_of_their_departments(scenario):
    for _, split in splits_of(scenario):
        if split["status"] == "agreed":
            assert {d["department"] for d in split["decisions"]} == departments_of(split)


def test_costs_start_inside_the_period_mostly_monthly_or_yearly(scenario):
    pers = Counter(i["cost"]["per"] for i in scenario["interventions"])
    assert set(pers) == {"once", "week", "month", "year"}
    assert pers["month"] + pers["year"] > len(scenario["interventions"]) / 2
    for intervention in scenario["interventions"]:
        assert "2024-01-01" <= intervention["cost"]["start"] <= "2026-12-31"
    ending = sum("end" in i["cost"] for i in scenario["interventions"])
    assert 0 < ending < len(scenario["interventions"])


def test_period_follows_start_and_months():
    result = synthetic.generate(seed=3, cases=20, interventions=60, start=date(2030, 3, 1),
                                months=2)
    assert {i["cost"]["start"][:7] for i in result["interventions"]} <= {"2030-03", "2030-04"}


def test_synthetic_scenario_parses_without_problems():
    data = synthetic.generate(seed=5, cases=50, interventions=200)
    parsed, problems = parse_scenario(data)
    assert problems == []
    assert parsed is not None and len(parsed.interventions) == 200


def test_command_line_writes_the_scenario(tmp_path, capsys):
    out = tmp_path / "scenario.json"
    assert synthetic.main([str(out), "--seed", "4", "--cases", "5", "--interventions", "9"]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == synthetic.generate(seed=4, cases=5, interventions=9)
    assert "9 indsatser" in capsys.readouterr().err
