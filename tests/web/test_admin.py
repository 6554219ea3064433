"""Administration of departments, users and criteria, and the audit log that records it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from tests.web.webclient import Client


@pytest.fixture
def admin(login: Callable[[str], Client]) -> Client:
    return login("admin")


def _version(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match is not None
    return match.group(1)


def test_an_administrator_adds_a_department_that_then_appears_in_the_forms(
    admin: Client, login: Callable[[str], Client], facts: object
) -> None:
    admin.get("/admin/afdelinger")
    response = admin.post("/admin/afdelinger",
                          {"code": "PSY", "name": "Psykiatri", "account": "5.38.60"})
    assert response.status_code == 302
    assert "Psykiatri" in admin.get("/admin/afdelinger").text
    form = login("raadgiver.bfh").get("/sager/ny").text
    assert 'value="PSY"' in form


def test_a_duplicate_department_code_is_refused_at_the_field(admin: Client) -> None:
    admin.get("/admin/afdelinger")
    response = admin.post("/admin/afdelinger", {"code": "BFH", "name": "Igen"})
    assert response.status_code == 422
    assert 'id="f-code-fejl">Afdelingskoden BFH findes allerede' in response.text


def test_deactivating_a_department_keeps_it_listed_as_inactive(admin: Client) -> None:
    version = _version(admin.get("/admin/afdelinger/HJM").text)
    response = admin.post("/admin/afdelinger/HJM", {
        "version": version, "name": "Hjælpemidler", "account": "5.30.38",
    })
    assert response.status_code == 302
    assert re.search(r"Hjælpemidler</td><td>5\.30\.38</td><td>Nej", admin.get(
        "/admin/afdelinger").text)


def test_a_new_user_can_log_in_and_a_deactivated_one_cannot(
    admin: Client, client: Client
) -> None:
    admin.get("/admin/brugere")
    response = admin.post("/admin/brugere", {
        "username": "ny.raadgiver", "name": "Ny Rådgiver", "role": "caseworker",
        "department": "SKO", "password": "langt-nok-1",
    })
    assert response.status_code == 302
    client.get("/login")
    assert client.post("/login", {"username": "ny.raadgiver",
                                  "password": "langt-nok-1"}).status_code == 302
    version = _version(admin.get("/admin/brugere/ny.raadgiver").text)
    admin.post("/admin/brugere/ny.raadgiver", {
        "version": version, "name": "Ny Rådgiver", "role": "caseworker", "department": "SKO",
    })
    assert client.get("/").status_code == 302
    client.get("/login")
    assert client.post("/login", {"username": "ny.raadgiver",
                                  "password": "langt-nok-1"}).status_code == 401


def test_a_short_password_is_refused_in_danish(admin: Client) -> None:
    admin.get("/admin/brugere/leder")
    response = admin.post("/admin/brugere/leder/adgangskode", {"password": "kort"})
    assert response.status_code == 422
    assert "Adgangskoden skal have mindst 8 tegn" in response.text


def _not_eligible(client: Client) -> int:
    return client.get("/sager?faelles=nej").text.count('<span class="badge no">Ikke opfyldt</span>')


def test_changed_criteria_change_which_cases_qualify(
    admin: Client, login: Callable[[str], Client]
) -> None:
    manager = login("leder")
    before = _not_eligible(manager)
    version = _version(admin.get("/admin/kriterier").text)
    response = admin.post("/admin/kriterier", {
        "version": version, "min_departments": "1", "require_consent": "ja",
    })
    assert response.status_code == 302
    without_consent = manager.get("/sager?samtykke=nej").text.count("<tr>") - 1
    assert before > without_consent
    assert _not_eligible(manager) == without_consent


def test_the_audit_log_shows_who_changed_what_before_and_after(
    admin: Client, login: Callable[[str], Client]
) -> None:
    version = _version(admin.get("/admin/afdelinger/SUN").text)
    admin.post("/admin/afdelinger/SUN", {
        "version": version, "name": "Sundhed", "account": "4.62.82", "active": "ja",
    })
    log = login("leder").get("/revisionslog?type=department&q=sun").text
    assert "admin ændrede navn" in log
    assert "navn: Sundhed og træning → Sundhed" in log
    assert "2 ændringer" in log
    assert "oprettede" in log


def test_a_conflicting_save_of_a_department_keeps_what_was_typed(
    login: Callable[[str], Client], session: Session
) -> None:
    from finans.services import departments
    from finans.services.actor import Actor, Role

    admin = login("admin")
    page = admin.get("/admin/afdelinger/BFH").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    current = departments.get_department(session, code="BFH")
    departments.update_department(session, actor=Actor("admin", Role.ADMIN), code="BFH",
                                  version=current.version, data={"account": "9.99.99"})
    response = admin.post("/admin/afdelinger/BFH", {
        "version": version.group(1), "name": "Mit nye navn", "account": current.account,
        "active": "ja"})
    assert response.status_code == 409
    assert "En anden har gemt først" in response.text and "kontostreng" in response.text
    assert 'value="Mit nye navn"' in response.text
