"""A database outage, the caching and transport headers, and refused uploads.

The outage is real: a PostgreSQL server of the test's own is stopped under the running app and
started again; the app answers "prøv igen om lidt" meanwhile and recovers by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlmodel import Session

from finans.services import tokens, users
from finans.services.actor import Actor, Role
from finans.store.db import make_engine, migrate
from finans.web import create_app
from finans.web.database import ENGINE_KEY
from tests.conftest import Cluster
from tests.web.webclient import Client

ADMIN = Actor("admin", Role.ADMIN)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A PostgreSQL server of this test's own, which the test may stop and start."""
    own = Cluster()
    url = own.start()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE finans"))
    admin.dispose()
    yield own
    own.stop()


@pytest.mark.postgres
def test_a_database_outage_asks_people_to_try_again_and_the_app_recovers_by_itself(
    cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/finans"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        users.create_user(session, actor=ADMIN, username="leder", role="manager",
                          password="demo1234")
        token = tokens.create_token(session, actor=ADMIN, username="leder")
    engine.dispose()
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path))
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "outage"})
    browser = Client(app.test_client())
    browser.login("leder", "demo1234")
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.get("/sager").status_code == 200
    assert api.get("/api/v1/departments", headers=bearer).status_code == 200

    cluster.pause()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        page = browser.get("/sager")
        answer = api.get("/api/v1/departments", headers=bearer)
        health = api.get("/healthz")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Prøv igen om lidt" in page.text and "Traceback" not in page.text
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
    assert answer.json["errors"][0]["message"] == (
        "Databasen svarer ikke lige nu. Prøv igen om lidt."
    )
    assert health.status_code == 503
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage().split(":")[0] for record in warnings] == [
        "Database unavailable on GET /sager", "Database unavailable on GET /api/v1/departments",
    ]
    assert all(record.exc_info is None for record in warnings)

    cluster.resume()
    assert browser.get("/sager").status_code == 200
    assert api.get("/api/v1/departments", headers=bearer).status_code == 200
    app.extensions[ENGINE_KEY].dispose()


def test_pages_and_api_answers_are_never_stored_by_browsers_or_proxies(
    login: Callable[[str], Client], app: Flask
) -> None:
    client = login("leder")
    for path in ("/", "/login", "/konto", "/api/v1/openapi.json", "/healthz"):
        assert client.client.get(path).headers["Cache-Control"] == "no-store", path
    static = client.client.get("/static/finans.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_production_tells_browsers_to_use_https_only_and_development_does_not(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    monkeypatch.setenv("FINANS_ENV", "production")
    monkeypatch.setenv("FINANS_SECRET_KEY", "p" * 40)
    production = create_app({"DATABASE_URL": app.config["DATABASE_URL"]})
    headers = production.test_client().get("/login").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    production.extensions[ENGINE_KEY].dispose()


REFUSED = {
    "not a workbook": (b"Afdeling;Beloeb\nBFH;100\n", "tal.xlsx"),
    "a csv file": (b"Afdeling;Beloeb\n", "tal.csv"),
    "a macro workbook": (b"PK\x03\x04", "makro.xlsm"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_a_refused_upload_leaves_no_file_on_the_server(
    login: Callable[[str], Client], app: Flask, kind: str
) -> None:
    content, name = REFUSED[kind]
    client = login("controller.bfh")
    client.get("/import")
    response = client.post("/import", {"workbook": (BytesIO(content), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Hent fejlark" not in response.text
    uploads = Path(app.instance_path) / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_an_upload_over_the_size_limit_leaves_no_file_on_the_server(
    login: Callable[[str], Client], app: Flask
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client = login("controller.bfh")
    client.get("/import")
    response = client.post("/import", {"workbook": (BytesIO(b"x" * 20_000), "stor.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    uploads = Path(app.instance_path) / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []
