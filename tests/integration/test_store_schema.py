"""The schema: migrations, connection settings, exact storage of money and shares."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, Float, Numeric, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from finans.services.interventions import create_intervention, get_intervention
from finans.services.splits import propose_split
from finans.store.db import (
    current_revision,
    head_revision,
    is_current,
    load_models,
    make_engine,
    migrate,
)
from tests.integration.municipality import CASEWORKER, WEIGHTED_JULY


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    load_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_migrating_a_current_database_again_changes_nothing(engine: Engine) -> None:
    assert is_current(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()


def test_no_column_holds_floating_point_numbers_or_cpr_numbers() -> None:
    load_models()
    columns = [column for table in SQLModel.metadata.tables.values() for column in table.columns]
    assert columns
    assert [c for c in columns if isinstance(c.type, Float | Numeric)] == []
    assert [c for c in columns if "cpr" in c.name.lower()] == []


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_the_database_refuses_references_to_unknown_departments(engine: Engine) -> None:
    with engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(text(
            "INSERT INTO departments (version, code, name, account, active) "
            "VALUES (1, 'BFH', 'B', '', true)"
        ))
        connection.execute(text(
            "INSERT INTO users (version, username, name, role, department, password_hash, active) "
            "VALUES (1, 'x', '', 'controller', 'NOPE', 'h', true)"
        ))


def test_large_amounts_are_stored_to_the_ore(seeded: Session) -> None:
    data = {"case": "S-2026-0001", "title": "Anbringelse", "granted_by": "BFH", "paid_by": "BFH",
            "cost": {"amount": "999999999999.99", "per": "year", "start": "2026-01-01"}}
    create_intervention(seeded, actor=CASEWORKER, data=data)
    stored = seeded.connection().execute(
        text("SELECT amount FROM interventions WHERE public_id = 'I-3'")
    ).scalar()
    assert stored == 99_999_999_999_999
    assert get_intervention(seeded, actor=CASEWORKER, id="I-3").cost.amount == 99_999_999_999_999


def test_split_inputs_are_kept_as_given_and_shares_as_exact_fractions(seeded: Session) -> None:
    propose_split(seeded, actor=CASEWORKER, intervention="I-1",
                  data={**WEIGHTED_JULY, "benefit": {"BFH": "1.50", "JOB": "1.5"}})
    row = seeded.connection().execute(
        text("SELECT inputs, alpha, shares FROM split_versions")
    ).one()
    inputs, alpha, shares = (json.loads(v) if isinstance(v, str) and v[:1] == "{" else v
                             for v in row)
    assert alpha == "0.5"
    assert inputs == {"responsibility": {"BFH": "2", "JOB": "1"},
                      "benefit": {"BFH": "1.50", "JOB": "1.5"}}
    assert shares == {"BFH": "7/12", "JOB": "5/12"}
