"""Allocation, settlement and the scenario over HTTP: the same figures as ``finans calc``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from finans.allocation.records import Period
from finans.allocation.result import calc_result
from finans.allocation.validation import parse_scenario
from finans.cli import main

Auth = Callable[[str], dict[str, str]]
PERIODS = [("2026-01-01", "2026-12-31"), ("2025-04-01", "2025-06-30"), ("2025-11-17", "2026-02-03")]


def get_json(client: FlaskClient, path: str, auth: dict[str, str]) -> Any:
    response = client.get(path, headers=auth)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_allocation_is_finans_calc_on_the_dumped_scenario(
    client: FlaskClient, auth: Auth, tmp_path: Path, start: str, end: str
) -> None:
    dump = client.get("/api/v1/scenario", headers=auth("manager")).get_data(as_text=True)
    path = tmp_path / "scenario.json"
    path.write_text(dump, encoding="utf-8")
    cli = CliRunner().invoke(main, ["calc", str(path), "--from", start, "--to", end])
    assert cli.exit_code == 0, cli.output
    served = get_json(client, f"/api/v1/allocation?from={start}&to={end}", auth("manager"))
    assert served == json.loads(cli.output, parse_float=Decimal)
    assert served["lines"] and served["total"] != "0.00"


def test_allocation_is_the_engines_result_on_the_scenario_records(
    client: FlaskClient, auth: Auth
) -> None:
    scenario, problems = parse_scenario(get_json(client, "/api/v1/scenario", auth("admin")))
    assert scenario is not None and problems == []
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    served = get_json(client, "/api/v1/allocation?from=2026-01-01&to=2026-12-31&mode=minimal",
                      auth("controller"))
    assert served == json.loads(json.dumps(calc_result(scenario, period, "minimal")),
                                parse_float=Decimal)


def test_allocation_follows_a_change_at_once(client: FlaskClient, auth: Auth) -> None:
    path = "/api/v1/allocation?from=2027-01-01&to=2027-01-31"
    before = get_json(client, path, auth("manager"))
    intervention = get_json(client, "/api/v1/interventions/I-1", auth("caseworker"))
    cost = {**intervention["cost"], "amount": "99999.00"}
    cost.pop("end", None)
    changed = client.patch("/api/v1/interventions/I-1", headers=auth("caseworker"),
                           json={"cost": cost, "version": intervention["version"]})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    after = get_json(client, path, auth("manager"))
    assert before != after
    lines = [line for line in after["lines"] if line["intervention"] == "I-1"]
    assert sum(Decimal(line["amount"]) for line in lines) == Decimal("99999.00")


def test_the_period_defaults_to_the_current_year(client: FlaskClient, auth: Auth) -> None:
    year = date.today().year
    served = get_json(client, "/api/v1/allocation", auth("manager"))
    assert served["period"] == {"from": f"{year}-01-01", "to": f"{year}-12-31"}


@pytest.mark.parametrize(("query", "fields"), [
    ("from=2026-02-30&to=2026-03-01", ["from"]),
    ("from=2026-03-01", ["to"]),
    ("from=2026-03-01&to=2026-02-01", ["to"]),
    ("from=1990-01-01&to=2026-12-31", ["to"]),
    ("mode=cheapest", ["mode"]),
])
def test_an_invalid_period_is_a_located_422(
    client: FlaskClient, auth: Auth, query: str, fields: list[str]
) -> None:
    for path in ("/api/v1/allocation", "/api/v1/settlement", "/api/v1/export.xlsx"):
        response = client.get(f"{path}?{query}", headers=auth("manager"))
        assert response.status_code == 422
        assert [problem["where"] for problem in response.json["errors"]] == fields


def test_the_settlement_is_the_calculators(client: FlaskClient, auth: Auth) -> None:
    query = "from=2026-01-01&to=2026-06-30"
    calc = get_json(client, f"/api/v1/allocation?{query}", auth("controller"))
    served = get_json(client, f"/api/v1/settlement?{query}", auth("controller"))
    assert served == {"period": calc["period"], "mode": "pairwise",
                      "settlement": calc["settlement"]}
    minimal = get_json(client, f"/api/v1/settlement?{query}&mode=minimal", auth("controller"))
    assert 0 < len(minimal["settlement"]) <= len(served["settlement"])


@pytest.mark.parametrize("path", ["/api/v1/allocation", "/api/v1/settlement",
                                  "/api/v1/scenario", "/api/v1/export.xlsx"])
def test_caseworkers_do_not_get_every_cases_figures(
    client: FlaskClient, auth: Auth, path: str
) -> None:
    assert client.get(path, headers=auth("caseworker")).status_code == 403


def test_the_scenario_is_the_whole_database_as_a_loadable_dump(
    client: FlaskClient, auth: Auth
) -> None:
    scenario = get_json(client, "/api/v1/scenario", auth("manager"))
    assert len(scenario["departments"]) == 9
    assert len(scenario["cases"]) == 43
    assert parse_scenario(scenario)[1] == []
