"""Who may do what (design §9), checked in the services so UI, API and CLI agree.

Caseworkers work on the cases they coordinate or whose core team includes their department: they
create and edit those cases and their interventions and propose splits. Controllers approve or
reject the share of their own department and import workbooks. Managers read everything. Finance
(økonomi) reads everything, closes months and takes the postings and workbooks, but changes no case,
intervention or split. Administrators keep departments, users and the eligibility criteria.
"""

from __future__ import annotations

from collections.abc import Collection

from finans.services.actor import ROLE_NAMES, Actor, Role
from finans.services.errors import Forbidden
from finans.store import models
from finans.store.rows import CaseRow


def require_role(actor: Actor, roles: Collection[Role], doing: str) -> None:
    """Refuse unless the actor has one of ``roles``; ``doing`` completes "kan du ikke …"."""
    if actor.role not in roles:
        raise Forbidden(f"Som {ROLE_NAMES[actor.role]} kan du ikke {doing}.")


def works_on(actor: Actor, coordinator: str, core_team: Collection[str]) -> bool:
    """A caseworker coordinating the case or from a department in its core team."""
    return actor.role is Role.CASEWORKER and (
        coordinator == actor.username
        or (actor.department is not None and actor.department in core_team)
    )


def may_read(actor: Actor, case: CaseRow, core_team: Collection[str]) -> bool:
    """Caseworkers see their own cases; every other role sees all."""
    return actor.role is not Role.CASEWORKER or works_on(actor, case.coordinator, core_team)


def require_case_work(actor: Actor, case: models.Case, core_team: Collection[str]) -> None:
    """Refuse unless the actor is a caseworker on the case."""
    if not works_on(actor, case.coordinator, core_team):
        if actor.role is Role.CASEWORKER:
            raise Forbidden(
                f"Du kan kun arbejde med sag {case.ref}, hvis du er familiens koordinator, "
                "eller din afdeling er med i kerneteamet."
            )
        raise Forbidden(
            f"Som {ROLE_NAMES[actor.role]} kan du ikke ændre sager, indsatser eller foreslå "
            "fordelinger."
        )


def require_read(actor: Actor, case: models.Case, core_team: Collection[str]) -> None:
    if not may_read(actor, case, core_team):
        raise Forbidden(f"Du har ikke adgang til sag {case.ref}.")


BOOKKEEPERS = frozenset({Role.FINANCE, Role.ADMIN})
"""Who closes months and takes the posting files for the finance system."""


def require_bookkeeper(actor: Actor, doing: str) -> None:
    """Refuse unless the actor is finance (økonomi) or an administrator."""
    require_role(actor, BOOKKEEPERS, doing)
