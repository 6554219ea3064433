"""The access policy's scopes and its reasons, for people, when it refuses."""

from __future__ import annotations

import pytest

from finans.services.actor import Actor, Role
from finans.services.errors import Forbidden
from finans.services.policy import (
    DOING,
    ON_CASE,
    TABLE,
    Action,
    Scope,
    actions_on,
    parties,
    permits,
    refusal,
    require,
    roles_for,
)

CASE = parties("S-1", "anna", ["BFH", "JOB"], ["SKO"])
"""Coordinated by anna; BFH and JOB in the core team; SKO pays or has a share."""


def test_every_action_says_what_it_is_and_every_case_action_where() -> None:
    assert set(DOING) == set(Action) == set(TABLE)
    on_a_case = {action for action, row in TABLE.items()
                 if {Scope.CASE_TEAM, Scope.TAKES_PART} & set(row.values())}
    assert on_a_case - {Action.READ_CASE, Action.IMPORT} <= set(ON_CASE)


def test_the_case_team_is_the_coordinator_and_the_core_teams_departments() -> None:
    assert permits(Actor("anna", Role.CASEWORKER, "SUN"), Action.EDIT_CASE, case=CASE)
    assert permits(Actor("bo", Role.CASEWORKER, "JOB"), Action.EDIT_CASE, case=CASE)
    assert not permits(Actor("bo", Role.CASEWORKER, "SKO"), Action.EDIT_CASE, case=CASE)


def test_a_department_takes_part_through_the_core_team_or_what_it_grants_pays_or_shares() -> None:
    for code in ("BFH", "JOB", "SKO"):
        assert permits(Actor(f"c.{code}", Role.CONTROLLER, code), Action.EDIT_CASE, case=CASE)
    assert not permits(Actor("c.sun", Role.CONTROLLER, "SUN"), Action.EDIT_CASE, case=CASE)


def test_a_refusal_says_why_in_danish() -> None:
    assert refusal(Actor("leder", Role.MANAGER), Action.EDIT_CASE, case=CASE) == (
        "Som leder kan du ikke ændre sager."
    )
    outsider = Actor("c.sun", Role.CONTROLLER, "SUN")
    assert refusal(outsider, Action.PROPOSE_SPLIT, case=CASE) == (
        "Du kan kun foreslå eller rette fordelinger i sag S-1, hvis din afdeling (SUN) er med i "
        "sagen: i kerneteamet, som bevilgende eller betalende afdeling for en indsats eller med "
        "en andel i en fordeling."
    )
    assert refusal(outsider, Action.EDIT_BUDGET, department="BFH") == (
        "Du kan kun ændre budgetter for din egen afdeling (SUN)."
    )
    with pytest.raises(Forbidden) as refused:
        require(Actor("ole", Role.CASEWORKER, "SUN"), Action.READ_CASE, case=CASE)
    assert refused.value.message == "Du har ikke adgang til sag S-1."


def test_the_case_page_offers_what_the_actor_may_do_there() -> None:
    assert actions_on(Actor("anna", Role.CASEWORKER, "BFH"), CASE) == {
        Action.READ_CASE, Action.EDIT_CASE, Action.EDIT_INTERVENTION, Action.PROPOSE_SPLIT,
        Action.RECORD_MEETING,
    }
    assert actions_on(Actor("c.sko", Role.CONTROLLER, "SKO"), CASE) == {
        Action.READ_CASE, Action.EDIT_CASE, Action.EDIT_INTERVENTION, Action.PROPOSE_SPLIT,
    }
    assert actions_on(Actor("leder", Role.MANAGER), CASE) == {Action.READ_CASE}


def test_the_routes_of_a_role_follow_from_where_it_may_act_at_all() -> None:
    assert roles_for(Action.DECIDE_SHARE) == {Role.CONTROLLER}
    every = {Role.CASEWORKER, Role.CONTROLLER, Role.MANAGER, Role.ADMIN}
    assert roles_for(Action.READ_CASE) >= every
    assert roles_for(Action.LOAD_DUMP) == {Role.ADMIN}
