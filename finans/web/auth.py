"""Log-in and log-out, with a limit on failed attempts per user name and address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from finans.services import users
from finans.services.actor import Actor
from finans.web.access import WebUser
from finans.web.database import db
from finans.web.errors import error_page
from finans.web.ratelimit import LoginLimiter

bp = Blueprint("auth", __name__)
LIMITER_KEY = "finans.login_limiter"


def init_auth(app: Flask) -> None:
    """Set up Flask-Login and the log-in limiter for ``app``."""
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = "Log ind for at se siden."
    manager.login_message_category = "warning"
    manager.session_protection = "strong"
    manager.user_loader(_load_user)
    app.extensions[LIMITER_KEY] = LoginLimiter()


def _web_user(actor: Actor) -> WebUser:
    return WebUser(actor.username, actor.role, actor.department)


def _load_user(username: str) -> WebUser | None:
    actor = users.load_actor(db(), username=username)
    return None if actor is None else _web_user(actor)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (an open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("cases.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int, dict[str, str]]:
    next_url = request.args.get("next", "")
    if current_user.is_authenticated:
        return redirect(_safe_next(next_url))
    username = request.form.get("username", "").strip()[:200]
    if request.method == "POST":
        limiter: LoginLimiter = current_app.extensions[LIMITER_KEY]
        address = request.remote_addr or ""
        wait = limiter.retry_after(username, address)
        if wait:
            return error_page(429, retry_after=wait)
        password = request.form.get("password", "")
        user = users.authenticate(db(), username=username, password=password)
        if user is None:
            limiter.failed(username, address)
            flash("Forkert brugernavn eller adgangskode.", "error")
            return render_template("auth/login.html", username=username, next_url=next_url), 401
        limiter.succeeded(username, address)
        login_user(_web_user(user))
        return redirect(_safe_next(next_url))
    return render_template("auth/login.html", username=username, next_url=next_url)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    logout_user()
    flash("Du er logget ud.", "success")
    return redirect(url_for("auth.login"))
