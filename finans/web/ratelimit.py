"""Limits on failed log-ins (Flask-Limiter), shared by every server process through one storage.

Only failed attempts count (a wrong password answers 401). Four limits, designed so that nobody
can lock someone else out of a browser they have used before:

- per account and address (``LOGIN_LIMIT_ACCOUNT_ADDRESS``): guessing one account's password;
- per address across accounts (``LOGIN_LIMIT_ADDRESS``): trying one password on many accounts;
- per account across addresses (``LOGIN_LIMIT_ACCOUNT``): guessing from many addresses;
- per account and known browser (``LOGIN_LIMIT_KNOWN_DEVICE``).

A browser that has logged in to an account before carries a signed cookie naming that account
(:data:`DEVICE_COOKIE`). For that account it is counted only by the last limit, under its own
random device id: failures elsewhere, from the same office address or from an attacker aiming at
the account, never lock it out. Only a correct password earns the cookie.

The storage is ``FINANS_RATELIMIT_STORAGE_URL`` (``redis://host:6379/0``; in-memory per process by
default, which is right only for a single process). If the storage fails, the limits fall back to
memory in that process rather than refusing every log-in.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded, RouteLimit
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from finans.web.errors import Page, error_page

DEVICE_COOKIE = "finans_device"
DEVICE_COOKIE_DAYS = 365
DEVICE_ACCOUNTS = 20
"""A shared computer remembers this many accounts; older ones are forgotten."""
LIMITS = {
    "LOGIN_LIMIT_ACCOUNT_ADDRESS": "5 per 5 minutes",
    "LOGIN_LIMIT_ADDRESS": "30 per 15 minutes",
    "LOGIN_LIMIT_ACCOUNT": "50 per hour",
    "LOGIN_LIMIT_KNOWN_DEVICE": "10 per 5 minutes",
}
"""The defaults; an app's config may set others (the tests use small ones)."""

LIMITER_KEY = "finans.limiter"
LOGIN_ENDPOINT = "auth.login"


def init_limits(app: Flask, storage_url: str) -> None:
    """Give ``app`` its limiter on ``storage_url`` and limit its log-in view (registered before).

    Each app has its own limiter, so that apps in one process (as in the tests) never share a
    storage by accident; apps in different processes share the storage they are configured with.
    """
    for name, default in LIMITS.items():
        app.config.setdefault(name, default)
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_url)
    limiter = Limiter(get_remote_address, key_prefix="finans", headers_enabled=True,
                      in_memory_fallback_enabled=True)
    limiter.init_app(app)
    app.extensions[LIMITER_KEY] = limiter
    view: Callable[..., Any] = app.view_functions[LOGIN_ENDPOINT]
    for limit in reversed(_login_limits(limiter)):
        view = limit(view)
    app.view_functions[LOGIN_ENDPOINT] = view
    app.register_error_handler(RateLimitExceeded, _too_many)


def _too_many(_error: RateLimitExceeded) -> Page:
    current = current_app.extensions[LIMITER_KEY].current_limit
    wait = max(1, int(current.reset_at - time.time()) + 1) if current is not None else 60
    return error_page(429, retry_after=wait)


# --- who is trying --------------------------------------------------------------------------


def _account() -> str:
    return request.form.get("username", "").strip().casefold()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="finans-known-device")


def _device() -> tuple[str, list[str]]:
    """The browser's device id and the accounts it has logged in to; empty when unknown."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if cookie:
        try:
            data = _serializer().loads(cookie)
        except BadSignature:
            data = None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            accounts = data.get("accounts")
            if isinstance(accounts, list) and all(isinstance(a, str) for a in accounts):
                return data["id"], accounts
    return "", []


def known_device() -> bool:
    """Whether this browser has logged in to the account it is trying now."""
    return _account() in _device()[1]


def remember_device(response: Response, username: str) -> None:
    """After a correct password: mark this browser as one that has used the account."""
    device, accounts = _device()
    account = username.casefold()
    accounts = [*(a for a in accounts if a != account), account][-DEVICE_ACCOUNTS:]
    value = _serializer().dumps({"id": device or secrets.token_urlsafe(16), "accounts": accounts})
    response.set_cookie(
        DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 24 * 3600, httponly=True,
        samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


# --- the limits -----------------------------------------------------------------------------


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _configured(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def _address() -> str:
    return request.remote_addr or "unknown"


def _unknown_device() -> bool:
    return not known_device()


def _login_limits(limiter: Limiter) -> list[RouteLimit]:
    """The four limits above, as decorators of the log-in view."""
    return [
        limiter.limit(_configured("LOGIN_LIMIT_ACCOUNT_ADDRESS"), methods=["POST"],
                      key_func=lambda: f"{_account()}|{_address()}",
                      scope="login-account-address", exempt_when=known_device,
                      deduct_when=_failed),
        limiter.limit(_configured("LOGIN_LIMIT_ADDRESS"), methods=["POST"], key_func=_address,
                      scope="login-address", exempt_when=known_device, deduct_when=_failed),
        limiter.limit(_configured("LOGIN_LIMIT_ACCOUNT"), methods=["POST"], key_func=_account,
                      scope="login-account", exempt_when=known_device, deduct_when=_failed),
        limiter.limit(_configured("LOGIN_LIMIT_KNOWN_DEVICE"), methods=["POST"],
                      key_func=lambda: f"{_account()}|{_device()[0]}",
                      scope="login-known-device", exempt_when=_unknown_device,
                      deduct_when=_failed),
    ]
