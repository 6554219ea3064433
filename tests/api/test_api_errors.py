"""Every refusal is JSON with located errors, whatever the request; never a 500 for input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from finans.services import departments

Auth = Callable[[str], dict[str, str]]


def errors(response: object) -> list[dict[str, str]]:
    assert response.is_json  # type: ignore[attr-defined]
    found: list[dict[str, str]] = response.json["errors"]  # type: ignore[attr-defined]
    assert found and all(set(problem) == {"code", "message", "where"} for problem in found)
    return found


def test_an_unknown_path_under_the_api_is_a_json_404(client: FlaskClient, auth: Auth) -> None:
    for path in ("/api/v1/nothing", "/api/v1/departments/JOB/extra", "/api/v1/splits/abc",
                 "/api/v1/splits/99999999999", "/api/v1/budgets/JOB/99"):
        response = client.get(path, headers=auth("manager"))
        assert response.status_code == 404, path
        errors(response)


def test_a_method_the_resource_lacks_is_a_json_405_with_the_allowed_ones(
    client: FlaskClient, auth: Auth
) -> None:
    response = client.delete("/api/v1/departments/JOB", headers=auth("admin"))
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PUT", "PATCH"}
    errors(response)


@pytest.mark.parametrize("payload", [
    b"{", b"[1, 2]", b'"text"', b"\xff\xfe", b"[" * 100_000, b"",
])
def test_a_body_that_is_no_json_object_is_a_422(
    client: FlaskClient, auth: Auth, payload: bytes
) -> None:
    response = client.post("/api/v1/departments", headers=auth("admin"), data=payload,
                           content_type="application/json")
    assert response.status_code == 422
    assert errors(response)[0]["where"] == ""


def test_text_the_database_cannot_keep_is_refused_where_it_is(
    client: FlaskClient, auth: Auth
) -> None:
    response = client.post("/api/v1/departments", headers=auth("admin"),
                           data='{"code": "X\\u0000", "name": "\\ud800"}',
                           content_type="application/json")
    assert response.status_code == 422
    assert sorted(problem["where"] for problem in errors(response)) == ["code", "name"]


@pytest.mark.parametrize("version", [0, -1, 2**40, "1", True, 1.5])
def test_a_version_must_be_a_positive_whole_number(
    client: FlaskClient, auth: Auth, version: object
) -> None:
    response = client.patch("/api/v1/departments/JOB", headers=auth("admin"),
                            json={"name": "X", "version": version})
    assert response.status_code == 422
    assert [problem["where"] for problem in errors(response)] == ["version"]


def test_a_wrongly_typed_field_is_a_located_422(client: FlaskClient, auth: Auth) -> None:
    response = client.post("/api/v1/cases", headers=auth("caseworker"),
                           json={"ref": "S-2026-1", "consent": "maybe", "core_team": "BFH"})
    assert response.status_code == 422
    assert {problem["where"] for problem in errors(response)} >= {"consent", "core_team"}


def test_an_unexpected_failure_is_still_json_and_says_nothing_of_the_cause(
    client: FlaskClient, auth: Auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(departments, "list_departments", broken)
    response = client.get("/api/v1/departments", headers=auth("manager"))
    assert response.status_code == 500
    assert "secret detail" not in response.get_data(as_text=True)
    assert errors(response)[0]["code"] == "server_error"


def test_a_path_with_a_nul_character_names_nothing(client: FlaskClient, auth: Auth) -> None:
    for path in ("/api/v1/departments/J%00B", "/api/v1/cases/S%00", "/api/v1/budgets/%00/2026"):
        response = client.get(path, headers=auth("manager"))
        assert response.status_code == 404
        errors(response)


def test_an_upload_over_the_limit_is_a_json_413(client: FlaskClient, auth: Auth) -> None:
    client.application.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/api/v1/import", headers=auth("controller"), data=b"x" * 5000,
                           content_type="application/octet-stream")
    assert response.status_code == 413
    assert errors(response)[0]["code"] == "too_large"
