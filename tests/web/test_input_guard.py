"""No text reaches the app unchecked: a NUL byte, another control character or a 1 MB string in
any field of any form (the log-in form too) or any string of any JSON body the OpenAPI document
describes gets a 4xx naming the field, and changes nothing. On SQLite and PostgreSQL.

The forms are found by following every role's links (tests/web/form_pages.py), the JSON fields
by walking the request schemas of the OpenAPI document.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlmodel import Session
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash
from werkzeug.test import TestResponse

from finans.demo import DEMO_PASSWORD, demo_users
from finans.services import splits, tokens
from finans.services.audit import FIELD_NAMES
from finans.services.users import create_user
from finans.store import models
from finans.store.db import make_engine
from finans.web import create_app
from finans.web.api.openapi import DOCUMENT, EXAMPLES
from finans.web.database import ENGINE_KEY
from tests.conftest import DEMO_LOADER, load_demo
from tests.web.form_pages import Form, crawl
from tests.web.webclient import Client

MEGABYTE = "x" * 1_000_000
PATH_VALUES = {"code": "BFH", "department": "BFH", "year": "2026", "split_id": "1",
               "token_id": "1", "id": "I-1", "ref": "S-2025-0001"}
MAP_KEY = "BFH"
"""The key used for free-form maps (shares per department)."""


# --- the apps, their forms and their JSON fields ----------------------------------------------


def _people(session: Session) -> list[str]:
    waiting = splits.pending_approvals(session, actor=DEMO_LOADER)[0]["department"]
    return ["raadgiver.bfh", f"controller.{waiting.lower()}", "leder", "admin"]


def _forms(app: Flask, people: list[str]) -> list[tuple[Client, Form]]:
    """Every form, with a client of a role that may post it (anonymous for the log-in)."""
    anonymous = Client(app.test_client())
    found = [(anonymous, form) for form in crawl(app, anonymous, ["/login"])]
    known = {(form.method, form.action) for _, form in found}
    for username in people:
        client = Client(app.test_client())
        client.login(username)
        for form in crawl(app, client):
            if (form.method, form.action) not in known and form.text_fields:
                known.add((form.method, form.action))
                found.append((client, form))
    return found


def _schema(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _string_paths(schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    schema = _schema(schema)
    kind = schema.get("type")
    if kind == "string":
        yield prefix
    elif kind == "array":
        yield from _string_paths(schema["items"], f"{prefix}[0]")
    elif kind == "object":
        for name, inner in schema.get("properties", {}).items():
            yield from _string_paths(inner, f"{prefix}.{name}" if prefix else name)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            yield from _string_paths(extra, f"{prefix}.{MAP_KEY}" if prefix else MAP_KEY)


def json_fields() -> list[tuple[str, str, str, str]]:
    """(method, path, schema name, string field path) for every JSON request body."""
    found = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            name = schema["$ref"].rsplit("/", 1)[1]
            concrete = path.format(**PATH_VALUES)
            found += [(method.upper(), concrete, name, field)
                      for field in _string_paths(schema)]
    return found


JSON_FIELDS = json_fields()


def _set(body: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    """``body`` with the string at ``path`` (``cost.amount``, ``core_team[0]``) set."""
    parts = path.replace("[0]", ".[0]").split(".")
    target: Any = body
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        step: Any = 0 if part == "[0]" else part
        if following is None:
            if isinstance(target, list):
                target[:] = [value]
            else:
                target[step] = value
        elif isinstance(target, list):
            if not target or not isinstance(target[0], list | dict):
                target[:] = [[] if following == "[0]" else {}]
            target = target[0]
        else:
            if not isinstance(target.get(step), list | dict):
                target[step] = [] if following == "[0]" else {}
            target = target[step]
    return body


# --- sending bad values -----------------------------------------------------------------------


def send_form(client: Client, form: Form, field: str, value: str) -> TestResponse:
    values = MultiDict([(name, value if name == field else typed)
                        for name, typed in form.fields])
    if form.method == "GET":
        return client.client.get(form.action, query_string=values)
    values.setlist("csrf_token", [client.token])
    return client.client.post(form.action, data=values)


def located_on_page(response: TestResponse, field: str) -> bool:
    return f"<li>{FIELD_NAMES.get(field, field)}: " in html.unescape(response.text)


def send_json(app: Flask, token: str, method: str, path: str, schema: str, field: str,
              value: str) -> TestResponse:
    body = _set(dict(EXAMPLES.get(schema, {})), field, value)
    return app.test_client().open(f"/api/v1{path}", method=method, json=body,
                                  headers={"Authorization": f"Bearer {token}"})


def wheres(response: TestResponse) -> set[str]:
    return {problem["where"] for problem in response.json["errors"]}


def _audit_entries(app: Flask) -> int:
    with Session(app.extensions[ENGINE_KEY]) as session:
        return int(session.execute(select(func.count()).select_from(models.AuditEntry))
                   .scalar_one())


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def guarded(app: Flask, session: Session) -> tuple[Flask, list[tuple[Client, Form]], str]:
    token = tokens.create_token(session, actor=DEMO_LOADER, username="admin")
    return app, _forms(app, _people(session)), token


@pytest.fixture
def postgres_app(postgres_url: str, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, list[str], str]]:
    """The app on PostgreSQL holding the demo municipality and its users."""
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        load_demo(session, date.today())
        for person in demo_users():
            create_user(session, actor=DEMO_LOADER, username=person["username"],
                        name=person["name"], role=person["role"],
                        department=person["department"], password="midlertidig")
        cheap = generate_password_hash(DEMO_PASSWORD, method="pbkdf2:sha256:1")
        session.exec(update(models.User).values(password_hash=cheap))  # type: ignore[call-overload]
        session.commit()
        people = _people(session)
        token = tokens.create_token(session, actor=DEMO_LOADER, username="admin")
    engine.dispose()
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"DATABASE_URL": postgres_url, "SECRET_KEY": "guard"})
    yield app, people, token
    app.extensions[ENGINE_KEY].dispose()


# --- the tests --------------------------------------------------------------------------------


def test_the_forms_found_include_every_kind_of_form_people_fill_in(
    guarded: tuple[Flask, list[tuple[Client, Form]], str],
) -> None:
    _app, forms, _token = guarded
    actions = {form.action.split("/")[1] for _client, form in forms}
    assert {"login", "sager", "indsatser", "godkendelser", "admin", "konto", "overblik",
            "revisionslog"} <= actions
    assert len(forms) >= 15


def test_the_openapi_walk_finds_the_string_fields_of_every_request_body() -> None:
    fields = {(path, field) for _method, path, _schema, field in JSON_FIELDS}
    assert ("/cases", "core_team[0]") in fields
    assert ("/interventions", "cost.amount") in fields
    assert ("/interventions/I-1/splits", f"shares.{MAP_KEY}") in fields
    assert ("/splits/1/reject", "reason") in fields


def _every_field_refuses_a_nul_byte(app: Flask, forms: list[tuple[Client, Form]],
                                    token: str) -> None:
    before = _audit_entries(app)
    refused = []
    for client, form in forms:
        for field in form.text_fields:
            response = send_form(client, form, field, "før\x00efter")
            refused.append((form.action, field, response.status_code,
                            located_on_page(response, field)))
    for method, path, schema, field in JSON_FIELDS:
        response = send_json(app, token, method, path, schema, field, "før\x00efter")
        refused.append((path, field, response.status_code, field in wheres(response)))
    assert [row for row in refused if row[2:] != (422, True)] == []
    assert _audit_entries(app) == before


def test_a_nul_byte_in_any_field_of_any_form_or_json_body_is_refused_on_sqlite(
    guarded: tuple[Flask, list[tuple[Client, Form]], str],
) -> None:
    _every_field_refuses_a_nul_byte(*guarded)


@pytest.mark.postgres
def test_a_nul_byte_in_any_field_of_any_form_or_json_body_is_refused_on_postgresql(
    postgres_app: tuple[Flask, list[str], str],
) -> None:
    app, people, token = postgres_app
    _every_field_refuses_a_nul_byte(app, _forms(app, people), token)


HOSTILE = st.one_of(
    st.just(MEGABYTE),
    st.builds(lambda before, control, after: f"{before}{control}{after}",
              st.text(max_size=20),
              st.characters(categories=["Cc"]).filter(lambda c: c not in "\t\n\r"),
              st.text(max_size=20)),
)
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large, HealthCheck.too_slow])


@FUZZ
@given(data=st.data(), value=HOSTILE)
def test_any_hostile_text_in_any_form_field_gets_a_4xx_naming_the_field(
    guarded: tuple[Flask, list[tuple[Client, Form]], str], data: st.DataObject, value: str,
) -> None:
    app, forms, _token = guarded
    client, form = data.draw(st.sampled_from(forms))
    field = data.draw(st.sampled_from(form.text_fields))
    response = send_form(client, form, field, value)
    assert response.status_code == 422
    assert located_on_page(response, field)


@FUZZ
@given(target=st.sampled_from(JSON_FIELDS), value=HOSTILE)
def test_any_hostile_text_in_any_json_field_gets_a_422_naming_the_field(
    guarded: tuple[Flask, list[tuple[Client, Form]], str], target: tuple[str, str, str, str],
    value: str,
) -> None:
    app, _forms, token = guarded
    response = send_json(app, token, *target, value)
    assert response.status_code == 422
    assert target[3] in wheres(response)


def test_a_multi_line_reason_with_tabs_is_kept_exactly_and_a_too_long_one_is_refused(
    login: Callable[[str], Client], session: Session
) -> None:
    waiting = splits.pending_approvals(session, actor=DEMO_LOADER)[0]
    split = splits.get_split(session, actor=DEMO_LOADER, split_id=waiting["split"])
    client = login(f"controller.{waiting['department'].lower()}")
    path = f"/godkendelser/{waiting['split']}"
    client.get(path)
    too_long = client.post(path, {"decision": "reject", "version": str(split["version"]),
                                  "reason": "for meget " * 201})
    assert too_long.status_code == 422
    assert "Teksten må højst være 2.000 tegn" in too_long.text
    reason = "Andelen er for høj:\r\n\t– se notatet\r\n" + "å" * 1900
    saved = client.post(path, {"decision": "reject", "version": str(split["version"]),
                               "reason": reason})
    assert saved.status_code == 302
    session.expire_all()
    decided = splits.get_split(session, actor=DEMO_LOADER, split_id=waiting["split"])
    assert any(decision.get("reason") == reason.strip() for decision in decided["decisions"])


def test_a_path_with_control_characters_names_nothing(login: Callable[[str], Client]) -> None:
    client = login("leder")
    assert client.get("/sager/S-2025%00-0001").status_code == 404
    assert client.get("/admin/brugere/" + "a" * 300).status_code in (403, 404)

