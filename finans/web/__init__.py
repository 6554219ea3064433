"""The web app: ``create_app()`` builds it; any WSGI server can run ``finans.web:create_app()``.

Nothing happens at import time. The factory reads the settings, creates the database engine, sets
the security defaults (CSRF on every form, HttpOnly and SameSite session cookies, a refused missing
secret key in production, the input guard, log-in limits, security headers, the trusted proxies)
and registers one blueprint per area.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from finans.config import ConfigError, Settings
from finans.excel.guard import DEFAULT_LIMITS
from finans.web import (
    account,
    admin,
    api,
    approvals,
    audit,
    auth,
    bookkeeping,
    cases,
    dashboard,
    imports,
    interventions,
    meeting,
    profile,
    refund,
    splits,
)
from finans.web.access import can, cases_heading, main_menu
from finans.web.context import register_context
from finans.web.database import init_database
from finans.web.errors import register_error_pages
from finans.web.filters import register_filters
from finans.web.input_guard import register_input_guard
from finans.web.mailing import init_mail
from finans.web.pies import register_pies
from finans.web.ratelimit import init_limits

MAX_UPLOAD_BYTES = DEFAULT_LIMITS.max_bytes + 1024 * 1024
"""The largest workbook the import takes, plus room for the rest of the form."""
MIN_PRODUCTION_KEY_LENGTH = 32
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

HSTS = "max-age=31536000"
"""Production tells browsers to use HTTPS only, for a year (no subdomains: other services of the
municipality may share the domain)."""

BLUEPRINTS = (
    auth.bp, account.bp, cases.bp, interventions.bp, splits.bp, approvals.bp, imports.bp,
    admin.bp, audit.bp, dashboard.bp, profile.bp, meeting.bp, refund.bp, bookkeeping.bp,
)


def _secret_key(settings: Settings) -> str:
    """The session signing key; production refuses a missing or short (default-looking) key."""
    key = settings.load_secret_key()
    if settings.env == "production" and len(key) < MIN_PRODUCTION_KEY_LENGTH:
        raise ConfigError(
            f"FINANS_SECRET_KEY skal være mindst {MIN_PRODUCTION_KEY_LENGTH} tegn i produktion"
        )
    return key


def _security_headers(response: Response) -> Response:
    """Answers hold personal or municipal data: never cached, unless a view chose otherwise (the
    dashboard's charts, department totals only, are private to the browser for a few minutes)."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    if current_app.config["FINANS_ENV"] == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment's settings, overlaid with ``test_config``."""
    settings = Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance))
    app.config.from_mapping(
        DATABASE_URL=settings.database_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env == "production",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        # A joint assessment meeting can keep a form open for hours; the token lives with the
        # session instead of expiring after an hour.
        WTF_CSRF_TIME_LIMIT=None,
        FINANS_ENV=settings.env,
        FINANS_G69=settings.g69,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(settings)
    init_database(app, app.config["DATABASE_URL"])
    init_mail(app, settings)
    register_input_guard(app)
    CSRFProtect(app)
    auth.init_auth(app)
    register_filters(app)
    register_context(app)
    register_pies(app)
    register_error_pages(app)
    app.jinja_env.globals.update(main_menu=main_menu, can=can, cases_heading=cases_heading)
    app.after_request(_security_headers)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    api.register(app)
    init_limits(app, settings.ratelimit_storage_url)
    if settings.trusted_proxies:
        proxies = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return app
