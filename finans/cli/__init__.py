"""The ``finans`` command line: one click group, one module of commands per area.

A command's module is imported when the command is used, so ``finans calc`` starts without the
database, web and workbook libraries that the other commands need.
"""

from __future__ import annotations

import importlib

import click

from finans.cli.messages import DanishGroup, localise

COMMANDS = {
    "calc": "finans.cli.calc:calc",
    "init": "finans.cli.db:init",
    "demo": "finans.cli.db:demo",
    "dump": "finans.cli.db:dump",
    "load": "finans.cli.db:load",
    "user": "finans.cli.db:user",
    "token": "finans.cli.db:token",
    "backup": "finans.cli.backup:backup",
    "restore": "finans.cli.backup:restore",
    "export": "finans.cli.excel:export",
    "import": "finans.cli.excel:import_",
    "template": "finans.cli.excel:template",
    "refund-claim": "finans.cli.refund:refund_claim",
    "notify": "finans.cli.mail:notify",
    "remind": "finans.cli.mail:remind",
    "postings": "finans.cli.bookkeeping:postings",
    "close": "finans.cli.bookkeeping:close",
    "serve": "finans.cli.web:serve",
}
"""Each command's name and where it is defined (``module:attribute``)."""


class _Finans(DanishGroup):
    """The group of :data:`COMMANDS`, each imported and made Danish on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            localise(command)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=_Finans)
@click.version_option(package_name="finans")
def main() -> None:
    """finans – fælles finansiering af indsatser på tværs af forvaltninger."""


localise(main)
