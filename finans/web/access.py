"""Who is logged in, and the access check every view declares.

Both come from the one access policy (:mod:`finans.services.policy`): a view names the action it
does, and a role that may not do it anywhere answers 403 before anything is read; the services
then decide where (which case, which department), as they do for the API and the imports. The
menu shows what the policy lets the user open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, current_app
from flask_login import current_user, login_required

from finans.services.actor import Actor, Role
from finans.services.policy import Action, Scope, roles_for, scope_of

P = ParamSpec("P")
R = TypeVar("R")


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


def allowed(action: Action) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Require a log-in and a role that may do ``action`` somewhere (403 otherwise); where it
    may, the services decide."""
    permitted = roles_for(action)

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            if current_user.role not in permitted:
                abort(403)
            return view(*args, **kwargs)

        guarded: Callable[P, R] = login_required(checked)
        return guarded

    return decorate


def actor() -> Actor:
    """The logged-in user as the services' actor."""
    found: Actor = current_user.actor
    return found


MENU: tuple[tuple[str, Action, str | dict[Scope, str]], ...] = (
    ("cases.index", Action.READ_CASE, {Scope.CASE_TEAM: "Mine sager", Scope.ANY: "Sager"}),
    ("approvals.queue", Action.DECIDE_SHARE, "Til godkendelse"),
    ("imports.upload", Action.IMPORT, "Import"),
    ("dashboard.index", Action.READ_FIGURES, "Overblik"),
    ("bookkeeping.index", Action.READ_POSTINGS, "Bogføring"),
    ("audit.index", Action.READ_AUDIT, "Revisionslog"),
    ("admin.departments_index", Action.MANAGE_DEPARTMENTS, "Afdelinger"),
    ("admin.users_index", Action.MANAGE_USERS, "Brugere"),
    ("admin.tokens_index", Action.MANAGE_TOKENS, "API-nøgler"),
    ("admin.criteria", Action.MANAGE_CRITERIA, "Kriterier"),
)
"""Endpoint, the action it is for, and its label (per scope, where the label says how far the
page reaches)."""


def menu_label(label: str | dict[Scope, str], actor: Actor, action: Action) -> str:
    if isinstance(label, str):
        return label
    scope = scope_of(actor, action)
    return label.get(scope, next(iter(label.values()))) if scope is not None else ""


def main_menu() -> list[tuple[str, str]]:
    """The menu entries the logged-in user may open, skipping areas the app does not have."""
    if not current_user.is_authenticated:
        return []
    endpoints = current_app.view_functions
    user = actor()
    return [
        (endpoint, menu_label(label, user, action))
        for endpoint, action, label in MENU
        if current_user.role in roles_for(action) and endpoint in endpoints
    ]


def can(action: str) -> bool:
    """Whether the logged-in user's role may do ``action`` somewhere (for links in templates)."""
    return current_user.is_authenticated and current_user.role in roles_for(Action(action))


def cases_heading() -> str:
    """"Mine sager" for those who see the cases they work on, "Sager" for those who see all."""
    return menu_label(MENU[0][2], actor(), Action.READ_CASE)

