"""The ``finans`` command line: one click group, one module of commands per area."""

from __future__ import annotations

import click

from finans.cli import backup, bookkeeping, db, excel, web
from finans.cli.calc import calc
from finans.cli.messages import DanishGroup, localise


@click.group(cls=DanishGroup)
@click.version_option(package_name="finans")
def main() -> None:
    """finans – fælles finansiering af indsatser på tværs af forvaltninger."""


for command in (calc, *db.COMMANDS, *backup.COMMANDS, *excel.COMMANDS, *bookkeeping.COMMANDS,
                web.serve):
    main.add_command(command)
localise(main)
