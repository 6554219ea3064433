"""The bookkeeping commands: ``finans postings`` and ``finans close``, on the demo municipality."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update
from sqlmodel import Session

from finans.allocation.postings import month_of, next_month
from finans.cli.bookkeeping import close, postings
from finans.cli.db import user
from finans.services.actor import Role
from finans.services.users import authenticate
from finans.store import models
from tests.integration.test_cli_db import Run, demo_file, demo_url, query, runner_for

__all__ = ["demo_file", "demo_url"]

THIS_YEAR = date.today().year
LAST_MONTH = month_of(date.today().replace(day=1) - timedelta(days=1))


@pytest.fixture
def run(demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.chdir(tmp_path)
    return runner_for(demo_url, tmp_path)


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))


def ore(text: str) -> int:
    kroner, _, rest = text.partition(",")
    return int(kroner) * 100 + int(rest) if text else 0


def test_postings_writes_a_csv_that_balances_per_date(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "posteringer.csv"
    result = run(postings, "--from", f"{THIS_YEAR}-01-01", "--to", f"{THIS_YEAR}-12-31", str(out))
    assert result.exit_code == 0, result.output
    header, *lines = rows(out)
    assert header == ["Bilagsdato", "Kontostreng", "Debet", "Kredit", "Tekst", "Indsats", "Sag",
                      "Afdeling", "Modpart"]
    assert f"Skrev {len(lines)} posteringer for januar {THIS_YEAR} – december {THIS_YEAR}" \
        in result.output
    sums: dict[str, int] = {}
    for line in lines:
        sums[line[0]] = sums.get(line[0], 0) + ore(line[2]) - ore(line[3])
    assert lines and set(sums.values()) == {0}


def test_postings_in_g69_carry_the_configured_machine_and_municipality_numbers(
    demo_url: str, tmp_path: Path
) -> None:
    run = runner_for(demo_url, tmp_path)
    out = tmp_path / "posteringer.g69"
    env = {"FINANS_DATABASE_URL": demo_url, "FINANS_INSTANCE": str(tmp_path),
           "FINANS_G69_MACHINE_NUMBER": "482", "FINANS_G69_MUNICIPALITY": "151"}
    result = CliRunner().invoke(postings, ["--format", "g69", str(out)], env=env)
    assert result.exit_code == 0, result.output
    lines = out.read_bytes().decode("iso-8859-1").splitlines()
    assert lines[0].startswith("Z300 01516")
    assert lines[-1] == f"SLUTD{len(lines) - 2:05d}"
    assert all(line.startswith("000G69") and "0151" in line[11:15] and "&10300482&104" in line
               for line in lines[1:-1])
    assert run(postings, "--format", "xml", str(out)).exit_code == 2


def test_a_bad_period_or_a_department_without_account_string_leaves_no_file(
    run: Run, demo_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "posteringer.csv"
    bad = run(postings, "--from", "2026-02-30", str(out))
    assert bad.exit_code == 2 and "period.from" in bad.output
    query(demo_url, lambda session: (
        session.exec(update(models.Department).where(models.Department.code == "JOB")
                     .values(account="")),  # type: ignore[call-overload]
        session.commit(),
    ))
    refused = run(postings, str(out))
    assert refused.exit_code == 2
    assert "departments.JOB.account: Afdelingen JOB har ingen kontostreng" in refused.output
    assert not out.exists()
    assert list(tmp_path.glob(".posteringer.csv.*")) == []


def test_close_closes_up_to_the_month_and_a_second_close_changes_nothing(run: Run) -> None:
    result = run(close, LAST_MONTH)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Lukket til og med ")
    again = run(close, LAST_MONTH)
    assert again.exit_code == 0
    assert again.output.startswith("Allerede lukket: bogføringen er lukket til og med ")


def test_close_refuses_a_month_not_begun_and_a_month_that_is_not_one(run: Run) -> None:
    future = run(close, next_month(month_of(date.today())))
    assert future.exit_code == 2 and "month: " in future.output and "ikke begyndt" in future.output
    wrong = run(close, "marts")
    assert wrong.exit_code == 2 and "ÅÅÅÅ-MM" in wrong.output


def test_a_finance_user_is_added_from_the_command_line(run: Run, demo_url: str) -> None:
    result = run(user, "add", "oekonomi2", "--role", "finance", "--password-stdin",
                 stdin="en-lang-kode\n")
    assert result.exit_code == 0, result.output
    assert "Brugeren oekonomi2 er oprettet (økonomi)." in result.output

    def logged_in(session: Session) -> object:
        return authenticate(session, username="oekonomi2", password="en-lang-kode")

    found = query(demo_url, logged_in)
    assert getattr(found, "role", None) is Role.FINANCE
