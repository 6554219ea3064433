"""The ``finans`` command line: one click group, one module of commands per area."""

from __future__ import annotations

import click

from finans.cli import bookkeeping, db, excel, web
from finans.cli.calc import calc
from finans.cli.messages import VERSION_OPTION_HELP, DanishGroup, localise


@click.group(cls=DanishGroup)
@click.version_option(package_name="finans", help=VERSION_OPTION_HELP)
def main() -> None:
    """finans – fælles finansiering af indsatser på tværs af forvaltninger."""


for command in (calc, *db.COMMANDS, *excel.COMMANDS, *bookkeeping.COMMANDS, web.serve):
    main.add_command(command)
localise(main)
