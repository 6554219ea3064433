"""Workbook commands: ``export``, ``import`` and ``template``.

``finans calc WORKBOOK.xlsx`` needs no database and lives in :mod:`finans.cli.calc`; it reads the
workbook with :func:`finans.excel.reader.scenario_from_workbook` and writes ``--format xlsx`` with
:func:`finans.excel.writer.write_calc_workbook`. The commands here work on the configured database
(see :class:`finans.config.Settings`) and act as an administrator named after the operating-system
user. Exit status: 0 done, 1 refused (the database is not set up, a case does not exist), 2
problems in the input, each printed as ``Sheet!Cell: message``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from finans.allocation.periods import parse_period_in_year
from finans.cli.common import (
    cli_actor,
    database_session,
    fail,
    fail_problems,
)
from finans.cli.exits import EXIT_INVALID
from finans.excel.errors_workbook import write_errors_workbook
from finans.excel.guard import MB, Limits
from finans.excel.imports import import_workbook
from finans.excel.layout import TEMPLATE_SHEET
from finans.excel.template import write_template
from finans.excel.writer import write_controller_workbook
from finans.services import bookkeeping
from finans.services.audit import FIELD_NAMES
from finans.services.errors import Refusal
from finans.services.figures import records_with_split_ids, scenario_records
from finans.services.scenario import KIND_NAMES


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on a terminal, or ``None`` when output is piped.

    The bar appears at the first report, when the total is known.
    """
    if not sys.stderr.isatty():
        yield None
        return
    with ExitStack() as stack:
        bar: Any = None

        def report(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = stack.enter_context(
                    click.progressbar(length=total, label=label, file=sys.stderr)
                )
            bar.update(done - bar.pos)

        yield report


@click.command()
@click.argument("out", metavar="OUT.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "start", metavar="DATO",
              help="Periodens første dag (ÅÅÅÅ-MM-DD); standard: 1. januar.")
@click.option("--to", "end", metavar="DATO",
              help="Periodens sidste dag (ÅÅÅÅ-MM-DD); standard: 31. december.")
@click.option(
    "--settlement", "mode", type=click.Choice(["pairwise", "minimal"]), default="pairwise",
    show_default=True, help="Parvis nettet afregning eller færrest mulige overførsler.",
)
def export(out: Path, start: str | None, end: str | None, mode: str) -> None:
    """Skriv controller-regnearket for en periode fra databasen til OUT.xlsx."""
    period, problems = parse_period_in_year(start, end, date.today().year)
    if period is None:
        fail_problems(problems)
    with database_session() as session:
        scenario, split_ids = records_with_split_ids(session)
        booked = bookkeeping.bookings(session, period)
    with _progress("Skriver fordelte beløb") as progress:
        allocation = write_controller_workbook(
            out, scenario, period, "minimal" if mode == "minimal" else "pairwise",
            progress=progress, split_ids=split_ids, bookings=booked,
        )
    click.echo(
        f"Skrev {out}: {len(scenario.interventions)} indsatser, "
        f"{len(allocation.lines)} fordelte beløb."
    )


@click.command("import")
@click.argument("file", metavar="FILE.xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--apply", is_flag=True, help="Gem ændringerne (ellers er det en prøvekørsel).")
@click.option(
    "--errors", "errors_out", type=click.Path(dir_okay=False, path_type=Path), metavar="FIL",
    help="Skriv et regneark med fejlene og de fejlbehæftede rækker hertil, hvis der er fejl.",
)
@click.option(
    "--max-size", type=click.IntRange(min=1), default=Limits().max_bytes // MB, metavar="MB",
    show_default=True, help="Største filstørrelse i MB.",
)
def import_(file: Path, apply: bool, errors_out: Path | None, max_size: int) -> None:
    """Indlæs et controller-regneark eller en lagkage i databasen; uden --apply en prøvekørsel."""
    if not file.is_file():
        fail(f"Filen {file} findes ikke.")
    limits = Limits(max_bytes=max_size * MB)
    with database_session() as session, _progress("Læser regnearket") as progress:
        try:
            result = import_workbook(
                session, actor=cli_actor(), source=file, apply=apply, limits=limits,
                progress=progress,
            )
        except Refusal as refusal:
            fail(refusal.message)
    if result.problems:
        if errors_out is not None:
            write_errors_workbook(errors_out, result.read, result.problems)
            click.echo(f"Fejlene er skrevet til {errors_out}.", err=True)
        click.echo("Intet er gemt. Ret fejlene og indlæs filen igen:", err=True)
        fail_problems(result.problems)
    assert result.report is not None
    for counts in result.sheets():
        kind = counts.kind
        label = (
            f"{counts.sheet} ({KIND_NAMES[kind].lower()})"
            if counts.sheet == TEMPLATE_SHEET else counts.sheet
        )
        click.echo(
            f"{label}: {counts.created} nye, {counts.changed} ændrede, {counts.unchanged} uændrede"
        )
        part = result.report.kind(kind)
        for key in part.created:
            click.echo(f"  ny: {key}")
        for change in part.changed:
            fields = ", ".join(FIELD_NAMES.get(name, name) for name in change.fields)
            click.echo(f"  ændret: {change.key} ({fields})")
    if result.applied:
        click.echo(
            f"Ændringerne er gemt ({result.changes} poster)." if result.changes
            else "Ingen ændringer."
        )
    elif result.changes:
        click.echo("Prøvekørsel: intet er gemt. Kør igen med --apply for at gemme ændringerne.")
    else:
        click.echo("Ingen ændringer.")


@click.command()
@click.argument("case_or_out", metavar="[CASE] OUT.xlsx")
@click.argument("out", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--blank", is_flag=True, help="En tom lagkage uden sag.")
def template(case_or_out: str, out: Path | None, blank: bool) -> None:
    """Skriv lagkage-skabelonen for sagen CASE (udfyldt fra databasen) eller en tom til OUT.xlsx."""
    case_ref = case_or_out if out is not None else None
    target = out if out is not None else Path(case_or_out)
    if blank and case_ref is not None:
        fail("Angiv enten en sag eller --blank, ikke begge.", EXIT_INVALID)
    with database_session() as session:
        if case_ref is None:
            scenario = scenario_records(session, cases=[])
            write_template(target, scenario.departments)
            click.echo(f"Skrev en tom lagkage til {target}.")
            return
        scenario = scenario_records(session, cases=[case_ref])
    if not scenario.cases:
        fail(f"Sagen {case_ref} findes ikke.")
    write_template(target, scenario.departments, scenario.cases[0], scenario.interventions)
    click.echo(f"Skrev lagkagen for {case_ref} med {len(scenario.interventions)} indsatser "
               f"til {target}.")
