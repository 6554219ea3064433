"""Fixtures for the overview: the demo municipality in a database.

The demo is loaded once per test session into a SQLite file; each test gets its own copy, so the
figures tests cost milliseconds. ``demo_everywhere`` loads it into each kind of database instead,
for the tests that must also hold on PostgreSQL.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from overview_people import ADMIN, TODAY
from sqlmodel import Session

from finans.demo import demo_scenario
from finans.services.scenario import load_scenario
from finans.store.db import make_engine


def load_demo(session: Session) -> Session:
    report = load_scenario(session, actor=ADMIN, data=demo_scenario(TODAY), apply=True)
    assert report.applied and not report.problems
    return session


@pytest.fixture(scope="session")
def demo_file(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the demo municipality (dated from :data:`TODAY`), to copy."""
    path = tmp_path_factory.mktemp("demo") / "finans.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        load_demo(session)
    engine.dispose()
    return path


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
    return load_demo(session)
