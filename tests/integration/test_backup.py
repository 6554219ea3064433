"""``finans backup`` / ``finans restore``: a backup restored into an empty database gives the
same rows in every table, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from finans.cli.backup import backup, restore
from finans.cli.db import user
from finans.demo import demo_budgets, demo_scenario, demo_users
from finans.services import closing, tokens
from finans.services.actor import Actor, Role
from finans.services.budgets import create_budget
from finans.services.departments import create_department
from finans.services.settings import update_criteria
from finans.services.splits import decide, pending_approvals
from finans.services.users import authenticate, create_user
from finans.store import backup as store_backup
from finans.store.db import load_models, make_engine
from tests.conftest import DEMO_LOADER, load_demo
from tests.integration.test_cli_db import runner_for

TODAY = date(2026, 11, 23)
PASSWORD = "demo-kode-123"


def _fill(url: str) -> None:
    """The demo municipality, its budgets and users, a token, a rejection, new criteria and months
    closed for postings."""
    engine = make_engine(url)
    with Session(engine) as session:
        load_demo(session, TODAY)
        for budget in demo_budgets(demo_scenario(TODAY), TODAY.year):
            create_budget(session, actor=DEMO_LOADER, data=budget)
        for person in demo_users()[:6]:
            create_user(session, actor=DEMO_LOADER, username=person["username"],
                        name=person["name"], role=person["role"],
                        department=person["department"], password=PASSWORD)
        tokens.create_token(session, actor=DEMO_LOADER, username=demo_users()[0]["username"])
        waiting = pending_approvals(session, actor=DEMO_LOADER)[0]
        decide(session, actor=Actor("ctl", Role.CONTROLLER, waiting.department),
               split_id=waiting.split, decision="reject", reason="For høj andel\nse notat")
        update_criteria(session, actor=DEMO_LOADER, version=1, data={"min_departments": 3})
        closing.close_months(session, actor=DEMO_LOADER, month="2026-03", today=TODAY)
    engine.dispose()


def _tables(url: str) -> dict[str, list[dict[str, object]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: store_backup.read_rows(connection, table, secrets=True)
                    for table in store_backup.tables()}
    finally:
        engine.dispose()


def test_every_table_is_either_backed_up_or_left_out_for_a_stated_reason() -> None:
    load_models()
    names = set(SQLModel.metadata.tables) | {"alembic_version"}
    assert names == set(store_backup.BACKED_UP) | set(store_backup.LEFT_OUT)
    assert not set(store_backup.BACKED_UP) & set(store_backup.LEFT_OUT)


def _round_trip(source: str, target: str, folder: Path, hashes: bool) -> None:
    """Back ``source`` up, restore into ``target`` and compare every table."""
    out = folder / "backup.json"
    options = ["--with-password-hashes"] if hashes else []
    made = runner_for(source, folder)(backup, str(out), *options)
    assert made.exit_code == 0, made.output
    run = runner_for(target, folder)
    dry = run(restore, str(out))
    assert dry.exit_code == 0 and "Prøvekørsel" in dry.output
    assert _tables(target)["users"] == []
    done = run(restore, str(out), "--apply")
    assert done.exit_code == 0, done.output
    assert ("brugere har ingen adgangskode" in done.output) is not hashes

    before, after = _tables(source), _tables(target)
    restored_entry = after["audit_log"].pop()
    assert restored_entry["action"] == "restore"
    if not hashes:
        for row in before["users"]:
            row["password_hash"] = ""
    for name in store_backup.BACKED_UP:
        assert after[name] == before[name], name
    assert before["split_versions"] and before["decisions"] and before["budgets"]
    assert any(row["reason"] == "For høj andel\nse notat" for row in after["decisions"])


def test_a_backup_restored_into_an_empty_database_holds_the_same_rows_in_every_table(
    database_url: str, another_database_url: str, tmp_path: Path
) -> None:
    _fill(database_url)
    _round_trip(database_url, another_database_url, tmp_path, hashes=False)
    engine: Engine = make_engine(another_database_url)
    with Session(engine) as session:
        create_department(session, actor=DEMO_LOADER, data={"code": "NY", "name": "Ny afdeling"})
        ids = list(session.execute(select(store_backup.tables()[0].c.id)).scalars())
    engine.dispose()
    assert len(ids) == len(set(ids))


def test_a_backup_with_password_hashes_restores_them_too(
    sqlite_url: str, tmp_path: Path, sqlite_template: Path
) -> None:
    _fill(sqlite_url)
    target = tmp_path / "target.db"
    target.write_bytes(sqlite_template.read_bytes())
    _round_trip(sqlite_url, f"sqlite:///{target}", tmp_path, hashes=True)


def test_users_restored_without_a_password_hash_log_in_after_an_administrator_sets_one(
    sqlite_url: str, tmp_path: Path, sqlite_template: Path
) -> None:
    _fill(sqlite_url)
    out = tmp_path / "backup.json"
    runner_for(sqlite_url, tmp_path)(backup, str(out))
    target_path = tmp_path / "target.db"
    target_path.write_bytes(sqlite_template.read_bytes())
    target_url = f"sqlite:///{target_path}"
    run = runner_for(target_url, tmp_path)
    assert run(restore, str(out), "--apply").exit_code == 0
    name = demo_users()[0]["username"]
    engine = make_engine(target_url)
    with Session(engine) as session:
        assert authenticate(session, username=name, password=PASSWORD) is None
    assert run(user, "password", name, "--password-stdin", stdin="ny-kode-efter\n").exit_code == 0
    with Session(engine) as session:
        assert authenticate(session, username=name, password="ny-kode-efter") is not None
    engine.dispose()


def test_a_restore_into_a_database_with_data_is_refused_and_changes_nothing(
    sqlite_url: str, tmp_path: Path
) -> None:
    _fill(sqlite_url)
    out = tmp_path / "backup.json"
    run = runner_for(sqlite_url, tmp_path)
    run(backup, str(out))
    before = _tables(sqlite_url)
    result = run(restore, str(out), "--apply")
    assert result.exit_code == 1
    assert "Databasen er ikke tom" in result.output
    assert _tables(sqlite_url) == before


def test_a_damaged_backup_is_refused_by_location_and_nothing_is_restored(
    sqlite_url: str, another_database_url: str, tmp_path: Path
) -> None:
    _fill(sqlite_url)
    out = tmp_path / "backup.json"
    runner_for(sqlite_url, tmp_path)(backup, str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    data["tables"]["users"][1]["active"] = "ja"
    data["tables"]["cases"][0]["vip"] = True
    del data["tables"]["departments"][2]["code"]
    data["tables"]["audit_log"][0]["at"] = "i går"
    out.write_text(json.dumps(data), encoding="utf-8")
    result = runner_for(another_database_url, tmp_path)(restore, str(out), "--apply")
    assert result.exit_code == 2
    assert sorted(result.stderr.splitlines()) == [
        "tables.audit_log[0].at: Værdien skal være et tidspunkt",
        "tables.cases[0].vip: Ukendt kolonne",
        "tables.departments[2].code: Mangler",
        "tables.users[1].active: Værdien skal være true eller false",
    ]
    assert _tables(another_database_url)["departments"] == []


def test_a_file_that_is_no_backup_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "scenario.json"
    out.write_text(json.dumps({"departments": []}), encoding="utf-8")
    result = runner_for(sqlite_url, tmp_path)(restore, str(out))
    assert result.exit_code == 2
    assert "format: Filen er ikke en sikkerhedskopi fra finans" in result.stderr
