"""Database commands: ``init``, ``demo``, ``dump``, ``load``, ``user add|password`` and
``token create|list|revoke``.

The database comes from :class:`finans.config.Settings` (``FINANS_DATABASE_URL`` or a SQLite file
in the instance folder). The commands act as an administrator, recorded in the audit log under the
operating-system user's name. Exit status: 0 done, 1 refused (e.g. the database is not set up),
2 invalid input, with the problems listed by location.
"""

from __future__ import annotations

import json
import secrets
import sys
from datetime import datetime
from pathlib import Path

import click

from finans.cli.common import (
    cli_actor,
    configured_engine,
    database_session,
    fail,
    fail_problems,
)
from finans.cli.jsonfile import read_json_file
from finans.demo import DEMO_PASSWORD, demo_budgets, demo_scenario, demo_users
from finans.formatting import format_date
from finans.services.actor import ROLE_NAMES, Role
from finans.services.audit import FIELD_NAMES
from finans.services.budgets import create_budget
from finans.services.errors import Refusal, ServiceError
from finans.services.scenario import KIND_NAMES, KINDS, LoadReport, dump_scenario, load_scenario
from finans.services.tokens import (
    DEFAULT_DAYS,
    MAX_DAYS,
    STATE_NAMES,
    create_token,
    list_tokens,
    revoke_token,
)
from finans.services.users import create_user, set_password
from finans.store.db import current_revision, describe_url, is_empty
from finans.store.db import migrate as migrate_database
from finans.store.timestamps import local, now

GENERATED_PASSWORD_BYTES = 12


@click.command()
def init() -> None:
    """Opret databasen, eller opdatér den til den nyeste version."""
    with configured_engine() as engine:
        before = current_revision(engine)
        migrate_database(engine)
        after = current_revision(engine)
        where = describe_url(engine.url)
    if before is None:
        click.echo(f"Databasen er oprettet: {where}")
    elif before != after:
        click.echo(f"Databasen er opdateret til version {after}: {where}")
    else:
        click.echo(f"Databasen er allerede opdateret (version {after}): {where}")


@click.command()
def demo() -> None:
    """Indlæs en demokommune med sager, indsatser, fordelinger og brugere i en tom database."""
    with database_session() as session:
        if not is_empty(session):
            fail("Databasen er ikke tom. Demoen indlæses kun i en tom database.")
        actor = cli_actor()
        today = local(now()).date()
        scenario = demo_scenario(today)
        report = load_scenario(session, actor=actor, data=scenario, apply=True)
        if report.problems:
            fail_problems(report.problems)
        for budget in demo_budgets(scenario, today.year):
            create_budget(session, actor=actor, data=budget)
        users = demo_users()
        with click.progressbar(users, label="Opretter demobrugere", file=sys.stderr,
                               hidden=not sys.stderr.isatty()) as bar:
            for user in bar:
                create_user(
                    session,
                    actor=actor,
                    username=user["username"],
                    name=user["name"],
                    role=user["role"],
                    department=user["department"],
                    password=DEMO_PASSWORD,
                    email=user["email"],
                )
    counts = [f"{len(report.kind(kind).created)} {KIND_NAMES[kind].lower()}" for kind in KINDS]
    click.echo(f"Demokommunen er indlæst: {', '.join(counts)} og {len(users)} brugere.")
    click.echo(f"Alle demobrugere har adgangskoden {DEMO_PASSWORD} (kun til demonstration).")


@click.command()
@click.argument("out", metavar="OUT.json")
def dump(out: str) -> None:
    """Skriv scenariet (afdelinger, sager, indsatser, fordelinger) som scenarie-JSON til OUT.json.

    '-' skriver til standard output. En fuld sikkerhedskopi laves med 'finans backup'.
    """
    with database_session() as session:
        data = dump_scenario(session)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if out == "-":
        click.echo(text, nl=False)
        return
    Path(out).write_text(text, encoding="utf-8")
    click.echo(f"Databasen er skrevet til {out}.")


def _print_report(report: LoadReport) -> None:
    for kind in KINDS:
        part = report.kind(kind)
        click.echo(
            f"{KIND_NAMES[kind]}: {len(part.created)} nye, {len(part.changed)} ændrede, "
            f"{len(part.unchanged)} uændrede"
        )
        for key in part.created:
            click.echo(f"  ny: {key}")
        for change in part.changed:
            fields = ", ".join(FIELD_NAMES.get(name, name) for name in change.fields)
            click.echo(f"  ændret: {change.key} ({fields})")


@click.command()
@click.argument("file", metavar="FILE.json", type=click.Path(exists=True, dir_okay=False))
@click.option("--apply", is_flag=True, help="Gem ændringerne (ellers er det en prøvekørsel).")
def load(file: str, apply: bool) -> None:
    """Indlæs scenarie-JSON i databasen; uden --apply vises kun, hvad der ville ændres."""
    data, problems = read_json_file(Path(file))
    if problems:
        fail_problems(problems)
    with database_session() as session:
        try:
            report = load_scenario(session, actor=cli_actor(), data=data, apply=apply)
        except Refusal as refusal:
            fail(refusal.message)
    if report.problems:
        fail_problems(report.problems)
    _print_report(report)
    if report.applied:
        click.echo(f"Ændringerne er gemt ({report.changes} poster)." if report.changes
                   else "Ingen ændringer.")
    elif report.changes:
        click.echo("Prøvekørsel: intet er gemt. Kør igen med --apply for at gemme ændringerne.")
    else:
        click.echo("Ingen ændringer.")


@click.group()
def user() -> None:
    """Brugere."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]),
              help="caseworker (rådgiver), controller, manager (leder), finance (økonomi) "
                   "eller admin.")
@click.option("--department", metavar="KODE", help="Afdelingens kode (rådgivere og controllere).")
@click.option("--password-stdin", is_flag=True, help="Læs adgangskoden fra standard input.")
@click.option("--full-name", default="", metavar="NAVN", help="Brugerens fulde navn.")
@click.option("--email", default="", metavar="ADRESSE",
              help="Brugerens e-mailadresse til besked om godkendelser.")
def add_user(
    name: str, role: str, department: str | None, password_stdin: bool, full_name: str,
    email: str,
) -> None:
    """Opret brugeren NAME; uden --password-stdin vises en ny adgangskode én gang."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    with database_session() as session:
        try:
            create_user(session, actor=cli_actor(), username=name, role=role,
                        department=department, name=full_name, password=password, email=email)
        except ServiceError as error:
            fail_problems(error.problems)
    place = f", afdeling {department}" if department else ""
    click.echo(f"Brugeren {name} er oprettet ({ROLE_NAMES[Role(role)]}{place}).")
    if not password_stdin:
        click.echo(f"Adgangskode (vises kun denne gang): {password}")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Læs adgangskoden fra standard input.")
def user_password(name: str, password_stdin: bool) -> None:
    """Sæt en ny adgangskode for brugeren NAME; uden --password-stdin vises en ny én gang.

    Brugerens log-ins afsluttes, og brugerens API-nøgler tilbagekaldes.
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    with database_session() as session:
        try:
            set_password(session, actor=cli_actor(), username=name, password=password)
        except ServiceError as error:
            fail_problems(error.problems)
        except Refusal as refusal:
            fail(refusal.message)
    click.echo(f"Adgangskoden for {name} er skiftet; brugerens log-ins og API-nøgler er afsluttet.")
    if not password_stdin:
        click.echo(f"Adgangskode (vises kun denne gang): {password}")


@click.group()
def token() -> None:
    """API-nøgler."""


@token.command("create")
@click.argument("name")
@click.option("--expires-in", "days", type=click.IntRange(1, MAX_DAYS), default=DEFAULT_DAYS,
              show_default=True, metavar="DAGE", help="Antal dage, nøglen gælder.")
@click.option("--label", default="", metavar="TEKST", help="Hvad nøglen bruges til.")
def create_api_token(name: str, days: int, label: str) -> None:
    """Opret en API-nøgle til brugeren NAME; den vises kun denne gang."""
    with database_session() as session:
        try:
            value = create_token(session, actor=cli_actor(), username=name, days=days,
                                 label=label)
        except ServiceError as error:
            fail_problems(error.problems)
        except Refusal as refusal:
            fail(refusal.message)
    click.echo(value)
    click.echo(f"API-nøglen gælder i {days} dage og vises kun denne gang; gem den et sikkert "
               "sted.", err=True)


def _moment(value: datetime | None) -> str:
    if value is None:
        return "-"
    moment = local(value)
    return f"{format_date(moment.date())} {moment:%H:%M}"


@token.command("list")
@click.argument("name", required=False)
def list_api_tokens(name: str | None) -> None:
    """Vis API-nøglerne (alle, eller brugeren NAMEs) uden selve nøglen."""
    with database_session() as session:
        try:
            items = list_tokens(session, actor=cli_actor(), username=name)
        except Refusal as refusal:
            fail(refusal.message)
    rows = [("ID", "Bruger", "Nøgle", "Betegnelse", "Oprettet", "Sidst brugt", "Udløber",
             "Status")]
    rows += [
        (str(item.id), item.username, f"{item.prefix}…", item.label, _moment(item.created_at),
         _moment(item.last_used_at), _moment(item.expires_at), STATE_NAMES[item.state])
        for item in items
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


@token.command("revoke")
@click.argument("token_id", metavar="ID", type=click.IntRange(1, 2**31 - 1))
def revoke_api_token(token_id: int) -> None:
    """Tilbagekald API-nøglen med nummeret ID; den virker ikke længere."""
    with database_session() as session:
        try:
            item = revoke_token(session, actor=cli_actor(), token_id=token_id)
        except Refusal as refusal:
            fail(refusal.message)
    click.echo(f"API-nøgle {item.id} ({item.prefix}…, {item.username}) er tilbagekaldt.")
