"""Fixtures for the overview: the demo municipality in a database, and the web app on it.

The demo is loaded once per test session into a SQLite file; each test gets its own copy, so the
figures tests cost milliseconds. ``demo_everywhere`` loads it into each kind of database instead,
for the tests that must also hold on PostgreSQL.
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
from finans.services.scenario import load_scenario
from finans.store.db import make_engine
from finans.store.timestamps import local, now
from finans.web import create_app
from tests.conftest import demo_database, load_demo
from tests.dashboard.overview_people import ADMIN, TODAY
from tests.dashboard.page_tables import csrf_token


@pytest.fixture(scope="session")
def demo_file(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo municipality (dated from :data:`TODAY`), to copy."""
    return demo_database(sqlite_template, tmp_path_factory.mktemp("demo") / "finans.db", TODAY)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Session]:
    """A session on this test's own copy of the demo database."""
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_file, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def demo_everywhere(session: Session) -> Session:
    """The demo municipality in a fresh SQLite database, then in PostgreSQL."""
    return load_demo(session, TODAY)


# --- the web app ---------------------------------------------------------------------------------

PASSWORD = "hemmelig-kode"
WEB_USERS = {
    "leder": ("manager", None),
    "admin": ("admin", None),
    "controller.job": ("controller", "JOB"),
    "raadgiver.bfh": ("caseworker", "BFH"),
}


@pytest.fixture(scope="session")
def web_file(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo dated from the real today (as ``finans demo`` loads it) and a
    user per role, all with :data:`PASSWORD`."""
    path = tmp_path_factory.mktemp("web") / "finans.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        report = load_scenario(session, actor=ADMIN, data=demo_scenario(local(now()).date()),
                               apply=True)
        assert report.applied
        for name, (role, department) in WEB_USERS.items():
            users.create_user(session, actor=ADMIN, username=name, role=role, password=PASSWORD,
                              department=department)
    engine.dispose()
    return path


@pytest.fixture
def web_database(web_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    shutil.copyfile(web_file, path)
    return path


@pytest.fixture
def app(web_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The real app (CSRF protection on) on this test's copy of the web database."""
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": f"sqlite:///{web_database}", "SECRET_KEY": "k" * 40})
    yield app
    app.extensions["finans.engine"].dispose()


@pytest.fixture
def login(app: Flask) -> Callable[[str], FlaskClient]:
    """A browser logged in as one of :data:`WEB_USERS`."""

    def logged_in(username: str) -> FlaskClient:
        client = app.test_client()
        response = client.post("/login", data={
            "username": username, "password": PASSWORD, "csrf_token": csrf_token(client, "/login"),
        })
        assert response.status_code == 302
        return client

    return logged_in
