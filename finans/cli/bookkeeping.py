"""Bookkeeping commands: ``postings`` (the posting file for the finance system) and ``close``.

Both act as an administrator named after the operating-system user, like the other database
commands. Exit status: 0 done, 1 refused (the database is not set up, a concurrent close), 2
problems in the input (a bad month or period, a department without an account string).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO

import click

from finans.allocation.postings import months_of
from finans.allocation.validation import parse_period
from finans.cli.common import (
    cli_actor,
    configured_settings,
    database_session,
    fail,
    fail_problems,
)
from finans.ledger import FORMATS, Format
from finans.services import bookkeeping, closing
from finans.services.errors import Refusal, ServiceError


def _write_atomically(out: Path, write: Callable[[IO[bytes]], int]) -> int:
    """Run ``write(stream)`` on a temporary file beside ``out`` and move it into place only when
    it succeeds, so a refused run leaves no half file."""
    folder = out.parent if str(out.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            count = write(stream)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


@click.command()
@click.argument("out", metavar="OUT")
@click.option("--from", "start", metavar="DATO",
              help="Første dag (ÅÅÅÅ-MM-DD); hele måneder tages med. Standard: 1. januar.")
@click.option("--to", "end", metavar="DATO",
              help="Sidste dag (ÅÅÅÅ-MM-DD); hele måneder tages med. Standard: 31. december.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="csv",
              show_default=True, help="csv (Excel) eller g69 (Prisme).")
def postings(out: str, start: str | None, end: str | None, file_format: str) -> None:
    """Skriv posteringerne til økonomisystemet for periodens måneder til OUT ('-' for standard
    output)."""
    year = date.today().year
    period, problems = parse_period(start or f"{year}-01-01", end or f"{year}-12-31")
    if period is None:
        fail_problems(problems)
    settings = configured_settings()
    chosen: Format = "g69" if file_format == "g69" else "csv"
    with database_session() as session:
        try:
            found = bookkeeping.postings(session, actor=cli_actor(), period=period)

            def write(stream: IO[bytes]) -> int:
                return bookkeeping.write_file(found, stream, chosen, settings.g69)

            if out == "-":
                count = write(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                count = _write_atomically(Path(out), write)
        except ServiceError as error:
            fail_problems(error.problems)
        except Refusal as refusal:
            fail(refusal.message)
    months = months_of(period)
    span = closing.month_label(months[0])
    if len(months) > 1:
        span += f" – {closing.month_label(months[-1])}"
    corrections = len(found.corrections)
    where = "standard output" if out == "-" else out
    message = f"Skrev {count} posteringer for {span} til {where}"
    if corrections:
        message += f", heraf efterreguleringer af {corrections} beløb"
    click.echo(message + ".", err=out == "-")


@click.command()
@click.argument("month", metavar="ÅÅÅÅ-MM")
def close(month: str) -> None:
    """Luk alle måneder til og med ÅÅÅÅ-MM for bogføring; det de bogførte, fastfryses."""
    with database_session() as session:
        try:
            result = closing.close_months(session, actor=cli_actor(), month=month)
        except ServiceError as error:
            fail_problems(error.problems)
        except Refusal as refusal:
            fail(refusal.message)
    through = closing.month_label(result.closed_through)
    if not result.closed:
        click.echo(f"Allerede lukket: bogføringen er lukket til og med {through}.")
        return
    click.echo(
        f"Lukket til og med {through}: {len(result.closed)} måneder, {result.entries} bogførte "
        f"beløb fastfrosset, heraf {result.corrections} efterreguleringer."
    )
