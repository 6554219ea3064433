"""Log-in, CSRF, cookies, headers, the secret key, escaping and the error pages."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session

from finans.config import ConfigError
from finans.services import cases
from finans.web import create_app
from tests.web.webclient import CASEWORKER, Client, DemoFacts

TRACEBACK_WORDS = ("Traceback", "File \"", "werkzeug", "sqlalchemy")


def _no_traceback(html: str) -> None:
    for word in TRACEBACK_WORDS:
        assert word not in html


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_danish_page(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    client = login("raadgiver.bfh")
    response = client.client.post(f"/sager/{facts.case}/indsatser/ny", data={"title": "Ny"})
    assert response.status_code == 400
    assert "Formularen er udløbet" in response.text
    _no_traceback(response.text)


def test_a_form_posted_with_a_forged_csrf_token_is_refused(
    login: Callable[[str], Client], facts: DemoFacts
) -> None:
    client = login("raadgiver.bfh")
    client.token = "forfalsket"
    response = client.post(f"/sager/{facts.case}/indsatser/ny", {"title": "Ny"})
    assert response.status_code == 400


def test_log_in_with_a_wrong_password_says_so_in_danish(client: Client) -> None:
    client.get("/login")
    response = client.post("/login", {"username": "raadgiver.bfh", "password": "forkert"})
    assert response.status_code == 401
    assert "Forkert brugernavn eller adgangskode" in response.text


def test_the_session_cookie_is_http_only_and_same_site_lax(client: Client) -> None:
    client.get("/login")
    response = client.post("/login", {"username": "raadgiver.bfh", "password": "demo1234"})
    cookie = next(
        header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_after_five_failures_the_sixth_log_in_is_refused_even_with_the_right_password(
    client: Client,
) -> None:
    client.get("/login")
    for _ in range(5):
        assert client.post("/login", {"username": "leder", "password": "gæt"}).status_code == 401
    response = client.post("/login", {"username": "leder", "password": "demo1234"})
    assert response.status_code == 429
    assert "For mange forsøg" in response.text
    assert int(response.headers["Retry-After"]) > 0
    other = client.post("/login", {"username": "admin", "password": "demo1234"})
    assert other.status_code == 302


def test_log_in_never_redirects_to_another_site(client: Client) -> None:
    client.get("/login")
    data = {"username": "leder", "password": "demo1234"}
    response = client.post("/login?next=https://angriber.example/", data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    client.get("/login")
    response = client.post("/login?next=//angriber.example/", data)
    assert response.headers["Location"] == "/"


def test_log_in_returns_to_the_page_that_asked_for_it(client: Client, facts: DemoFacts) -> None:
    first = client.get(f"/sager/{facts.case}")
    assert first.status_code == 302
    login_page = first.headers["Location"]
    client.get(login_page)
    response = client.post(login_page, {"username": "leder", "password": "demo1234"})
    assert response.headers["Location"] == f"/sager/{facts.case}"


def test_pages_carry_a_content_security_policy_without_inline_scripts(client: Client) -> None:
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_family_label_with_html_is_shown_as_text_everywhere(
    login: Callable[[str], Client], session: Session
) -> None:
    label = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    cases.create_case(session, actor=CASEWORKER, data={
        "ref": "S-2026-9999", "family": label, "core_team": ["BFH", "JOB"],
    })
    client = login("raadgiver.bfh")
    for path in ("/sager", "/sager/S-2026-9999", "/sager?q=S-2026-9999"):
        html = client.get(path).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_an_unknown_case_gives_a_danish_404_page(login: Callable[[str], Client]) -> None:
    response = login("leder").get("/sager/S-0000-0000")
    assert response.status_code == 404
    assert "Sagen S-0000-0000 findes ikke" in response.text
    _no_traceback(response.text)


def test_an_unknown_address_gives_a_danish_404_page(client: Client) -> None:
    response = client.get("/ingen/side/her")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text


def test_a_case_outside_the_caseworkers_team_gives_a_danish_403_page(
    login: Callable[[str], Client], session: Session
) -> None:
    other = cases.create_case(
        session, actor=CASEWORKER.__class__("raadgiver.vok", CASEWORKER.role, "VOK"),
        data={"ref": "S-2026-9998", "family": "Familie Vok", "core_team": ["VOK"]},
    )
    response = login("raadgiver.bfh").get(f"/sager/{other.ref}")
    assert response.status_code == 403
    assert "Du har ikke adgang til sag S-2026-9998" in response.text


def test_an_error_in_a_page_gives_a_danish_500_page_without_a_traceback(
    app: Flask, client: Client
) -> None:
    def broken() -> str:
        raise RuntimeError("hemmelig detalje")

    app.add_url_rule("/fejl-til-test", "broken", broken)
    response = client.get("/fejl-til-test")
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.text
    assert "hemmelig detalje" not in response.text
    _no_traceback(response.text)


def test_a_too_large_upload_gives_a_danish_413_page(
    app: Flask, login: Callable[[str], Client]
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    client = login("controller.bfh")
    client.get("/import")
    response = client.post("/import", {"workbook": (BytesIO(b"x" * 20_000), "stor.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Filen er for stor" in response.text


def test_production_refuses_to_start_without_a_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path))
    monkeypatch.setenv("FINANS_ENV", "production")
    monkeypatch.delenv("FINANS_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_production_refuses_a_short_default_looking_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path))
    monkeypatch.setenv("FINANS_ENV", "production")
    monkeypatch.setenv("FINANS_SECRET_KEY", "dev")
    with pytest.raises(ConfigError, match="mindst 32 tegn"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_development_generates_a_secret_key_once_and_keeps_it_in_the_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path))
    monkeypatch.delenv("FINANS_ENV", raising=False)
    monkeypatch.delenv("FINANS_SECRET_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'x.db'}"
    first = create_app({"DATABASE_URL": url}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": url}).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first
