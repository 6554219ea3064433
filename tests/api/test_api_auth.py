"""Only a bearer token opens the API; health and the API description are open to all."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from finans.services import users
from finans.services.actor import Actor, Role
from tests.api.api_people import PASSWORD

Auth = Callable[[str], dict[str, str]]


def test_a_request_without_a_token_is_refused_with_a_json_401(client: FlaskClient) -> None:
    response = client.get("/api/v1/departments")
    assert response.status_code == 401
    assert response.is_json
    assert response.json is not None
    assert response.json["errors"][0]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [
    "Bearer fin_not-a-real-token",
    "Basic YWRtaW46aGVtbWVsaWc=",
    "Bearer",
    "fin_token-without-scheme",
    "Bearer \u00e6\u00f8\u00e5",
])
def test_an_unknown_or_malformed_token_is_refused(client: FlaskClient, header: str) -> None:
    response = client.get("/api/v1/departments", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json is not None and response.json["errors"]


def test_a_valid_token_opens_the_api(client: FlaskClient, auth: Auth) -> None:
    response = client.get("/api/v1/departments", headers=auth("caseworker"))
    assert response.status_code == 200
    assert response.json is not None and response.json["total"] == 9


def test_the_scheme_is_read_without_regard_to_case(client: FlaskClient, auth: Auth) -> None:
    token = auth("manager")["Authorization"].split()[1]
    response = client.get("/api/v1/departments", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_logged_in_browser_session_does_not_open_the_api(client: FlaskClient) -> None:
    login = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                        "csrf_token": csrf_token(client, "/login")})
    assert login.status_code == 302
    assert client.get("/overblik/").status_code == 200
    response = client.post("/api/v1/departments", json={"code": "NY", "name": "Ny afdeling"})
    assert response.status_code == 401


def test_the_token_of_a_deactivated_user_stops_working(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    users.update_user(db_session, actor=Actor("root", Role.ADMIN), username="manager",
                      version=1, data={"active": False})
    assert client.get("/api/v1/departments", headers=auth("manager")).status_code == 401


def test_writes_need_no_csrf_token(client: FlaskClient, auth: Auth) -> None:
    assert client.application.config.get("WTF_CSRF_ENABLED", True)
    response = client.post("/api/v1/departments", headers=auth("admin"),
                           json={"code": "NY", "name": "Ny afdeling"})
    assert response.status_code == 201


def test_health_answers_without_a_token(client: FlaskClient) -> None:
    for path in ("/healthz", "/api/v1/healthz"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json == {"status": "ok"}


def test_the_api_description_is_served_without_a_token(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json is not None and response.json["openapi"].startswith("3.")
