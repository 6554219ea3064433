"""Database engines and migrations.

Create one engine per process with :func:`make_engine` and a ``sqlmodel.Session(engine)`` per unit
of work (a request, a command). SQLite connections get foreign keys and WAL on every connection and
wait up to :data:`SQLITE_BUSY_SECONDS` for the write lock (the services take it before a change's
first read); PostgreSQL is used as it is (``postgresql+psycopg://…``). The schema is created and
upgraded only by Alembic (:func:`migrate`), the same way in production and in the tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlmodel import Session, select

import finans.store
from finans.store import models

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_SECONDS = 30
"""How long a SQLite connection waits for another's write lock before giving up."""


def load_models() -> None:
    """Import every module of :mod:`finans.store`, so that all tables are on the metadata."""
    for module in pkgutil.iter_modules(finans.store.__path__):
        if not module.ispkg:
            importlib.import_module(f"finans.store.{module.name}")


def make_engine(url: str | URL, **options: Any) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing.

    Connections are tested before use (``pool_pre_ping``), so after a database restart the pool
    replaces its dead connections by itself instead of failing the next requests.
    """
    url = make_url(url)
    options.setdefault("pool_pre_ping", True)
    if url.get_backend_name() == "sqlite":
        options.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_SECONDS)
    engine = create_engine(url, **options)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """Alembic's configuration for the packaged migrations, bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Create the schema or bring it up to date; running it again changes nothing."""
    command.upgrade(alembic_config(engine), "head")


def head_revision() -> str:
    """The newest migration this code knows."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "finans ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at; ``None`` for a database finans has not set up."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    """Whether the database exists and is migrated to :func:`head_revision`."""
    return current_revision(engine) == head_revision()


def is_empty(session: Session) -> bool:
    """No departments, cases or users yet (a fresh database, ready for ``finans demo``)."""
    return all(
        session.exec(select(table.id).limit(1)).first() is None
        for table in (models.Department, models.Case, models.User)
    )


def describe_url(url: str | URL) -> str:
    """The URL for people, with any password hidden."""
    return make_url(url).render_as_string(hide_password=True)
