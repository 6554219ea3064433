"""The log-in limits, counted in a real Redis server shared by two app instances (two server
processes): what each limit stops, and that nobody can lock someone out of a browser that has
logged in before.

The limits are set small here (the production defaults are in finans.web.ratelimit); every
attempt is a real log-in through the form.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from finans.web import create_app
from finans.web.database import ENGINE_KEY
from tests.web.webclient import Client

SMALL_LIMITS = {
    "LOGIN_LIMIT_ACCOUNT_ADDRESS": "3 per minute",
    "LOGIN_LIMIT_ADDRESS": "6 per minute",
    "LOGIN_LIMIT_ACCOUNT": "5 per minute",
    "LOGIN_LIMIT_KNOWN_DEVICE": "4 per minute",
}
Browser = Callable[..., Client]


@pytest.fixture
def workers(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redis_url: str
) -> Iterator[tuple[Flask, Flask]]:
    """Two instances of the app on one database, counting log-ins in one Redis server."""
    path = tmp_path / "finans.db"
    shutil.copyfile(demo_template, path)
    monkeypatch.setenv("FINANS_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("FINANS_RATELIMIT_STORAGE_URL", redis_url)
    monkeypatch.setenv("FINANS_TRUSTED_PROXIES", "1")
    config = {"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "limits", **SMALL_LIMITS}
    apps = (create_app(config), create_app(config))
    yield apps
    for app in apps:
        app.extensions[ENGINE_KEY].dispose()


@pytest.fixture
def browser(workers: tuple[Flask, Flask]) -> Browser:
    """``browser(address, worker=0)``: a new browser behind the proxy, seen as ``address``."""

    def open_browser(address: str, worker: int = 0) -> Client:
        client = Client(workers[worker].test_client())
        client.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        client.get("/login")
        return client

    return open_browser


def attempt(client: Client, username: str, password: str = "forkert") -> int:
    return client.post("/login", {"username": username, "password": password}).status_code


def test_failures_on_two_workers_count_together_and_lock_that_account_from_that_address(
    browser: Browser,
) -> None:
    first, second = browser("10.1.1.1", 0), browser("10.1.1.1", 1)
    assert [attempt(first, "leder"), attempt(second, "leder"), attempt(first, "leder")] == [
        401, 401, 401,
    ]
    refused = second.post("/login", {"username": "leder", "password": "demo1234"})
    assert refused.status_code == 429
    assert "For mange forsøg" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert attempt(browser("10.1.1.2", 1), "leder", "demo1234") == 302


def test_trying_one_password_on_many_accounts_is_stopped_per_address(browser: Browser) -> None:
    sprayer = browser("10.2.2.2")
    accounts = ["leder", "admin", "controller.job", "controller.bfh", "raadgiver.job",
                "raadgiver.bfh"]
    assert [attempt(sprayer, name) for name in accounts] == [401] * 6
    assert attempt(sprayer, "controller.sko") == 429
    assert attempt(browser("10.2.2.3"), "controller.sko", "demo1234") == 302


def test_guessing_from_many_addresses_locks_the_account_for_unknown_browsers_only(
    browser: Browser,
) -> None:
    regular = browser("10.3.3.1")
    assert attempt(regular, "leder", "demo1234") == 302
    regular.post("/logout")
    regular.get("/login")
    for number in range(5):
        assert attempt(browser(f"10.9.9.{number}", number % 2), "leder") == 401
    assert attempt(browser("10.9.9.200"), "leder", "demo1234") == 429
    assert attempt(regular, "leder", "demo1234") == 302


def test_an_attacker_on_the_same_address_cannot_lock_out_a_browser_that_has_logged_in_before(
    browser: Browser,
) -> None:
    colleague = browser("10.4.4.4")
    assert attempt(colleague, "controller.job", "demo1234") == 302
    colleague.post("/logout")
    colleague.get("/login")
    attacker = browser("10.4.4.4", 1)
    assert [attempt(attacker, "controller.job") for _ in range(4)] == [401, 401, 401, 429]
    assert attempt(colleague, "controller.job", "demo1234") == 302


def test_a_known_browser_has_its_own_limit_for_wrong_passwords(browser: Browser) -> None:
    known = browser("10.5.5.5")
    assert attempt(known, "leder", "demo1234") == 302
    known.post("/logout")
    known.get("/login")
    assert [attempt(known, "leder") for _ in range(5)] == [401, 401, 401, 401, 429]


def test_a_browser_known_for_one_account_is_unknown_for_another(browser: Browser) -> None:
    known = browser("10.6.6.6")
    assert attempt(known, "leder", "demo1234") == 302
    known.post("/logout")
    known.get("/login")
    assert [attempt(known, "admin") for _ in range(4)] == [401, 401, 401, 429]


def test_a_forged_device_cookie_counts_as_an_unknown_browser(browser: Browser) -> None:
    forger = browser("10.7.7.7")
    unsigned = '{"id":"x","accounts":["leder"]}'
    forger.client.set_cookie("finans_device", f"{unsigned}.forfalsket")
    assert [attempt(forger, "leder") for _ in range(4)] == [401, 401, 401, 429]


def test_only_the_trusted_proxy_s_address_counts_not_one_the_client_made_up(
    browser: Browser,
) -> None:
    client = browser("10.8.8.8")
    client.client.environ_base["HTTP_X_FORWARDED_FOR"] = "1.2.3.4, 10.8.8.8"
    assert [attempt(client, "leder") for _ in range(4)] == [401, 401, 401, 429]
    client.client.environ_base["HTTP_X_FORWARDED_FOR"] = "5.6.7.8, 10.8.8.8"
    assert attempt(client, "leder") == 429
