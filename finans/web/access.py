"""Who is logged in, and the role check every view declares.

The services check permissions again on every call (UI, API and CLI share those rules); the web
checks roles first so that a page a role may not use answers 403 before anything is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, current_app
from flask_login import current_user, login_required

from finans.services.actor import Actor, Role

P = ParamSpec("P")
R = TypeVar("R")

EVERYONE = frozenset(Role)
CASEWORKER, CONTROLLER, MANAGER, FINANCE, ADMIN = (
    Role.CASEWORKER, Role.CONTROLLER, Role.MANAGER, Role.FINANCE, Role.ADMIN
)


@dataclass(frozen=True, slots=True)
class WebUser:
    """The logged-in user as Flask-Login sees it; ``actor`` is what the services are given."""

    username: str
    role: Role
    department: str | None

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.username

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


MENU: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("cases.index", "Mine sager", frozenset({CASEWORKER})),
    ("cases.index", "Sager", frozenset({CONTROLLER, MANAGER, FINANCE, ADMIN})),
    ("approvals.queue", "Til godkendelse", frozenset({CONTROLLER})),
    ("imports.upload", "Import", frozenset({CASEWORKER, CONTROLLER, ADMIN})),
    ("dashboard.index", "Overblik", frozenset({MANAGER, CONTROLLER, FINANCE, ADMIN})),
    ("bookkeeping.index", "Bogføring", frozenset({FINANCE, ADMIN})),
    ("audit.index", "Revisionslog", frozenset({MANAGER, FINANCE, ADMIN})),
    ("admin.departments_index", "Afdelinger", frozenset({ADMIN})),
    ("admin.users_index", "Brugere", frozenset({ADMIN})),
    ("admin.criteria", "Kriterier", frozenset({ADMIN})),
)


def main_menu() -> list[tuple[str, str]]:
    """The menu entries the logged-in user may open, skipping areas the app does not have."""
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    return [
        (endpoint, label)
        for endpoint, label, allowed in MENU
        if current_user.role in allowed and endpoint in endpoints
    ]
