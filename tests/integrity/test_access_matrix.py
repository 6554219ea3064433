"""One access policy, every door: each person tries each change through the screens, the API, the
controller workbook, the lagkage template and ``finans load``, and every door gives the answer
this table gives — the change is applied, or refused by that door's own means (403, a refused
import row located at the changed cell, a refused load) and nothing of it is saved.

The expectations are written out here, from docs/access.md, not read from the policy's table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import count

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlmodel import Session

from finans.excel.imports import import_workbook
from finans.services import interventions, splits
from finans.services.errors import Forbidden
from tests.integrity.doors import BATCH_DOORS, DOORS, Change, Outcome, World, workbook
from tests.integrity.town import (
    ADMIN,
    ANNA,
    CONTROLLER_BFH,
    CONTROLLER_JOB,
    CONTROLLER_SKO,
    CONTROLLER_SUN,
    MANAGER,
    OLE,
    PEOPLE,
    ROOT,
    Person,
)
from tests.web.webclient import Client

CHANGES_CASES = {
    ANNA: {"S-1"},
    OLE: set(),
    CONTROLLER_BFH: {"S-1"},
    CONTROLLER_JOB: {"S-1"},
    CONTROLLER_SKO: {"S-2"},
    CONTROLLER_SUN: {"S-2"},
    MANAGER: set(),
    ADMIN: {"S-1", "S-2", "S-3"},
}
"""The cases whose records (case, interventions, split proposals) each person may change: a
caseworker's case team, the cases a controller's department takes part in (SUN through its share
of I-2's split only), every case for the administrator, none for the manager."""
CREATES_CASES = {ANNA, OLE, ADMIN}
RENAMES_DEPARTMENTS = {ADMIN}
LOADS_DUMPS = {ADMIN}
CASE_OF = {"I-1": "S-1", "I-2": "S-2", "I-3": "S-3"}


def may(person: Person, door: str, change: Change) -> bool:
    """The expected answer."""
    if door == "load":
        return person in LOADS_DUMPS
    if change.kind == "create_case":
        return person in CREATES_CASES
    if change.kind == "rename_department":
        return person in RENAMES_DEPARTMENTS
    return CASE_OF.get(change.target, change.target) in CHANGES_CASES[person]


def changes(door: str, person: Person, days: Iterator[int]) -> Iterator[Change]:
    """Every change tried through ``door``, each with a value no other attempt uses."""
    mark = f"{door} {person.username}"
    for ref in ("S-1", "S-2", "S-3"):
        yield Change("edit_case", ref, f"Familie {mark}")
    for intervention in ("I-1", "I-2", "I-3"):
        yield Change("edit_intervention", intervention, f"Indsats {mark}")
        day = date(2027, 1, 1) + timedelta(days=next(days))
        yield Change("propose_split", intervention, day.isoformat())
    if door != "template":
        yield Change("create_case", f"S-{door}-{person.username}", f"Ny {mark}")
        yield Change("rename_department", "VOK", f"Voksne {mark}")


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The matrix runs on SQLite; the rules it checks are the services', the same on both
    databases (tests/integration runs the services on PostgreSQL too)."""
    return sqlite_url


@pytest.fixture
def world(
    app: Flask, engine: Engine, login: Callable[[str], Client],
    bearer: Callable[[str], dict[str, str]],
) -> Iterator[World]:
    with Session(engine) as session:
        yield World(app, session, login, bearer)


def _batches(door: str, person: Person, tried: list[Change]) -> list[list[Change]]:
    """How the changes go into files: those expected to pass together (per case, for the
    template), those expected to be refused per kind of record, since a load stops at the first
    kind with problems and would not look at the rest."""
    groups: dict[tuple[bool, str], list[Change]] = {}
    for change in tried:
        expected = may(person, door, change)
        key = CASE_OF.get(change.target, change.target) if door == "template" else ""
        if not expected:
            key += change.kind
        groups.setdefault((expected, key), []).append(change)
    return list(groups.values())


@pytest.mark.parametrize("person", PEOPLE, ids=[person.username for person in PEOPLE])
def test_every_door_gives_each_person_the_same_answer_for_every_change(
    world: World, person: Person
) -> None:
    days = count()
    outcomes: list[tuple[str, Change, Outcome]] = []
    for door, attempt in DOORS.items():
        for change in changes(door, person, days):
            outcomes.append((door, change, attempt(world, person, change)))
    for door, batch in BATCH_DOORS.items():
        for group in _batches(door, person, list(changes(door, person, days))):
            outcomes += [(door, change, outcome) for change, outcome in
                         batch(world, person, group).items()]
    wrong = []
    for door, change, outcome in outcomes:
        expected = may(person, door, change)
        if (outcome.applied, outcome.refused) != (expected, not expected):
            wrong.append(f"{door} {change.kind} {change.target}: applied={outcome.applied}, "
                         f"refused={outcome.refused}, expected {expected} ({outcome.detail})")
    assert wrong == []


def _awaiting(world: World, day: date) -> dict[str, object]:
    """A fresh proposal on I-5 (case S-1) with shares for BFH and JOB."""
    made = splits.propose_split(world.session, actor=ROOT, intervention="I-5", data={
        "effective_from": day.isoformat(), "method": "equal", "departments": ["BFH", "JOB"],
    })
    return made


@pytest.mark.parametrize("person", PEOPLE, ids=[person.username for person in PEOPLE])
def test_only_the_controllers_of_departments_with_a_share_answer_through_screen_and_api(
    world: World, person: Person
) -> None:
    answers = person in (CONTROLLER_BFH, CONTROLLER_JOB)
    outsider = person in (CONTROLLER_SKO, CONTROLLER_SUN)
    first = _awaiting(world, date(2028, 1, 1))
    client = world.login(person.username)
    screen = client.post(f"/godkendelser/{first['id']}",
                         {"version": str(first["version"]), "decision": "approve",
                          "confirmed": "ja"})
    second = _awaiting(world, date(2028, 2, 1))
    api = world.app.test_client().post(f"/api/v1/splits/{second['id']}/approve",
                                       headers=world.bearer(person.username))
    expected = (302, 200) if answers else (422, 422) if outsider else (403, 403)
    assert (screen.status_code, api.status_code) == expected
    world.session.expire_all()
    for split in (first, second):
        stored = splits.get_split(world.session, actor=ROOT, split_id=int(str(split["id"])))
        assert len(stored.get("decisions", [])) == (1 if answers else 0)


def test_a_controller_imports_changes_only_to_cases_their_department_takes_part_in(
    world: World,
) -> None:
    before = interventions.get_intervention(world.session, actor=ROOT, id="I-2")
    world.session.rollback()
    renamed = Change("edit_case", "S-2", "Familie omdøbt")
    refused = workbook(world, CONTROLLER_JOB, [renamed])[renamed]
    assert (refused.applied, refused.refused) == (False, True)
    assert "Du kan kun ændre sag S-2, hvis din afdeling (JOB) er med i sagen" in refused.detail
    assert interventions.get_intervention(world.session, actor=ROOT, id="I-2") == before
    applied = workbook(world, CONTROLLER_SKO, [renamed])[renamed]
    assert (applied.applied, applied.refused) == (True, False)


def test_a_role_that_may_not_import_is_refused_before_the_file_is_read(world: World) -> None:
    with pytest.raises(Forbidden):
        import_workbook(world.session, actor=MANAGER.actor, source=b"not a workbook")
