"""``finans serve``: the web app on the development server.

``--demo`` makes a first run one command: it creates or migrates the database, loads the demo
municipality when the database is empty (an existing database is left as it is) and prints the
demo log-ins before serving. In production, run ``finans.web:create_app()`` under a WSGI server.
"""

from __future__ import annotations

import click
from sqlmodel import Session

from finans.cli.common import configured_engine
from finans.cli.db import demo, init
from finans.config import ConfigError
from finans.demo import DEMO_PASSWORD, demo_users
from finans.services.actor import ROLE_NAMES, Role
from finans.store.db import is_current, is_empty


def _database_is_empty() -> bool:
    with configured_engine() as engine, Session(engine) as session:
        return is_empty(session)


def _database_is_current() -> bool:
    with configured_engine() as engine:
        return is_current(engine)


def _print_logins() -> None:
    click.echo(f"\nDemo-logins (adgangskode for alle: {DEMO_PASSWORD}):")
    for user in demo_users():
        department = f", {user['department']}" if user["department"] else ""
        role = ROLE_NAMES[Role(user["role"])]
        click.echo(f"  {user['username']:<18} {role}{department}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADRESSE",
              help="Adressen der lyttes på.")
@click.option("--port", default=5000, show_default=True, type=int, metavar="PORT",
              help="Porten der lyttes på.")
@click.option(
    "--demo", "with_demo", is_flag=True,
    help="Opret databasen, indlæs demokommunen hvis den er tom, og vis demo-logins.",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, with_demo: bool) -> None:
    """Kør webappen med udviklingsserveren (produktion: en WSGI-server på
    finans.web:create_app())."""
    from finans.web import create_app  # Flask and the charts load only when serving.

    try:
        if with_demo:
            ctx.invoke(init)
            if _database_is_empty():
                ctx.invoke(demo)
            else:
                click.echo("Databasen har allerede data; demokommunen indlæses ikke igen.")
            _print_logins()
        elif not _database_is_current():
            raise click.ClickException(
                "Databasen er ikke oprettet eller ikke opdateret. Kør 'finans init' først "
                "(eller 'finans serve --demo')."
            )
        app = create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"\nfinans kører på http://{host}:{port}/ (stop med Ctrl+C)")
    app.run(host=host, port=port, debug=False, use_reloader=False)
