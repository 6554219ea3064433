"""Log-ins live on the server: log-out, a password change, a reset or a deactivation end them,
and a session cookie copied before that opens nothing."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlmodel import Session, select

from finans.services import tokens, users
from finans.services.actor import Actor, Role
from finans.store.models import AuditEntry, LoginSession
from tests.web.webclient import Client

ADMIN = Actor("admin", Role.ADMIN)
NEW_PASSWORD = "en-helt-ny-kode"


def _copy_of(app: Flask, client: Client) -> Client:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.client.get_cookie("session")
    assert cookie is not None
    thief = Client(app.test_client())
    thief.client.set_cookie("session", cookie.value)
    return thief


def _logged_in(client: Client) -> bool:
    response = client.client.get("/sager")
    return response.status_code == 200


def test_a_session_cookie_copied_before_log_out_no_longer_works_after_it(
    app: Flask, login: Callable[[str], Client]
) -> None:
    client = login("leder")
    thief = _copy_of(app, client)
    assert _logged_in(thief)
    client.post("/logout")
    response = thief.client.get("/sager")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_log_out_ends_only_that_log_in(login: Callable[[str], Client]) -> None:
    office, home = login("leder"), login("leder")
    office.post("/logout")
    assert not _logged_in(office)
    assert _logged_in(home)


def test_changing_ones_own_password_logs_the_user_out_everywhere_else(
    login: Callable[[str], Client], session: Session
) -> None:
    here, elsewhere = login("controller.job"), login("controller.job")
    here.get("/konto")
    response = here.post("/konto/adgangskode", {
        "current": "demo1234", "new": NEW_PASSWORD, "repeated": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert _logged_in(here)
    assert not _logged_in(elsewhere)
    assert users.authenticate(session, username="controller.job", password=NEW_PASSWORD)


def test_a_password_change_needs_the_current_password_and_the_new_one_twice(
    login: Callable[[str], Client], session: Session
) -> None:
    client = login("controller.job")
    client.get("/konto")
    response = client.post("/konto/adgangskode", {
        "current": "forkert-kode", "new": NEW_PASSWORD, "repeated": "noget-andet",
    })
    assert response.status_code == 422
    assert "Den nuværende adgangskode er forkert" in response.text
    assert "Den nye adgangskode er ikke gentaget ens" in response.text
    assert users.authenticate(session, username="controller.job", password="demo1234")
    assert _logged_in(client)


def test_an_administrators_password_reset_logs_the_user_out_and_revokes_their_tokens(
    login: Callable[[str], Client], session: Session
) -> None:
    victim = login("leder")
    token = tokens.create_token(session, actor=ADMIN, username="leder")
    admin = login("admin")
    admin.get("/admin/brugere/leder")
    response = admin.post("/admin/brugere/leder/adgangskode", {"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _logged_in(victim)
    assert tokens.actor_for_token(session, token=token) is None
    entry = session.exec(select(AuditEntry).where(AuditEntry.key == "leder")).all()[-1]
    assert entry.after == {"version": 2, "password": "ny", "sessions_ended": 1,
                           "tokens_revoked": 1}


def test_deactivating_a_user_ends_their_log_ins(
    login: Callable[[str], Client], session: Session
) -> None:
    victim = login("leder")
    users.update_user(session, actor=ADMIN, username="leder", version=1, data={"active": False})
    assert not _logged_in(victim)
    assert session.exec(select(LoginSession)).all() == []


def test_the_account_page_lists_ones_own_tokens_without_their_secret_and_revokes_them(
    login: Callable[[str], Client], session: Session
) -> None:
    mine = tokens.create_token(session, actor=ADMIN, username="leder", label="Power BI")
    tokens.create_token(session, actor=ADMIN, username="admin", label="Andens nøgle")
    client = login("leder")
    page = client.get("/konto").text
    assert "Power BI" in page and mine[:12] in page and mine not in page
    assert "Andens nøgle" not in page
    listed = tokens.list_tokens(session, actor=ADMIN, username="leder")
    response = client.post(f"/konto/api-noegler/{listed[0].id}/tilbagekald")
    assert response.status_code == 302
    assert tokens.actor_for_token(session, token=mine) is None


def test_administrators_see_everyones_tokens_and_revoke_them(
    login: Callable[[str], Client], session: Session
) -> None:
    first = tokens.create_token(session, actor=ADMIN, username="leder", label="Rapporter")
    tokens.create_token(session, actor=ADMIN, username="controller.job", label="Regneark")
    admin = login("admin")
    page = admin.get("/admin/api-noegler").text
    assert "Rapporter" in page and "Regneark" in page and "controller.job" in page
    assert first not in page
    token_id = tokens.list_tokens(session, actor=ADMIN, username="leder")[0].id
    assert admin.post(f"/admin/api-noegler/{token_id}/tilbagekald").status_code == 302
    assert tokens.actor_for_token(session, token=first) is None
    assert "tilbagekaldt" in admin.get("/admin/api-noegler").text
