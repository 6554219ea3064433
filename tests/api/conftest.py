"""Fixtures for the API: the demo municipality with a user and a token per role, and the app.

The database is built once per test session (demo data, users, tokens) and copied for each test.
The app is the real one from :func:`finans.web.create_app`, with CSRF protection on, so every
write through the API also shows that the API needs no CSRF token.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from finans.demo import demo_scenario
from finans.services import users
from finans.services.actor import Actor, Role
from finans.services.scenario import load_scenario
from finans.services.tokens import create_token
from finans.store.db import make_engine
from finans.web import create_app
from tests.api.api_people import PASSWORD, TODAY, USERS

ROOT = Actor("root", Role.ADMIN)


@pytest.fixture(scope="session")
def api_database(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """A SQLite file with the demo municipality and one user per test role, and their tokens."""
    path = tmp_path_factory.mktemp("api") / "finans.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    tokens = {}
    with Session(engine) as session:
        report = load_scenario(session, actor=ROOT, data=demo_scenario(TODAY), apply=True)
        assert report.applied and not report.problems
        for name, (role, department) in USERS.items():
            users.create_user(session, actor=ROOT, username=name, role=role, password=PASSWORD,
                              department=department)
            tokens[name] = create_token(session, actor=ROOT, username=name)
    engine.dispose()
    return path, tokens


@pytest.fixture
def database_file(api_database: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    path = tmp_path / "finans.db"
    shutil.copyfile(api_database[0], path)
    return path


@pytest.fixture
def app(database_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The web app on this test's copy of the database."""
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": f"sqlite:///{database_file}", "SECRET_KEY": "k" * 40})
    yield app
    app.extensions["finans.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def auth(api_database: tuple[Path, dict[str, str]]) -> Callable[[str], dict[str, str]]:
    """The Authorization header of a test role's user."""
    tokens = api_database[1]

    def header(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    return header


@pytest.fixture
def db_session(database_file: Path) -> Iterator[Session]:
    """A session on the same database as the app, to look behind the API."""
    engine = make_engine(f"sqlite:///{database_file}")
    with Session(engine) as opened:
        yield opened
    engine.dispose()
