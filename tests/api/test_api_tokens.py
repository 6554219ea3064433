"""API tokens: listed by their owner without the secret, revoked, expired, ended by a password
change; a token that no longer works answers 401 in Danish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from finans.services import tokens, users
from finans.store.models import ApiToken, AuditEntry
from finans.store.timestamps import now
from tests.api.conftest import ROOT

Auth = Callable[[str], dict[str, str]]


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _refusal(client: FlaskClient, token: str) -> str:
    response = client.get("/api/v1/departments", headers=_bearer(token))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    return str(response.json["errors"][0]["message"])


def test_a_caller_lists_only_their_own_tokens_and_never_a_secret(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    extra = tokens.create_token(db_session, actor=ROOT, username="manager", label="Rapporter")
    response = client.get("/api/v1/tokens", headers=auth("manager"))
    assert response.status_code == 200
    items = response.json["items"]
    assert [item["user"] for item in items] == ["manager", "manager"]
    assert {item["label"] for item in items} == {"", "Rapporter"}
    assert extra not in response.text and auth("manager")["Authorization"][7:] not in response.text
    assert all(item["state"] == "active" for item in items)


def test_a_token_remembers_when_it_was_last_used(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    client.get("/api/v1/departments", headers=auth("manager"))
    used = db_session.exec(select(ApiToken).where(col(ApiToken.last_used_at).is_not(None)))
    assert len(used.all()) == 1


def test_a_revoked_token_gets_401_in_danish(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    token = tokens.create_token(db_session, actor=ROOT, username="manager")
    token_id = tokens.list_tokens(db_session, actor=ROOT, username="manager")[-1].id
    response = client.delete(f"/api/v1/tokens/{token_id}", headers=auth("manager"))
    assert response.status_code == 200
    assert response.json["state"] == "revoked"
    assert _refusal(client, token) == "API-nøglen er tilbagekaldt."
    assert client.get("/api/v1/departments", headers=auth("manager")).status_code == 200


def test_revoking_through_post_works_like_delete_and_a_second_time_changes_nothing(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    token = tokens.create_token(db_session, actor=ROOT, username="manager")
    token_id = tokens.list_tokens(db_session, actor=ROOT, username="manager")[-1].id
    first = client.post(f"/api/v1/tokens/{token_id}/revoke", headers=auth("manager"))
    second = client.post(f"/api/v1/tokens/{token_id}/revoke", headers=auth("manager"))
    assert first.status_code == second.status_code == 200
    assert first.json == second.json
    assert _refusal(client, token) == "API-nøglen er tilbagekaldt."
    revocations = db_session.exec(select(AuditEntry).where(AuditEntry.action == "revoke")).all()
    assert [entry.key for entry in revocations] == [str(token_id)]


def test_nobody_revokes_another_users_token_through_the_api_not_even_an_administrator(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    other = tokens.list_tokens(db_session, actor=ROOT, username="manager")[0].id
    for caller in ("caseworker", "admin"):
        response = client.delete(f"/api/v1/tokens/{other}", headers=auth(caller))
        assert response.status_code == 404
    assert client.get("/api/v1/departments", headers=auth("manager")).status_code == 200


def test_an_expired_token_gets_401_in_danish(
    client: FlaskClient, db_session: Session
) -> None:
    token = tokens.create_token(db_session, actor=ROOT, username="manager", days=1)
    assert client.get("/api/v1/departments", headers=_bearer(token)).status_code == 200
    db_session.exec(update(ApiToken).where(col(ApiToken.prefix) == token[:12])  # type: ignore[call-overload]
                    .values(expires_at=now() - timedelta(seconds=1)))
    db_session.commit()
    assert _refusal(client, token).startswith("API-nøglen er udløbet.")


def test_a_password_change_revokes_the_users_tokens(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    users.set_password(db_session, actor=ROOT, username="manager", password="en-ny-kode-her")
    assert _refusal(client, auth("manager")["Authorization"][7:]) == "API-nøglen er tilbagekaldt."


def test_an_unknown_token_says_so(client: FlaskClient) -> None:
    assert _refusal(client, "fin_ukendt") == "API-nøglen er ukendt."


def test_every_token_is_created_and_revoked_with_an_audit_entry(db_session: Session) -> None:
    before = len(db_session.exec(select(AuditEntry)).all())
    tokens.create_token(db_session, actor=ROOT, username="manager", label="Test")
    token_id = tokens.list_tokens(db_session, actor=ROOT, username="manager")[-1].id
    tokens.revoke_token(db_session, actor=ROOT, token_id=token_id)
    entries = db_session.exec(select(AuditEntry)).all()[before:]
    assert [(e.action, e.entity, e.key) for e in entries] == [
        ("create", "token", str(token_id)), ("revoke", "token", str(token_id)),
    ]
    assert entries[0].after is not None and entries[0].after["label"] == "Test"
