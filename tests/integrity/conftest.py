"""Fixtures for the record of decisions under pressure: a small municipality with a user and an API
token per person, the real app on it, on SQLite and on PostgreSQL.

The users' passwords are hashed with a one-round PBKDF2 so that creating them and the many
log-ins cost nothing; the log-in still goes through the real password check.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest.mock import patch

import pytest
from flask import Flask
from sqlalchemy import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from finans.demo import DEMO_PASSWORD
from finans.services import tokens as api_tokens
from finans.services import users
from finans.services.scenario import load_scenario
from finans.store.db import make_engine
from finans.web import create_app
from finans.web.database import ENGINE_KEY
from tests.integrity.town import PEOPLE, ROOT, town
from tests.web.webclient import Client

Tokens = dict[str, str]


def seed_town(engine: Engine) -> Tokens:
    """Load :func:`town` and its people into the database; their API tokens by user name."""
    tokens = {}
    with Session(engine) as session, patch.object(users, "generate_password_hash", _cheap_hash):
        report = load_scenario(session, actor=ROOT, data=town(), apply=True)
        assert report.applied and not report.problems, report.problems
        for person in PEOPLE:
            users.create_user(session, actor=ROOT, username=person.username,
                              role=person.role.value, department=person.department,
                              password=DEMO_PASSWORD)
            tokens[person.username] = api_tokens.create_token(session, actor=ROOT,
                                                              username=person.username)
    return tokens


def _cheap_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1")


@pytest.fixture
def town_loaded(engine: Engine) -> None:
    """The town in this test's database, without its people (for tests of the services)."""
    with Session(engine) as session:
        report = load_scenario(session, actor=ROOT, data=town(), apply=True)
        assert report.applied and not report.problems, report.problems


@pytest.fixture(scope="session")
def town_template(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Tokens]:
    """A SQLite file holding the town and its people, to copy, and their tokens."""
    path = tmp_path_factory.mktemp("town") / "finans.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    tokens = seed_town(engine)
    engine.dispose()
    return path, tokens


@pytest.fixture
def tokens(database_url: str, request: pytest.FixtureRequest) -> Tokens:
    """The town in this test's database (SQLite, then PostgreSQL), with its people's tokens."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        template, tokens = request.getfixturevalue("town_template")
        assert url.database is not None
        shutil.copyfile(template, url.database)
        return dict(tokens)
    engine = make_engine(url, poolclass=NullPool)
    try:
        return seed_town(engine)
    finally:
        engine.dispose()


@pytest.fixture
def app(
    database_url: str, tokens: Tokens, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """The real app, CSRF protection on, on the town's database."""
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "integrity-tests" * 3})
    yield app
    app.extensions[ENGINE_KEY].dispose()


@pytest.fixture
def login(app: Flask) -> Callable[[str], Client]:
    """``login(username)``: a new browser-like client logged in as that user."""

    def log_in(username: str) -> Client:
        client = Client(app.test_client())
        client.login(username)
        return client

    return log_in


@pytest.fixture
def bearer(tokens: Tokens) -> Callable[[str], dict[str, str]]:
    """``bearer(username)``: the API's Authorization header for that user."""
    return lambda username: {"Authorization": f"Bearer {tokens[username]}"}
