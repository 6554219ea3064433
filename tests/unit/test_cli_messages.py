"""What click itself writes for ``finans`` (help pages, usage errors) is Danish, from the Danish
catalogue of click's own messages that the package ships."""

from __future__ import annotations

import gettext
import os
import string
from pathlib import Path

import click
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from finans.cli import main
from finans.cli.messages import LOCALE_DIR, DanishGroup, localise

ENGLISH = ("Usage", "Options", "Commands", "Error", "Show this", "Show the", "Try '", "default:",
           "required", "does not exist")
CATALOGUE = LOCALE_DIR / "da" / "LC_MESSAGES"


def _finans(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), prog_name="finans")
    return result.exit_code, result.output


def _usage_error(command: str, message: str) -> str:
    return (f"Brug: {command}\nSe '{command.split(' [')[0]} --help' for hjælp.\n\n"
            f"Fejl: {message}\n")


def test_the_main_help_is_danish_with_danish_help_and_version_options() -> None:
    code, out = _finans("-h")
    assert code == 0
    assert out.startswith("Brug: finans [TILVALG] KOMMANDO [ARGUMENTER]...\n")
    assert "\nTilvalg:\n" in out and "\nKommandoer:\n" in out
    assert "-h, --help  Vis denne hjælp og afslut." in out
    assert "--version   Vis versionen og afslut." in out
    assert not any(word in out for word in ENGLISH)


def test_a_command_help_is_danish_with_defaults_and_required_options_in_danish() -> None:
    _, calc = _finans("calc", "--help")
    _, add = _finans("user", "add", "-h")
    assert calc.startswith("Brug: finans calc [TILVALG] FILE\n")
    assert "--from DATO" in calc and "[standard: json]" in calc
    assert "[påkrævet]" in add
    assert not any(word in calc + add for word in ENGLISH)


def test_a_missing_argument_is_a_danish_usage_error_with_status_2() -> None:
    assert _finans("calc") == (
        2, _usage_error("finans calc [TILVALG] FILE", "Mangler argumentet 'FILE'.")
    )


def test_a_missing_option_names_the_option_and_its_choices() -> None:
    code, out = _finans("user", "add", "karen")
    assert code == 2
    assert "Fejl: Mangler tilvalget '--role'. Vælg mellem:\n\tcaseworker,\n" in out
    assert "Se 'finans user add --help' for hjælp." in out


def test_an_invalid_choice_lists_the_choices_in_danish(tmp_path: Path) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text("{}", encoding="utf-8")
    assert _finans("calc", str(scenario), "--format", "pdf") == (2, _usage_error(
        "finans calc [TILVALG] FILE",
        "Ugyldig værdi for '--format': 'pdf' er ikke en af 'json', 'text', 'xlsx'.",
    ))


def test_a_file_that_does_not_exist_is_named_in_danish() -> None:
    code, out = _finans("calc", "nope.json")
    assert code == 2
    assert out.endswith("Fejl: Ugyldig værdi for 'FILE': Filen 'nope.json' findes ikke.\n")


def test_a_number_out_of_range_is_explained_in_danish() -> None:
    code, out = _finans("import", "x.xlsx", "--max-size", "0")
    assert code == 2
    assert out.endswith("Fejl: Ugyldig værdi for '--max-size': 0 er uden for intervallet x>=1.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clac"], "Ukendt kommando 'clac'. Mente du 'calc'?"),
        (["calc", "--settle", "x"], "Ukendt tilvalg '--settle'. Mente du '--settlement'?"),
        (["calc", "--from"], "Tilvalget '--from' kræver en værdi."),
        (["load", "--apply=ja", "x"], "Tilvalget '--apply' tager ingen værdi."),
        (["dump", "a.json", "b.json"], "Uventet ekstra argument (b.json)."),
    ],
)
def test_wrong_use_is_explained_in_danish(args: list[str], message: str) -> None:
    code, out = _finans(*args)
    assert code == 2
    assert out.endswith(f"Fejl: {message}\n")


def test_no_command_shows_the_danish_help() -> None:
    code, out = _finans()
    assert code == 2
    assert out.startswith("Brug: finans [TILVALG] KOMMANDO")


def _group(command: click.Command) -> click.Group:
    group = DanishGroup("finans", commands=[command])
    localise(group)
    return group


def test_other_errors_and_own_usage_errors_keep_their_text_after_fejl() -> None:
    @click.command()
    @click.argument("what")
    @click.pass_context
    def fails(ctx: click.Context, what: str) -> None:
        if what == "brug":
            ctx.fail("Angiv enten en sag eller --blank.")
        if what == "fil":
            raise click.FileError("x.txt", "adgang nægtet")
        if what == "afbryd":
            raise click.Abort
        raise click.ClickException("Databasen er ikke oprettet.")

    runner = CliRunner()
    own = runner.invoke(_group(fails), ["fails", "brug"], prog_name="finans")
    assert (own.exit_code, own.output) == (
        2, _usage_error("finans fails [TILVALG] WHAT", "Angiv enten en sag eller --blank.")
    )
    other = runner.invoke(_group(fails), ["fails", "andet"])
    assert (other.exit_code, other.output) == (1, "Fejl: Databasen er ikke oprettet.\n")
    file = runner.invoke(_group(fails), ["fails", "fil"])
    assert (file.exit_code, file.output) == (
        1, "Fejl: Filen 'x.txt' kan ikke åbnes: adgang nægtet\n"
    )
    aborted = runner.invoke(_group(fails), ["fails", "afbryd"])
    assert (aborted.exit_code, aborted.output) == (1, "Afbrudt!\n")


def test_a_command_first_run_on_its_own_keeps_danish_help_and_h() -> None:
    @click.command()
    def alone() -> None:
        """Gør intet."""

    group = _group(alone)
    runner = CliRunner()
    assert "Vis denne hjælp og afslut." in runner.invoke(alone, ["-h"]).output
    result = runner.invoke(group, ["alone", "-h"], prog_name="finans")
    assert (result.exit_code, result.output) == (0, (
        "Brug: finans alone [TILVALG]\n\n  Gør intet.\n\nTilvalg:\n"
        "  -h, --help  Vis denne hjælp og afslut.\n"
    ))


def test_gettext_is_left_as_it_was_after_a_command() -> None:
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    assert _finans("calc")[0] == 2
    assert (gettext.textdomain(), os.environ.get("LANGUAGE")) == (domain, language)
    assert gettext.gettext("Usage:") == "Usage:"


# --- the catalogue ------------------------------------------------------------------------------


Entries = dict[str | tuple[str, ...], str | tuple[str, ...]]


def _entries(catalog: Catalog) -> Entries:
    """msgid (a tuple for plurals) → its translation (a tuple per plural form)."""
    def key(value: object) -> str | tuple[str, ...]:
        return tuple(value) if isinstance(value, list | tuple) else str(value)

    return {key(message.id): key(message.string) for message in catalog if message.id}


def _po() -> Catalog:
    with (CATALOGUE / "click.po").open("rb") as file:
        return read_po(file)


def _clicks_messages() -> set[str]:
    """Every message the installed click passes through gettext (singular ids)."""
    folder = Path(click.__file__).parent
    return {
        message[0] if isinstance(message, tuple) else message
        for _, _, message, *_ in extract_from_dir(str(folder))
    } | {"required"}  # translated through a variable, so extraction cannot see it


def test_every_message_of_the_installed_click_has_a_danish_translation() -> None:
    translated = {
        (key[0] if isinstance(key, tuple) else key)
        for key, text in _entries(_po()).items()
        if all(text if isinstance(text, tuple) else (text,))
    }
    assert sorted(_clicks_messages() - translated) == []


def test_the_compiled_catalogue_holds_exactly_what_the_po_file_says() -> None:
    with (CATALOGUE / "click.mo").open("rb") as file:
        compiled = read_mo(file)
    assert _entries(compiled) == _entries(_po())
    with (CATALOGUE / "click.mo").open("rb") as file:
        danish = gettext.GNUTranslations(file)
    assert danish.ngettext("Option {name!r} requires an argument.", "", 2) == (
        "Tilvalget {name!r} kræver {nargs} værdier."
    )


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_translations_use_only_the_placeholders_click_fills_in() -> None:
    wrong = []
    for message in _po():
        if not message.id or "python-brace-format" not in message.flags:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = set().union(*(_fields(text) for text in ids))
        wrong += [text for text in strings if not _fields(text) <= allowed]
    assert wrong == []
