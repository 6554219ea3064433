"""``finans backup`` and ``finans restore``: everything a restore needs, not only the scenario.

``finans dump`` stays the scenario JSON that ``finans calc`` reads; a backup also holds users,
budgets, criteria and the audit log (see :mod:`finans.services.backup`).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from finans.cli.common import cli_actor, database_session, fail, fail_problems
from finans.cli.jsonfile import read_json_file
from finans.services.backup import make_backup, restore_backup
from finans.services.errors import Refusal


@click.command()
@click.argument("out", metavar="OUT.json")
@click.option("--with-password-hashes", is_flag=True,
              help="Tag brugernes adgangskode-hashes med (så de kan logge ind efter en "
                   "genskabelse). Opbevar da filen lige så sikkert som databasen.")
def backup(out: str, with_password_hashes: bool) -> None:
    """Skriv en sikkerhedskopi af hele databasen til OUT.json ('-' for standard output)."""
    with database_session() as session:
        data = make_backup(session, with_password_hashes=with_password_hashes)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if out == "-":
        click.echo(text, nl=False)
        return
    Path(out).write_text(text, encoding="utf-8")
    rows = sum(len(rows) for rows in data["tables"].values())
    click.echo(f"Sikkerhedskopien er skrevet til {out} ({rows} rækker).")


@click.command()
@click.argument("file", metavar="FILE.json", type=click.Path(exists=True, dir_okay=False))
@click.option("--apply", is_flag=True, help="Genskab databasen (ellers er det en prøvekørsel).")
def restore(file: str, apply: bool) -> None:
    """Genskab en sikkerhedskopi i en tom database; uden --apply kontrolleres den kun."""
    data, problems = read_json_file(Path(file))
    if problems:
        fail_problems(problems)
    with database_session() as session:
        try:
            report = restore_backup(session, actor=cli_actor(), data=data, apply=apply)
        except Refusal as refusal:
            fail(refusal.message)
    if report.problems:
        fail_problems(report.problems)
    for table, count in report.rows.items():
        click.echo(f"{table}: {count} rækker")
    if report.without_password:
        click.echo(f"{len(report.without_password)} brugere har ingen adgangskode og kan ikke "
                   "logge ind, før en administrator sætter en ('finans user password NAVN' "
                   "eller siden Brugere).")
    if report.applied:
        click.echo("Databasen er genskabt.")
    else:
        click.echo("Prøvekørsel: intet er gemt. Kør igen med --apply for at genskabe.")
