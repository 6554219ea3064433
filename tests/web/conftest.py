"""Fixtures for the web tests: the app on a copy of the demo municipality, and a client that
logs in and fills forms the way a browser does, CSRF token included.

The demo is loaded once per session by ``finans demo`` (dated today, as a first run would be);
each test gets its own copy of the file. The demo users' password hashes are then rewritten with
a one-round PBKDF2 so that the many log-ins of these tests cost nothing; the log-in still goes
through the real password check.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import update
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from finans.cli.db import demo
from finans.demo import DEMO_PASSWORD
from finans.services import case_list, casework, splits
from finans.store import models
from finans.store.db import make_engine
from finans.store.timestamps import local, now
from finans.web import create_app
from finans.web.database import ENGINE_KEY
from tests.web.webclient import CASEWORKER, Client, DemoFacts


@pytest.fixture(scope="session")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo municipality and its users, to copy."""
    folder = tmp_path_factory.mktemp("web-demo")
    path = folder / "finans.db"
    shutil.copyfile(sqlite_template, path)
    environment = {"FINANS_DATABASE_URL": f"sqlite:///{path}", "FINANS_INSTANCE": str(folder)}
    result = CliRunner().invoke(demo, env=environment)
    assert result.exit_code == 0, result.output
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        cheap = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1")
        session.exec(update(models.User).values(password_hash=cheap))  # type: ignore[call-overload]
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def mail_environment() -> dict[str, str]:
    """Mail settings for the app (none: mails stay in the outbox); mail tests override it."""
    return {}


@pytest.fixture
def app(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    mail_environment: dict[str, str],
) -> Iterator[Flask]:
    """The app on this test's own copy of the demo, with CSRF protection on."""
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_template, path)
    for name in ("FINANS_DATABASE_URL", "FINANS_ENV", "FINANS_SECRET_KEY", "FINANS_SMTP_URL",
                 "FINANS_MAIL_FROM", "FINANS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in mail_environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}",
                      "SECRET_KEY": "web-tests"})
    yield app
    app.extensions[ENGINE_KEY].dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session on the app's database, to set up and check what the pages did."""
    with Session(app.extensions[ENGINE_KEY]) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> Client:
    return Client(app.test_client())


@pytest.fixture
def login(app: Flask) -> Callable[[str], Client]:
    """``login(username)``: a new client logged in as that user."""

    def log_in(username: str) -> Client:
        client = Client(app.test_client())
        client.login(username)
        return client

    return log_in


@pytest.fixture
def facts(session: Session) -> DemoFacts:
    summaries = case_list.search_cases(session, actor=CASEWORKER)
    case = next(summary for summary in summaries if summary.interventions)
    figures = casework.case_figures(session, actor=CASEWORKER, ref=case.case.ref,
                                    today=local(now()).date())
    pending = splits.pending_approvals(session, actor=CASEWORKER)
    return DemoFacts(
        case=case.case.ref,
        intervention=figures.interventions[0].intervention.id,
        split=pending[0].split,
        awaiting=pending[0].department,
    )
