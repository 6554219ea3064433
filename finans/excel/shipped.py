"""The workbooks shipped in ``spreadsheets/``, written by the same code as every other workbook.

- ``lagkage.xlsx``: the blank lagkage template with the demo municipality's departments;
- ``lagkage-eksempel.xlsx``: the template filled in for one demo case;
- ``controller-eksempel.xlsx``: the controller workbook of the demo municipality for 2026.

The demo municipality is generated as of :data:`DEMO_DAY`, so the files only change when the code
that writes them does. Regenerate them with ``make spreadsheets``
(``python -m finans.excel.shipped spreadsheets``); a test fails when they are out of date.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from finans.allocation.records import Period, Scenario
from finans.allocation.validation import parse_scenario
from finans.demo import demo_scenario
from finans.excel.template import write_template
from finans.excel.writer import write_controller_workbook

DEMO_DAY = date(2026, 3, 1)
PERIOD = Period(date(2026, 1, 1), date(2026, 12, 31))
EXAMPLE_CASE = 0
"""Index of the demo case shown in the filled-in template."""


def demo_records() -> Scenario:
    scenario, problems = parse_scenario(demo_scenario(DEMO_DAY))
    assert scenario is not None, problems
    return scenario


def _blank(target: Path, scenario: Scenario) -> None:
    write_template(target, scenario.departments)


def _example_template(target: Path, scenario: Scenario) -> None:
    case = scenario.cases[EXAMPLE_CASE]
    interventions = [iv for iv in scenario.interventions if iv.case == case.ref]
    write_template(target, scenario.departments, case, interventions)


def _controller(target: Path, scenario: Scenario) -> None:
    write_controller_workbook(target, scenario, PERIOD)


SHIPPED: dict[str, Callable[[Path, Scenario], None]] = {
    "lagkage.xlsx": _blank,
    "lagkage-eksempel.xlsx": _example_template,
    "controller-eksempel.xlsx": _controller,
}


def write_shipped(folder: Path) -> list[Path]:
    """Write every shipped workbook into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    scenario = demo_records()
    paths = []
    for name, write in SHIPPED.items():
        write(folder / name, scenario)
        paths.append(folder / name)
    return paths


if __name__ == "__main__":
    for path in write_shipped(Path(sys.argv[1] if len(sys.argv) > 1 else "spreadsheets")):
        print(f"Skrev {path}")
