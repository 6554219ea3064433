"""A demo municipality set up exactly as a person would: ``finans init`` then ``finans demo``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from finans.cli import main

Finans = Callable[..., Result]


def command_line(database: Path, instance: Path) -> Finans:
    """``finans …`` on the given SQLite file; a traceback fails the test instead of hiding."""

    def finans(*args: str) -> Result:
        env = {"FINANS_DATABASE_URL": f"sqlite:///{database}", "FINANS_INSTANCE": str(instance)}
        result = CliRunner().invoke(main, list(args), env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return finans


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file after ``finans init && finans demo`` (made once, never changed)."""
    folder = tmp_path_factory.mktemp("acceptance-demo")
    path = folder / "finans.db"
    finans = command_line(path, folder / "instance")
    assert finans("init").exit_code == 0
    loaded = finans("demo")
    assert loaded.exit_code == 0, loaded.output
    return path


@pytest.fixture
def finans(demo_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Finans:
    """The command line on a fresh copy of the demo database, working in ``tmp_path``."""
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_database, path)
    monkeypatch.chdir(tmp_path)
    return command_line(path, tmp_path / "instance")
