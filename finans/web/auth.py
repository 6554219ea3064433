"""Log-in and log-out; every log-in is a row in the database that log-out deletes.

The session cookie holds the log-in's random key (see :mod:`finans.services.logins`), and each
request looks it up: a cookie from a log-in that was ended (log-out, password change,
deactivation) logs no one in. Failed log-ins are limited by :mod:`finans.web.ratelimit`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from finans.services import logins, users
from finans.services.actor import Actor
from finans.web.access import WebUser
from finans.web.database import db
from finans.web.ratelimit import remember_device

bp = Blueprint("auth", __name__)


def init_auth(app: Flask) -> None:
    """Set up Flask-Login for ``app``."""
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = "Log ind for at se siden."
    manager.login_message_category = "warning"
    manager.session_protection = "strong"
    manager.user_loader(_load_user)


def _web_user(actor: Actor, key: str) -> WebUser:
    return WebUser(actor.username, actor.role, actor.department, key)


def _load_user(key: str) -> WebUser | None:
    actor = logins.actor(db(), key=key)
    return None if actor is None else _web_user(actor, key)


def start_login(actor: Actor) -> None:
    """Log ``actor`` in to this browser with a new server-side log-in."""
    login_user(_web_user(actor, logins.start(db(), username=actor.username)))


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (an open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("cases.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    next_url = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url))
    username = request.form.get("username", "").strip()
    if request.method == "POST":
        password = request.form.get("password", "")
        user = users.authenticate(db(), username=username, password=password)
        if user is None:
            flash("Forkert brugernavn eller adgangskode.", "error")
            return render_template("auth/login.html", username=username, next_url=next_url), 401
        start_login(user)
        response = redirect(_safe_next(next_url))
        remember_device(response, user.username)
        return response
    return render_template("auth/login.html", username=username, next_url=next_url)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        logins.end(db(), key=current_user.key)
    logout_user()
    flash("Du er logget ud.", "success")
    return redirect(url_for("auth.login"))
