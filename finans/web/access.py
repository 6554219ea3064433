"""Who is logged in, and the access check every view declares.

Both come from the one access policy (:mod:`finans.services.policy`): a view names the action it
does, and a role that may not do it anywhere answers 403 before anything is read; the services
then decide where (which case, which department), as they do for the API and the imports. The
menu shows what the policy lets the user open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import abort, current_app, request, url_for
from flask_login import current_user, login_required

from finans.services import signals
from finans.services.actor import Actor, Role
from finans.services.policy import Action, Scope, roles_for, scope_of
from finans.web.database import db

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


def signed_in(view: Callable[P, R]) -> Callable[P, R]:
    """Require a log-in, whatever the role (a page that only sends each role on to its own)."""
    guarded: Callable[P, R] = login_required(view)
    return guarded


def actor() -> Actor:
    """The logged-in user as the services' actor."""
    found: Actor = current_user.actor
    return found


Label = str | Mapping[Scope, str]
"""A menu label, or one per scope where the label says how far the page reaches; a role whose
scope has no label does not see the entry."""


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A menu entry: its page, the action it is for, its label, the query it opens with, and
    the count it shows (``waiting`` or ``rejected``, see :func:`finans.services.signals.counts`).
    """

    endpoint: str
    action: Action
    label: Label
    args: tuple[tuple[str, str], ...] = ()
    count: str | None = None


MENU: tuple[MenuEntry, ...] = (
    MenuEntry("cases.index", Action.READ_CASE,
              {Scope.CASE_TEAM: "Mine sager", Scope.ANY: "Sager"}),
    MenuEntry("cases.index", Action.READ_CASE, {Scope.CASE_TEAM: "Afviste"},
              (("status", "afvist"),), "rejected"),
    MenuEntry("approvals.queue", Action.DECIDE_SHARE, "Til godkendelse", count="waiting"),
    MenuEntry("imports.upload", Action.IMPORT, "Import"),
    MenuEntry("dashboard.index", Action.READ_FIGURES, "Overblik"),
    MenuEntry("bookkeeping.index", Action.READ_POSTINGS, "Bogføring"),
    MenuEntry("audit.index", Action.READ_AUDIT, "Revisionslog"),
    MenuEntry("admin.departments_index", Action.MANAGE_DEPARTMENTS, "Afdelinger"),
    MenuEntry("admin.users_index", Action.MANAGE_USERS, "Brugere"),
    MenuEntry("admin.tokens_index", Action.MANAGE_TOKENS, "API-nøgler"),
    MenuEntry("admin.criteria", Action.MANAGE_CRITERIA, "Kriterier"),
    MenuEntry("refund.claim", Action.CLAIM_REFUND, "Refusion"),
    MenuEntry("refund.rates", Action.MANAGE_REFUND_RATES, "Refusionssatser"),
)
"""The menu, in order; each entry is shown to the roles the policy lets do its action."""


def menu_label(label: Label, actor: Actor, action: Action) -> str:
    """The entry's label for the actor ("" when the actor does not see it)."""
    scope = scope_of(actor, action)
    if scope is None:
        return ""
    return label if isinstance(label, str) else label.get(scope, "")


LANDING = {
    "caseworker": "cases.index",
    "controller": "approvals.queue",
    "manager": "dashboard.index",
    "admin": "cases.index",
    "finance": "bookkeeping.index",
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
    user = actor()
    entries = [
        (entry, menu_label(entry.label, user, entry.action)) for entry in MENU
        if entry.endpoint in endpoints
    ]
    entries = [(entry, label) for entry, label in entries if label]
    wanted = any(entry.count for entry, _ in entries)
    counted = signals.counts(db(), actor=user) if wanted else None
    links = []
    for entry, label in entries:
        args: dict[str, Any] = dict(entry.args)
        current = request.endpoint == entry.endpoint and all(
            request.args.get(key) == value for key, value in args.items()
        ) and (bool(args) or "status" not in request.args)
        count = getattr(counted, entry.count) if counted and entry.count else None
        links.append(MenuLink(url_for(entry.endpoint, **args), label, current, count))
    return links


def can(action: str) -> bool:
    """Whether the logged-in user's role may do ``action`` somewhere (for links in templates)."""
    return current_user.is_authenticated and current_user.role in roles_for(Action(action))


def cases_heading() -> str:
    """"Mine sager" for those who see the cases they work on, "Sager" for those who see all."""
    return menu_label(MENU[0].label, actor(), Action.READ_CASE)
