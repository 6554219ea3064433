"""``finans calc``: the calculator on a scenario JSON file or a controller workbook, no database.

Only what the calculation needs is imported up front, so the command starts quickly; the text
report and the workbook reader and writer are imported when asked for.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from finans.allocation.engine import collector_paused
from finans.allocation.periods import parse_period_in_year
from finans.allocation.problems import Problem
from finans.allocation.records import Scenario
from finans.allocation.result import calc_document, error_document
from finans.allocation.settlement import SettlementMode
from finans.allocation.validation import parse_scenario
from finans.cli.exits import EXIT_INVALID
from finans.cli.jsonfile import read_json_file


def read_scenario_file(path: Path) -> tuple[Scenario | None, list[Problem]]:
    """Parse a scenario JSON file or a controller workbook into records, collecting problems."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from finans.excel.reader import scenario_from_workbook

        data, problems = scenario_from_workbook(path)
        if data is None:
            return None, problems
        return parse_scenario(data)
    data, problems = read_json_file(path)
    if problems:
        return None, problems
    return parse_scenario(data)


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--from", "start", metavar="DATO",
              help="Periodens første dag (ÅÅÅÅ-MM-DD); standard: 1. januar.")
@click.option("--to", "end", metavar="DATO",
              help="Periodens sidste dag (ÅÅÅÅ-MM-DD); standard: 31. december.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text", "xlsx"]), default="json",
    show_default=True, help="Output: JSON (maskiner), tekst (mennesker) eller regneark.",
)
@click.option(
    "--settlement", "mode", type=click.Choice(["pairwise", "minimal"]), default="pairwise",
    show_default=True, help="Parvis nettet afregning eller færrest mulige overførsler.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
              help="Skriv til en fil.")
def calc(
    file: Path, start: str | None, end: str | None, fmt: str, mode: str, out: Path | None
) -> None:
    """Beregn fordelingen for en periode ud fra en scenarie-fil (JSON) eller et regneark (xlsx)."""
    # The command builds large trees of small objects that never form cycles and ends soon after:
    # the cyclic collector would only rescan them again and again.
    with collector_paused():
        _calc(file, start, end, fmt, mode, out)


def _calc(
    file: Path, start: str | None, end: str | None, fmt: str, mode: str, out: Path | None
) -> None:
    period, problems = parse_period_in_year(start, end, date.today().year)
    scenario, scenario_problems = read_scenario_file(file)
    problems = problems + scenario_problems
    if problems or scenario is None or period is None:
        if fmt == "text":
            from finans.report import render_problems

            click.echo(render_problems(problems))
        else:
            _emit(error_document(problems, period), None)
        sys.exit(EXIT_INVALID)
    settlement_mode: SettlementMode = "minimal" if mode == "minimal" else "pairwise"
    if fmt == "json":
        _emit(calc_document(scenario, period, settlement_mode), out)
    elif fmt == "text":
        from finans.report import render_text

        _emit(render_text(scenario, period, settlement_mode), out)
    else:
        from finans.excel.writer import write_calc_workbook

        target = out or file.with_suffix(".beregning.xlsx")
        write_calc_workbook(scenario, period, settlement_mode, target)
        click.echo(f"Skrev {target}")
