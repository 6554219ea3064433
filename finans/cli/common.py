"""What the database commands share: failing with located problems, the acting administrator and a
session on the configured database."""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from finans.allocation.problems import Problem
from finans.cli.exits import EXIT_INVALID, EXIT_REFUSED
from finans.config import ConfigError, Settings
from finans.mail import MailConfig, deliver_queued
from finans.services.actor import Actor, Role
from finans.services.notifications import QUEUED_FLAG
from finans.store.db import is_current, make_engine


def fail(message: str, status: int = EXIT_REFUSED) -> NoReturn:
    click.echo(message, err=True)
    raise click.exceptions.Exit(status)


def fail_problems(problems: Sequence[Problem]) -> NoReturn:
    for problem in problems:
        click.echo(f"{problem.where}: {problem.message}" if problem.where else problem.message,
                   err=True)
    raise click.exceptions.Exit(EXIT_INVALID)


def configured_settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as error:
        fail(str(error))


def cli_actor() -> Actor:
    """The command line acts as administrator, named after the operating-system user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "ukendt"
    return Actor(username=f"cli:{user}", role=Role.ADMIN)


@contextmanager
def configured_engine() -> Iterator[Engine]:
    """An engine on the configured database, disposed of afterwards."""
    engine = make_engine(configured_settings().database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def database_session() -> Iterator[Session]:
    """A session on the configured database, which ``finans init`` must have set up.

    Mails the command's changes queued are sent afterwards (a failed send stays queued for
    ``finans notify``).
    """
    with configured_engine() as engine:
        if not is_current(engine):
            fail("Databasen er ikke oprettet eller ikke opdateret. Kør 'finans init' først.")
        with Session(engine) as session:
            yield session
            queued = session.info.pop(QUEUED_FLAG, False)
        if queued:
            _send_queued(engine)


def _send_queued(engine: Engine) -> None:
    try:
        config = MailConfig.from_settings(configured_settings())
        deliver_queued(engine, config)
    except (ConfigError, SQLAlchemyError) as error:
        click.echo(f"Mails bliver i udbakken ({error}); send dem med 'finans notify'.", err=True)
