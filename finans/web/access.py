"""Who is logged in, and the role check every view declares.

The services check permissions again on every call (UI, API and CLI share those rules); the web
checks roles first so that a page a role may not use answers 403 before anything is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, current_app, request, url_for
from flask_login import current_user, login_required

from finans.services import signals
from finans.services.actor import Actor, Role
from finans.web.database import db

P = ParamSpec("P")
R = TypeVar("R")

EVERYONE = frozenset(Role)
CASEWORKER, CONTROLLER, MANAGER, ADMIN = Role.CASEWORKER, Role.CONTROLLER, Role.MANAGER, Role.ADMIN


@dataclass(frozen=True, slots=True)
class WebUser:
    """The logged-in user as Flask-Login sees it; ``actor`` is what the services are given."""

    username: str
    role: Role
    department: str | None
    key: str
    """The log-in's key (:mod:`finans.services.logins`); the session cookie carries it."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.key

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.department)


def roles(*allowed: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Require a log-in and one of ``allowed`` roles (403 otherwise)."""
    allowed_set = frozenset(allowed)

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_user.role not in allowed_set:
                abort(403)
            return view(*args, **kwargs)

        return login_required(checked)

    return decorate


def actor() -> Actor:
    """The logged-in user as the services' actor."""
    return current_user.actor


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A menu entry: its page, label, who sees it, the query it opens with, and the count it
    shows (``waiting`` or ``rejected``, see :func:`finans.services.signals.counts`)."""

    endpoint: str
    label: str
    allowed: frozenset[Role]
    args: tuple[tuple[str, str], ...] = ()
    count: str | None = None


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("cases.index", "Mine sager", frozenset({CASEWORKER})),
    MenuEntry("cases.index", "Afviste", frozenset({CASEWORKER}), (("status", "afvist"),),
              "rejected"),
    MenuEntry("cases.index", "Sager", frozenset({CONTROLLER, MANAGER, ADMIN})),
    MenuEntry("approvals.queue", "Til godkendelse", frozenset({CONTROLLER}), count="waiting"),
    MenuEntry("imports.upload", "Import", frozenset({CASEWORKER, CONTROLLER, ADMIN})),
    MenuEntry("dashboard.index", "Overblik", frozenset({MANAGER, CONTROLLER, ADMIN})),
    MenuEntry("audit.index", "Revisionslog", frozenset({MANAGER, ADMIN})),
    MenuEntry("admin.departments_index", "Afdelinger", frozenset({ADMIN})),
    MenuEntry("admin.users_index", "Brugere", frozenset({ADMIN})),
    MenuEntry("admin.tokens_index", "API-nøgler", frozenset({ADMIN})),
    MenuEntry("admin.criteria", "Kriterier", frozenset({ADMIN})),
)

LANDING = {
    "caseworker": "cases.index",
    "controller": "approvals.queue",
    "manager": "dashboard.index",
    "admin": "cases.index",
    "finance": "postings.index",
}
"""Where each role starts (after log-in and at ``/``): its work. A role whose page the app does
not have (yet) starts on the case list."""


def landing_endpoint() -> str:
    """The logged-in user's start page."""
    endpoint = LANDING.get(str(current_user.role), "cases.index")
    return endpoint if endpoint in current_app.view_functions else "cases.index"


@dataclass(frozen=True, slots=True)
class MenuLink:
    """A menu entry as the page shows it."""

    url: str
    label: str
    current: bool
    count: int | None


def main_menu() -> list[MenuLink]:
    """The menu entries the logged-in user may open, with their counts, skipping areas the app
    does not have."""
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    entries = [
        entry for entry in MENU
        if current_user.role in entry.allowed and entry.endpoint in endpoints
    ]
    counted = signals.counts(db(), actor=actor()) if any(e.count for e in entries) else None
    links = []
    for entry in entries:
        args = dict(entry.args)
        current = request.endpoint == entry.endpoint and all(
            request.args.get(key) == value for key, value in args.items()
        ) and (bool(args) or "status" not in request.args)
        count = getattr(counted, entry.count) if counted and entry.count else None
        links.append(MenuLink(url_for(entry.endpoint, **args), entry.label, current, count))
    return links
