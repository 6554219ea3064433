"""Issue 3: ``finans init && finans demo && finans dump demo.json && finans calc demo.json``
works, and the calculator's totals are the service layer's allocation for the same period."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from finans.allocation.money import format_ore
from finans.allocation.records import Period
from finans.services import figures
from finans.store.db import make_engine
from tests.acceptance.conftest import Finans

PERIODS = [("2026-01-01", "2026-12-31"), ("2025-03-15", "2027-02-10"), ("2026-07-01", "2026-07-31")]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_calc_on_the_dump_gives_the_service_layers_totals(
    finans: Finans, tmp_path: Path, start: str, end: str
) -> None:
    assert finans("dump", "demo.json").exit_code == 0
    result = finans("calc", "demo.json", "--from", start, "--to", end)
    assert result.exit_code == 0, result.output
    calculated = json.loads(result.stdout)
    period = Period(date.fromisoformat(start), date.fromisoformat(end))
    engine = make_engine(f"sqlite:///{tmp_path / 'finans.db'}")
    with Session(engine) as session:
        allocation = figures.allocation(session, period=period)
        whole = json.loads(figures.calc_json(session, period=period))
    engine.dispose()
    assert allocation.total > 0
    assert calculated["totals"] == {code: format_ore(ore) for code, ore in
                                    allocation.totals.items()}
    assert calculated["total"] == format_ore(allocation.total)
    assert calculated == whole


def test_the_demo_is_the_size_the_issue_asks_for_and_loads_only_once(finans: Finans) -> None:
    assert finans("dump", "demo.json").exit_code == 0
    data = json.loads(Path("demo.json").read_text(encoding="utf-8"))
    statuses = {split["status"] for iv in data["interventions"] for split in iv["splits"]}
    assert 8 <= len(data["departments"]) <= 9
    assert len(data["cases"]) == 43 and len(data["interventions"]) == 131
    assert statuses == {"draft", "proposed", "agreed", "rejected"}
    again = finans("demo")
    assert again.exit_code == 1 and "ikke tom" in again.output
    assert finans("dump", "again.json").exit_code == 0
    assert Path("again.json").read_bytes() == Path("demo.json").read_bytes()


def test_init_run_again_on_the_demo_changes_nothing(finans: Finans) -> None:
    assert finans("dump", "before.json").exit_code == 0
    again = finans("init")
    assert again.exit_code == 0 and "allerede opdateret" in again.output
    assert finans("dump", "after.json").exit_code == 0
    assert Path("after.json").read_bytes() == Path("before.json").read_bytes()
