"""Who may do what, and where: one table that every door consults.

The screens, the JSON API, the controller-workbook and lagkage-template import, ``finans load`` and
the other commands all ask this module, so a right cannot differ between doors. Each role has, per
action, the *scope* in which it may act — its own department, the cases it works on, the cases its
department takes part in, or anywhere; an action a role has no scope for is refused. The table and
the reasons behind it are written out for maintainers in docs/access.md.

A new role (or action) is one more column (or row) in :data:`TABLE` and a phrase in the message
tables; the web menu and route checks follow from the table.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from finans.services.actor import ROLE_NAMES, Actor, Role
from finans.services.errors import Forbidden


class Action(StrEnum):
    """Something a user may be allowed to do."""

    READ_CASE = "read_case"
    CREATE_CASE = "create_case"
    EDIT_CASE = "edit_case"
    EDIT_INTERVENTION = "edit_intervention"
    PROPOSE_SPLIT = "propose_split"
    RECORD_MEETING = "record_meeting"
    DECIDE_SHARE = "decide_share"
    IMPORT = "import"
    EXPORT = "export"
    READ_FIGURES = "read_figures"
    READ_DEPARTMENT_FIGURES = "read_department_figures"
    READ_BUDGETS = "read_budgets"
    EDIT_BUDGET = "edit_budget"
    READ_AUDIT = "read_audit"
    MANAGE_DEPARTMENTS = "manage_departments"
    MANAGE_USERS = "manage_users"
    MANAGE_CRITERIA = "manage_criteria"
    MANAGE_TOKENS = "manage_tokens"
    OWN_ACCOUNT = "own_account"
    LOAD_DUMP = "load_dump"
    SEND_MAIL = "send_mail"
    MANAGE_REFUND_RATES = "manage_refund_rates"
    CLAIM_REFUND = "claim_refund"
    READ_POSTINGS = "read_postings"
    READ_CLOSED_MONTHS = "read_closed_months"
    CLOSE_MONTHS = "close_months"


class Scope(StrEnum):
    """Where a role may do an action."""

    OWN_DEPARTMENT = "own_department"
    """Only for the actor's own department (its share of a split, its budget)."""
    CASE_TEAM = "case_team"
    """Cases the actor coordinates, or whose core team includes the actor's department."""
    TAKES_PART = "takes_part"
    """Cases the actor's department takes part in: it is in the core team, grants or pays one of
    the case's interventions, or has a share in one of their split versions."""
    ANY = "any"
    """Anywhere."""


CASEWORKER, CONTROLLER, MANAGER, FINANCE, ADMIN = (
    Role.CASEWORKER, Role.CONTROLLER, Role.MANAGER, Role.FINANCE, Role.ADMIN
)
OWN, TEAM, PART, ANY = Scope.OWN_DEPARTMENT, Scope.CASE_TEAM, Scope.TAKES_PART, Scope.ANY

TABLE: Mapping[Action, Mapping[Role, Scope]] = {
    Action.READ_CASE: {CASEWORKER: TEAM, CONTROLLER: ANY, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.CREATE_CASE: {CASEWORKER: TEAM, ADMIN: ANY},
    Action.EDIT_CASE: {CASEWORKER: TEAM, CONTROLLER: PART, ADMIN: ANY},
    Action.EDIT_INTERVENTION: {CASEWORKER: TEAM, CONTROLLER: PART, ADMIN: ANY},
    Action.PROPOSE_SPLIT: {CASEWORKER: TEAM, CONTROLLER: PART, ADMIN: ANY},
    Action.RECORD_MEETING: {CASEWORKER: TEAM},
    Action.DECIDE_SHARE: {CONTROLLER: OWN},
    Action.IMPORT: {CASEWORKER: TEAM, CONTROLLER: PART, ADMIN: ANY},
    Action.EXPORT: {CONTROLLER: ANY, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.READ_FIGURES: {CONTROLLER: ANY, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.READ_DEPARTMENT_FIGURES: {CONTROLLER: OWN, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.READ_BUDGETS: {CONTROLLER: ANY, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.EDIT_BUDGET: {CONTROLLER: OWN, ADMIN: ANY},
    Action.READ_AUDIT: {MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.MANAGE_DEPARTMENTS: {ADMIN: ANY},
    Action.MANAGE_USERS: {ADMIN: ANY},
    Action.MANAGE_CRITERIA: {ADMIN: ANY},
    Action.MANAGE_TOKENS: {ADMIN: ANY},
    Action.OWN_ACCOUNT: {CASEWORKER: ANY, CONTROLLER: ANY, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.LOAD_DUMP: {ADMIN: ANY},
    Action.SEND_MAIL: {ADMIN: ANY},
    Action.MANAGE_REFUND_RATES: {ADMIN: ANY},
    Action.CLAIM_REFUND: {MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.READ_POSTINGS: {FINANCE: ANY, ADMIN: ANY},
    Action.READ_CLOSED_MONTHS: {CONTROLLER: ANY, MANAGER: ANY, FINANCE: ANY, ADMIN: ANY},
    Action.CLOSE_MONTHS: {FINANCE: ANY, ADMIN: ANY},
}
"""Action → role → scope. A role missing from an action's row may not do it anywhere.

``IMPORT`` opens the import door; each row of the workbook is then checked as the action it is
(``EDIT_CASE`` for a changed ``Sager`` row, ``PROPOSE_SPLIT`` for a ``Fordeling`` version, …), so
an import changes exactly what its user could change in the screens.
"""

DOING: Mapping[Action, str] = {
    Action.READ_CASE: "se sager",
    Action.CREATE_CASE: "oprette sager",
    Action.EDIT_CASE: "ændre sager",
    Action.EDIT_INTERVENTION: "oprette eller ændre indsatser",
    Action.PROPOSE_SPLIT: "foreslå eller rette fordelinger",
    Action.RECORD_MEETING: "registrere godkendelser givet på mødet",
    Action.DECIDE_SHARE: "godkende eller afvise en afdelings andel",
    Action.IMPORT: "importere regneark",
    Action.EXPORT: "eksportere regnearket",
    Action.READ_FIGURES: "se fordelingen af alle sager, afregningen og overblikket",
    Action.READ_DEPARTMENT_FIGURES: "se afdelingers tal i overblikket",
    Action.READ_BUDGETS: "se budgetter",
    Action.EDIT_BUDGET: "ændre budgetter",
    Action.READ_AUDIT: "se revisionsloggen",
    Action.MANAGE_DEPARTMENTS: "oprette eller ændre afdelinger",
    Action.MANAGE_USERS: "oprette eller ændre brugere",
    Action.MANAGE_CRITERIA: "ændre kriterierne for fælles finansiering",
    Action.MANAGE_TOKENS: "se eller tilbagekalde andres API-nøgler",
    Action.OWN_ACCOUNT: "skifte din adgangskode, din e-mailadresse eller se dine API-nøgler",
    Action.LOAD_DUMP: "indlæse en hel database",
    Action.SEND_MAIL: "sende udbakkens mails eller lægge påmindelser i den",
    Action.MANAGE_REFUND_RATES: "ændre refusionssatserne",
    Action.CLAIM_REFUND: "hente refusionsanmodningen",
    Action.READ_POSTINGS: "se posteringerne til økonomisystemet",
    Action.READ_CLOSED_MONTHS: "se de lukkede måneder",
    Action.CLOSE_MONTHS: "lukke måneder for bogføring",
}
"""What each action is, completing "Som controller kan du ikke …"."""

ON_CASE: Mapping[Action, str] = {
    Action.READ_CASE: "se sag {ref}",
    Action.CREATE_CASE: "oprette sag {ref}",
    Action.EDIT_CASE: "ændre sag {ref}",
    Action.EDIT_INTERVENTION: "oprette eller ændre indsatser i sag {ref}",
    Action.PROPOSE_SPLIT: "foreslå eller rette fordelinger i sag {ref}",
    Action.RECORD_MEETING: "registrere mødegodkendelser i sag {ref}",
}
"""The action done on one case, completing "Du kan kun …"."""


@dataclass(frozen=True, slots=True)
class CaseParties:
    """Who is on a case, as the scopes need it.

    Attributes:
      ref: the journal number, for messages.
      coordinator: the family coordinator's user name.
      core_team: the departments in the core team.
      involved: the departments that take part (core team, granting or paying an intervention,
        a share in a version); ``None`` when not read, which only ``TAKES_PART`` needs.
    """

    ref: str
    coordinator: str
    core_team: frozenset[str]
    involved: frozenset[str] | None = None


def parties(
    ref: str, coordinator: str, core_team: Collection[str], involved: Collection[str] | None = None
) -> CaseParties:
    """:class:`CaseParties` from plain collections (``involved`` always includes the team)."""
    team = frozenset(core_team)
    return CaseParties(ref, coordinator, team, None if involved is None else team | set(involved))


def scope_of(actor: Actor, action: Action) -> Scope | None:
    """Where the actor's role may do ``action``; ``None`` where it may not at all."""
    return TABLE[action].get(actor.role)


def everywhere(actor: Actor, action: Action) -> bool:
    """Whether the actor may do ``action`` anywhere (lists skip asking case by case)."""
    return scope_of(actor, action) is Scope.ANY


def roles_for(action: Action) -> frozenset[Role]:
    """The roles that may do ``action`` somewhere (the web's first check, before any reading)."""
    return frozenset(TABLE[action])


def _covers(
    actor: Actor, scope: Scope, case: CaseParties | None, department: str | None
) -> bool:
    if scope is Scope.ANY:
        return True
    if scope is Scope.OWN_DEPARTMENT:
        return actor.department is not None and department == actor.department
    if case is None:
        return False
    if scope is Scope.CASE_TEAM:
        return case.coordinator == actor.username or (
            actor.department is not None and actor.department in case.core_team
        )
    assert case.involved is not None, "a takes-part check reads who takes part in the case"
    return actor.department is not None and actor.department in case.involved


def permits(
    actor: Actor,
    action: Action,
    *,
    case: CaseParties | None = None,
    department: str | None = None,
) -> bool:
    """Whether the actor may do ``action`` on ``case`` or for ``department`` (what it concerns)."""
    scope = scope_of(actor, action)
    return scope is not None and _covers(actor, scope, case, department)


def refusal(
    actor: Actor,
    action: Action,
    *,
    case: CaseParties | None = None,
    department: str | None = None,
) -> str | None:
    """Why the actor may not do ``action`` there (Danish), or ``None`` when it may."""
    scope = scope_of(actor, action)
    if scope is None:
        return f"Som {ROLE_NAMES[actor.role]} kan du ikke {DOING[action]}."
    if _covers(actor, scope, case, department):
        return None
    if action is Action.READ_CASE and case is not None:
        return f"Du har ikke adgang til sag {case.ref}."
    if scope is Scope.OWN_DEPARTMENT:
        return f"Du kan kun {DOING[action]} for din egen afdeling ({actor.department})."
    on_case = ON_CASE.get(action)
    doing = on_case.format(ref=case.ref) if case is not None and on_case else DOING[action]
    if scope is Scope.CASE_TEAM:
        return (
            f"Du kan kun {doing}, hvis du er familiens koordinator, eller din afdeling er med i "
            "kerneteamet."
        )
    return (
        f"Du kan kun {doing}, hvis din afdeling ({actor.department}) er med i sagen: i "
        "kerneteamet, som bevilgende eller betalende afdeling for en indsats eller med en andel "
        "i en fordeling."
    )


def require(
    actor: Actor,
    action: Action,
    *,
    case: CaseParties | None = None,
    department: str | None = None,
) -> None:
    """Refuse (:class:`Forbidden`) unless the actor may do ``action`` there."""
    reason = refusal(actor, action, case=case, department=department)
    if reason is not None:
        raise Forbidden(reason)


def require_somewhere(actor: Actor, action: Action) -> None:
    """Refuse unless the actor's role may do ``action`` at all (before knowing where)."""
    if scope_of(actor, action) is None:
        raise Forbidden(f"Som {ROLE_NAMES[actor.role]} kan du ikke {DOING[action]}.")


CASE_ACTIONS = (
    Action.READ_CASE,
    Action.EDIT_CASE,
    Action.EDIT_INTERVENTION,
    Action.PROPOSE_SPLIT,
    Action.RECORD_MEETING,
)


def actions_on(actor: Actor, case: CaseParties) -> frozenset[Action]:
    """What the actor may do on ``case`` (which buttons a case page offers)."""
    return frozenset(action for action in CASE_ACTIONS if permits(actor, action, case=case))
