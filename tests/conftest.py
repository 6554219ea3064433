"""Database fixtures shared by every test area: real SQLite files and a real PostgreSQL server.

``database_url`` is parametrised over ``sqlite`` and ``postgres`` and gives each test a fresh,
migrated, empty database. Both kinds are migrated once per test session through the same Alembic
path as ``finans init``; each test then gets a copy of the migrated SQLite file, or the session's
PostgreSQL database emptied by ``TRUNCATE`` (the rows the migrations seed put back), which keeps a
test's database setup to milliseconds.

``redis_url`` gives a throwaway Redis server (Debian's ``redis-server``), the storage the log-in
limits share between server processes.

PostgreSQL: ``FINANS_TEST_POSTGRES_URL`` points at a server where the tests may create databases;
without it a throwaway cluster is started from the installed PostgreSQL binaries for the session
and removed afterwards. If neither works the postgres tests fail (install the ``postgresql``
package); ``FINANS_SKIP_POSTGRES=1`` skips them on purpose.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from finans.demo import demo_scenario
from finans.services.actor import Actor, Role
from finans.services.scenario import load_scenario
from finans.store.db import make_engine, migrate
from tests.mailserver import Inbox, smtp_server

DEMO_LOADER = Actor("admin", Role.ADMIN)

# --- SQLite -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file to copy (all connections closed, so the WAL is merged)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "finans.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


def load_demo(session: Session, today: date) -> Session:
    """Load the demo municipality, dated from ``today``, through the trusted load path."""
    report = load_scenario(session, actor=DEMO_LOADER, data=demo_scenario(today), apply=True)
    assert report.applied and not report.problems
    return session


def demo_database(template: Path, target: Path, today: date) -> Path:
    """A copy of the migrated SQLite template holding the demo municipality, to copy per test."""
    shutil.copyfile(template, target)
    engine = make_engine(f"sqlite:///{target}")
    with Session(engine) as session:
        load_demo(session, today)
    engine.dispose()
    return target


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database file for this test."""
    path = tmp_path / "finans.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


# --- PostgreSQL ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder (run as ``postgres`` when root)."""

    def __init__(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise RuntimeError("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
        self.bin = Path(binaries[-1]).parent
        self.as_user: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="finans-pg-"))
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.port = _free_port()
        self.running = False

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            text=True,
        )

    def start(self) -> URL:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C", "--no-sync")
        self.resume()
        return URL.create(
            "postgresql+psycopg", username="postgres", host="127.0.0.1", port=self.port,
            database="postgres",
        )

    def resume(self) -> None:
        """Start the server on the cluster's data (again, after :meth:`pause`)."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options,
                 "-w", "start")
        self.running = True

    def pause(self) -> None:
        """Stop the server, as an outage would; the data stays for :meth:`resume`."""
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.running = False

    def stop(self) -> None:
        try:
            if self.running:
                self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _failure(error: Exception) -> str:
    detail = getattr(error, "stderr", "") or str(error)
    return (
        "PostgreSQL is needed for the store tests and could not be started: "
        f"{detail.strip()}\nInstall the Debian package 'postgresql' (apt-get install postgresql), "
        "or point FINANS_TEST_POSTGRES_URL at a server where the tests may create databases, "
        "or set FINANS_SKIP_POSTGRES=1 to skip these tests on purpose."
    )


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An autocommit engine on a PostgreSQL server that the tests may create databases on."""
    if os.environ.get("FINANS_SKIP_POSTGRES") == "1":
        pytest.skip("FINANS_SKIP_POSTGRES=1")
    configured = os.environ.get("FINANS_TEST_POSTGRES_URL")
    cluster = None
    failure = None
    try:
        if configured:
            url = make_url(configured)
        else:
            cluster = Cluster()
            url = cluster.start()
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        failure = _failure(error)
    if failure is not None:
        if cluster is not None:
            cluster.stop()
        pytest.fail(failure, pytrace=False)
    yield engine
    engine.dispose()
    if cluster is not None:
        cluster.stop()


def _database_url(admin: Engine, name: str) -> str:
    return admin.url.set(database=name).render_as_string(hide_password=False)


class _Reset:
    """Empties a migrated database and puts back the rows the migrations seeded (settings)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        schema = MetaData()
        schema.reflect(engine)
        self.tables = [t for t in reversed(schema.sorted_tables) if t.name != "alembic_version"]
        with engine.connect() as connection:
            self.seed = {
                table: [dict(row._mapping) for row in connection.execute(table.select())]
                for table in self.tables
            }

    def __call__(self) -> None:
        names = ", ".join(f'"{table.name}"' for table in self.tables)
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            for table, rows in self.seed.items():
                if rows:
                    connection.execute(table.insert(), rows)


@pytest.fixture(scope="session")
def postgres_database(postgres_admin: Engine) -> Iterator[tuple[str, _Reset]]:
    """A migrated database for the session, with a way to empty it between tests."""
    name = f"finans_test_{uuid.uuid4().hex[:8]}"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = _database_url(postgres_admin, name)
    engine = make_engine(url, poolclass=NullPool)
    migrate(engine)
    yield url, _Reset(engine)
    engine.dispose()
    with postgres_admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def postgres_url(postgres_database: tuple[str, _Reset]) -> str:
    """The session's PostgreSQL database, emptied for this test (migrations' seed rows kept)."""
    url, reset = postgres_database
    reset()
    return url


# --- Redis (the log-in limits' shared storage) --------------------------------------------------


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway Redis server on a free port, started from Debian's ``redis-server``."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("The log-in limit tests need Redis: install the Debian package "
                    "'redis-server' (apt-get install redis-server).", pytrace=False)
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {port}", pytrace=False)
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's Redis server, emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushall()
    client.close()
    return redis_server


# --- either -------------------------------------------------------------------------------------


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated, empty database: a SQLite file, then a PostgreSQL database."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def another_database_url(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[str]:
    """A second fresh, migrated database of the same kind as ``database_url`` (to restore into)."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "another.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin: Engine = request.getfixturevalue("postgres_admin")
    name = f"{make_url(database_url).database}_another"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = _database_url(admin, name)
    engine = make_engine(url, poolclass=NullPool)
    migrate(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on this test's database, disposed afterwards."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def new_session(engine: Engine) -> Iterator[Callable[[], Session]]:
    """Open further sessions on the test database (closed afterwards), e.g. to interleave two."""
    opened: list[Session] = []

    def open_session() -> Session:
        session = Session(engine)
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.close()


@pytest.fixture
def session(new_session: Callable[[], Session]) -> Session:
    """A session on this test's fresh database."""
    return new_session()


# --- mail ---------------------------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server in the test process: the inbox of what it received, and its port."""
    with smtp_server() as running:
        yield running
