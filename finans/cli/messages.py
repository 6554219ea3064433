"""Danish for what click itself writes: help pages, usage lines, usage errors and prompts.

click writes its own texts through :mod:`gettext`'s process-wide domain, in English unless a
catalogue for the user's language is found. finans speaks Danish to people, so the package ships a
Danish catalogue of click's messages (``locale/da/LC_MESSAGES/click.po``, compiled to
``click.mo``), and the ``finans`` group makes gettext use it for Danish while a command runs.
click translates a few texts once, when the commands are defined or first used (option help such
as ``--version``'s and ``--help``'s, the kind of a path in "File 'x' does not exist");
:func:`localise` puts those through the same catalogue, and names the usage line's placeholders,
which are no messages, in Danish.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

DOMAIN = "click"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE = "da"
HELP_OPTIONS = ["-h", "--help"]
CATALOGUE = gettext.translation(DOMAIN, LOCALE_DIR, languages=[LANGUAGE])
"""The Danish catalogue itself, for the texts click translated before any command ran."""


@contextmanager
def danish_click() -> Iterator[None]:
    """click's texts in Danish while the block runs; gettext's settings are put back after."""
    domain = gettext.textdomain()
    language = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = LANGUAGE
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


class DanishGroup(click.Group):
    """A command group that runs with click's texts in Danish."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with danish_click():
            return super().main(*args, **kwargs)


def localise(command: click.Command) -> None:
    """Danish for the texts click fixed when ``command`` and its subcommands were defined.

    Texts that are not click's messages (finans's own Danish help) pass through unchanged. Every
    command takes ``-h`` as well as ``--help``, also when it is run on its own.
    """
    command.options_metavar = "[TILVALG]"
    command.context_settings.setdefault("help_option_names", HELP_OPTIONS)
    # click makes the help option once, on first use, and keeps it: make it now, so its help is
    # Danish also when the first use is a command run on its own; one made before without ``-h``
    # (the command was run on its own before it joined ``finans``) is made again.
    made = getattr(command, "_help_option", None)
    if made is not None and sorted(made.opts) != sorted(HELP_OPTIONS):
        command._help_option = None
    help_option = command.get_help_option(click.Context(command, help_option_names=HELP_OPTIONS))
    for param in [*command.params, *([help_option] if help_option else [])]:
        if isinstance(param, click.Option) and param.help:
            param.help = CATALOGUE.gettext(param.help)
        if isinstance(param.type, click.Path):
            param.type.name = CATALOGUE.gettext(param.type.name)
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENTER]..."
        for subcommand in command.commands.values():
            localise(subcommand)
