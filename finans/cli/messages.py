"""Danish for what click itself writes: help pages, usage lines and usage errors.

click writes its own texts in English. The group behind ``finans`` turns every error it would
show into Danish (``Fejl: …`` after the usage line and a pointer to ``-h``), keeping click's exit
statuses (2 for wrong use, 1 otherwise); :func:`localise` gives every command a Danish help
option and help page. Errors are rebuilt from the exception's own fields where click keeps them
(the parameter, the option or command name); the few texts click keeps only as English sentences
are matched against click's own wording, and any text not recognised is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

HELP_OPTION_HELP = "Vis denne hjælp og afslut."
VERSION_OPTION_HELP = "Vis versionen og afslut."

_HEADINGS = {"Options": "Tilvalg", "Commands": "Kommandoer", "Positional arguments": "Argumenter"}
_KINDS = {"argument": "argumentet", "option": "tilvalget"}
_PATH_KINDS = {"File": "Filen", "Directory": "Mappen", "Path": "Stien"}
_EXTRAS = re.compile(r"  \[([^\[\]]*)\]$")
_PATH = r"(?P<kind>File|Directory|Path) (?P<path>.+)"
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(english), danish)
    for english, danish in (
        (r"(?P<value>.+) is not one of (?P<choices>.+)\.", "{value} er ikke en af {choices}."),
        (r"(?P<value>.+) is not a valid integer\.", "{value} er ikke et helt tal."),
        (r"(?P<value>.+) is not in the range (?P<range>.+)\.",
         "{value} er uden for intervallet {range}."),
        (rf"{_PATH} does not exist\.", "{kind} {path} findes ikke."),
        (rf"{_PATH} is a directory\.", "{kind} {path} er en mappe."),
        (rf"{_PATH} is not readable\.", "{kind} {path} kan ikke læses."),
        (r"Got unexpected extra arguments? \((?P<args>.+)\)", "Uventede argumenter: {args}."),
        (r"Missing command\.", "Angiv en kommando."),
        (r"Option (?P<option>.+) requires an argument\.", "Tilvalget {option} kræver en værdi."),
        (r"Option (?P<option>.+) does not take a value\.", "Tilvalget {option} tager ingen værdi."),
    )
)


def _sentence(english: str) -> str:
    """One of click's English sentences in Danish, or the text as it is when not recognised."""
    for pattern, danish in _SENTENCES:
        found = pattern.fullmatch(english)
        if found:
            parts = found.groupdict()
            if "kind" in parts:
                parts["kind"] = _PATH_KINDS[parts["kind"]]
            return danish.format(**parts)
    return english


def _hint(error: click.BadParameter) -> str:
    """The parameter's name as the user wrote it: ``'FILE'``, ``'--format'``."""
    hint: Sequence[str] | str | None = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint(error.ctx) if error.ctx is not None else error.param.name
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(repr(part) for part in hint)


def _did_you_mean(possibilities: Sequence[str] | None) -> str:
    if not possibilities:
        return ""
    return f" Mente du {' eller '.join(repr(name) for name in sorted(possibilities))}?"


def usage_message(error: click.UsageError) -> str:
    """The Danish message of a usage error (without ``Fejl:``)."""
    if isinstance(error, click.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else "")
        return f"Mangler {_KINDS.get(kind, 'parameteren')} {_hint(error)}."
    if isinstance(error, click.BadParameter):
        return f"Ugyldig værdi for {_hint(error)}: {_sentence(error.message)}"
    if isinstance(error, click.NoSuchOption):
        return f"Ukendt tilvalg {error.option_name!r}.{_did_you_mean(error.possibilities)}"
    if isinstance(error, click.NoSuchCommand):
        return f"Ukendt kommando {error.command_name!r}.{_did_you_mean(error.possibilities)}"
    return _sentence(error.message)


class DanishUsageError(click.UsageError):
    """Wrong use of a command, shown as the usage line, a pointer to ``-h`` and the error."""

    def show(self, file: IO[Any] | None = None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), file=file, err=True)
            click.echo(f"Se '{self.ctx.command_path} -h' for hjælp.\n", file=file, err=True)
        click.echo(f"Fejl: {self.message}", file=file, err=True)


class DanishError(click.ClickException):
    """Any other error click shows, after ``Fejl:``."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fejl: {self.message}", file=file, err=True)


@contextmanager
def in_danish() -> Iterator[None]:
    """Turn the errors click would show in English into their Danish counterparts."""
    try:
        yield
    except (NoArgsIsHelpError, DanishUsageError, DanishError):
        raise  # the help page itself, or already Danish
    except click.UsageError as error:
        raise DanishUsageError(usage_message(error), error.ctx) from None
    except click.FileError as error:
        raise DanishError(f"Filen {error.ui_filename!r} kan ikke åbnes.") from None
    except click.ClickException as error:
        raise DanishError(error.format_message()) from None
    except (click.Abort, KeyboardInterrupt, EOFError):
        click.echo(err=True)
        raise DanishError("Afbrudt.") from None


def _extra(item: str) -> str:
    if item == "required":
        return "påkrævet"
    return re.sub(r"^default: ", "standard: ", item)


def _extras(help_text: str) -> str:
    """An option's help with click's bracketed extras (``[default: json; required]``) in Danish."""
    found = _EXTRAS.search(help_text)
    if found is None:
        return help_text
    danish = "; ".join(_extra(item) for item in found[1].split("; "))
    return f"{help_text[: found.start(1)]}{danish}]"


class DanishHelpFormatter(click.HelpFormatter):
    """click's help layout with a Danish usage prefix, headings and option extras."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Brug: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(term, _extras(text)) for term, text in rows], col_max, col_spacing)


class DanishContext(click.Context):
    formatter_class = DanishHelpFormatter


class DanishGroup(click.Group):
    """A group whose errors, from its own options to the last subcommand's, are in Danish."""

    context_class = DanishContext

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with in_danish():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with in_danish():
            return super().invoke(ctx)


def localise(command: click.Command) -> None:
    """Give ``command`` and its subcommands a Danish ``-h/--help`` and Danish help pages."""
    command.context_class = DanishContext
    command.options_metavar = "[TILVALG]"
    if command.add_help_option:
        command.add_help_option = False
        click.help_option("-h", "--help", help=HELP_OPTION_HELP)(command)
    if isinstance(command, click.Group):
        command.subcommand_metavar = "KOMMANDO [ARGUMENTER]..."
        for subcommand in command.commands.values():
            localise(subcommand)

