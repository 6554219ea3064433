"""The database commands: init, demo, dump, load, user add, token create."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click import Command
from click.testing import CliRunner, Result
from sqlmodel import Session

from finans.cli.db import demo, dump, init, load, token, user
from finans.demo import DEMO_PASSWORD, demo_users
from finans.services.actor import Actor, Role
from finans.services.tokens import actor_for_token
from finans.services.users import authenticate
from finans.store.db import make_engine

Run = Callable[..., Result]


def runner_for(url: str, instance: Path) -> Run:
    def run(command: Command, *args: str, stdin: str | None = None) -> Result:
        env = {"FINANS_DATABASE_URL": url, "FINANS_INSTANCE": str(instance)}
        result = CliRunner().invoke(command, list(args), env=env, input=stdin)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


def query(url: str, check: Callable[[Session], object]) -> object:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return check(session)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database after ``finans init`` and ``finans demo``, made once for the module."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "finans.db"
    run = runner_for(f"sqlite:///{path}", folder)
    assert run(init).exit_code == 0
    result = run(demo)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def run(sqlite_url: str, tmp_path: Path) -> Run:
    return runner_for(sqlite_url, tmp_path)


def test_init_creates_the_database_and_running_it_again_changes_nothing(tmp_path: Path) -> None:
    run = runner_for("", tmp_path / "instance")
    created = run(init)
    assert created.exit_code == 0
    assert created.output.startswith("Databasen er oprettet: sqlite:///")
    assert (tmp_path / "instance" / "finans.db").exists()
    again = run(init)
    assert again.exit_code == 0 and "allerede opdateret" in again.output


def test_init_on_a_migrated_database_of_either_kind_is_idempotent(
    database_url: str, tmp_path: Path
) -> None:
    result = runner_for(database_url, tmp_path)(init)
    assert result.exit_code == 0 and "allerede opdateret" in result.output


def test_commands_refuse_a_database_that_is_not_set_up(tmp_path: Path) -> None:
    result = runner_for(f"sqlite:///{tmp_path / 'blank.db'}", tmp_path)(dump, "-")
    assert result.exit_code == 1
    assert "Kør 'finans init' først" in result.output


def test_demo_loads_a_municipality_with_users_who_can_log_in(demo_url: str) -> None:
    def check(session: Session) -> None:
        first = demo_users()[0]
        assert authenticate(session, username=first["username"], password=DEMO_PASSWORD) == (
            Actor(first["username"], Role(first["role"]), first["department"])
        )

    query(demo_url, check)


def test_demo_refuses_a_database_that_is_not_empty(demo_url: str, tmp_path: Path) -> None:
    result = runner_for(demo_url, tmp_path)(demo)
    assert result.exit_code == 1
    assert "Databasen er ikke tom" in result.output


def test_a_dump_loads_back_without_changes(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    out = tmp_path / "demo.json"
    assert run(dump, str(out)).exit_code == 0
    result = run(load, str(out))
    assert result.exit_code == 0
    assert "Afdelinger: 0 nye, 0 ændrede, 9 uændrede" in result.output
    assert result.output.rstrip().endswith("Ingen ændringer.")


def test_load_is_a_dry_run_until_applied(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    data = json.loads(run(dump, "-").output)
    data["departments"][0]["name"] = "Børn og Familie – anbringelse"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dry = run(load, str(changed))
    assert dry.exit_code == 0
    assert f"ændret: {data['departments'][0]['code']} (navn)" in dry.output
    assert "Prøvekørsel: intet er gemt" in dry.output
    assert json.loads(run(dump, "-").output)["departments"][0]["name"] != data["departments"][0][
        "name"
    ]
    applied = run(load, str(changed), "--apply")
    assert applied.exit_code == 0 and "Ændringerne er gemt (1 poster)." in applied.output
    assert json.loads(run(dump, "-").output) == data


def test_load_lists_located_problems_and_exits_with_status_2(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"departments": [], "cases": [], "interventions": [
        {"id": "I-1", "case": "S-1", "title": "X", "granted_by": "BFH", "paid_by": "BFH",
         "cost": {"amount": "-1", "per": "month", "start": "2026-01-01"}}]}), encoding="utf-8")
    result = run(load, str(bad), "--apply")
    assert result.exit_code == 2
    assert "interventions[0].cost.amount: Beløbet må ikke være negativt" in result.output


def test_load_refuses_a_file_that_is_not_json_in_danish_at_line_and_column(
    run: Run, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"departments": [', encoding="utf-8")
    result = run(load, str(broken))
    assert result.exit_code == 2
    assert result.output == f"{broken}:1:18: Ugyldig JSON: der mangler en værdi\n"


def test_load_refuses_a_file_that_is_not_utf8(run: Run, tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"name": "Børn"}'.encode("latin-1"))
    result = run(load, str(latin))
    assert result.exit_code == 2
    assert result.output == f"{latin}: Filen er ikke en UTF-8-tekstfil\n"


def test_user_add_prints_a_generated_password_once(run: Run, sqlite_url: str) -> None:
    result = run(user, "add", "leder", "--role", "manager", "--full-name", "Birgitte Dahl")
    assert result.exit_code == 0
    assert "Brugeren leder er oprettet (leder)." in result.output
    password = result.output.split("vises kun denne gang): ")[1].strip()
    found = query(sqlite_url, lambda s: authenticate(s, username="leder", password=password))
    assert found == Actor("leder", Role.MANAGER)


def test_user_add_reads_the_password_from_standard_input(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    result = run(user, "add", "karen", "--role", "controller", "--department", "SKO",
                 "--password-stdin", stdin="en-god-kode\n")
    assert result.exit_code == 0 and "Adgangskode" not in result.output
    found = query(demo_url, lambda s: authenticate(s, username="karen", password="en-god-kode"))
    assert found == Actor("karen", Role.CONTROLLER, "SKO")


def test_user_add_lists_problems_and_exits_with_status_2(run: Run) -> None:
    result = run(user, "add", "karen", "--role", "controller", "--password-stdin",
                 stdin="kort\n")
    assert result.exit_code == 2
    assert "department: Rådgivere og controllere skal høre til en afdeling" in result.output
    assert "password: Adgangskoden skal have mindst 8 tegn" in result.output


def test_token_create_prints_a_token_for_the_user(demo_url: str, tmp_path: Path) -> None:
    run = runner_for(demo_url, tmp_path)
    result = run(token, "create", "leder")
    assert result.exit_code == 0
    value = result.stdout.strip()
    assert query(demo_url, lambda s: actor_for_token(s, token=value)) == Actor("leder",
                                                                                 Role.MANAGER)


def test_token_create_for_an_unknown_user_fails(run: Run) -> None:
    result = run(token, "create", "ingen")
    assert result.exit_code == 1 and "Brugeren ingen findes ikke." in result.output
