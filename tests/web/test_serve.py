"""``finans serve``: ``--demo`` prepares a first run in one command and is quiet about a second."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from finans.cli.web import serve


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Where the app would have been served, instead of serving it."""
    calls: list[tuple[str, int]] = []

    def run(_app: Flask, host: str, port: int, **_options: object) -> None:
        calls.append((host, port))

    monkeypatch.setattr(Flask, "run", run)
    return calls


def _environment(tmp_path: Path) -> dict[str, str]:
    return {"FINANS_INSTANCE": str(tmp_path), "FINANS_DATABASE_URL": "",
            "FINANS_ENV": "", "FINANS_SECRET_KEY": ""}


def test_serve_demo_sets_up_an_empty_database_prints_the_log_ins_and_serves(
    tmp_path: Path, served: list[tuple[str, int]]
) -> None:
    result = CliRunner().invoke(serve, ["--demo"], env=_environment(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Demokommunen er indlæst" in result.output
    assert "raadgiver.bfh" in result.output
    assert "controller.job" in result.output
    assert "http://127.0.0.1:5000/" in result.output
    assert served == [("127.0.0.1", 5000)]


def test_serve_demo_leaves_a_database_with_data_as_it_is(
    tmp_path: Path, served: list[tuple[str, int]]
) -> None:
    runner = CliRunner()
    runner.invoke(serve, ["--demo"], env=_environment(tmp_path))
    again = runner.invoke(serve, ["--demo", "--port", "5001"], env=_environment(tmp_path))
    assert again.exit_code == 0, again.output
    assert "demokommunen indlæses ikke igen" in again.output
    assert "Demokommunen er indlæst" not in again.output
    assert served[-1] == ("127.0.0.1", 5001)


def test_serve_without_a_database_says_to_run_init(
    tmp_path: Path, served: list[tuple[str, int]]
) -> None:
    result = CliRunner().invoke(serve, [], env=_environment(tmp_path))
    assert result.exit_code == 1
    assert "Kør 'finans init' først" in result.output
    assert served == []
