"""Departments, cases and interventions through the services: validation and permissions."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from finans.services.cases import create_case, get_case, list_cases, update_case
from finans.services.departments import (
    create_department,
    list_departments,
    update_department,
)
from finans.services.errors import Forbidden, NotFound, ServiceError
from finans.services.interventions import (
    create_intervention,
    get_intervention,
    list_interventions,
    update_intervention,
)
from tests.integration.municipality import ADMIN, CASEWORKER, MANAGER, OUTSIDER, controller

NEW_INTERVENTION = {
    "case": "S-2026-0001", "title": "Hjemmetræning", "legal_basis": "Barnets lov § 85",
    "granted_by": "BFH", "paid_by": "BFH",
    "cost": {"amount": "8000.00", "per": "month", "start": "2026-03-01"},
}


def wheres(error: pytest.ExceptionInfo[ServiceError]) -> list[str]:
    return [problem.where for problem in error.value.problems]


def test_an_administrator_adds_and_deactivates_a_department(seeded: Session) -> None:
    added = create_department(seeded, actor=ADMIN,
                              data={"code": "VOK", "name": "Voksenhandicap", "account": "5.38.52"})
    assert (added["active"], added["version"]) == (True, 1)
    update_department(seeded, actor=ADMIN, code="VOK", version=1, data={"active": False})
    assert "VOK" not in [d["code"] for d in list_departments(seeded, active_only=True)]
    assert [d["active"] for d in list_departments(seeded) if d["code"] == "VOK"] == [False]


def test_department_codes_are_unique_and_fixed(seeded: Session) -> None:
    with pytest.raises(ServiceError) as duplicate:
        create_department(seeded, actor=ADMIN, data={"code": "BFH", "name": "Igen"})
    assert wheres(duplicate) == ["code"]
    with pytest.raises(ServiceError) as renamed:
        update_department(seeded, actor=ADMIN, code="BFH", version=1, data={"code": "BFX"})
    assert wheres(renamed) == ["code"]


def test_only_administrators_keep_departments(seeded: Session) -> None:
    for actor in (CASEWORKER, controller("BFH"), MANAGER):
        with pytest.raises(Forbidden):
            create_department(seeded, actor=actor, data={"code": "VOK", "name": "Voksen"})


def test_a_caseworker_opens_a_case_and_coordinates_it(seeded: Session) -> None:
    case = create_case(seeded, actor=CASEWORKER,
                       data={"ref": "S-2026-0009", "family": "Familie D", "core_team": ["SKO"]})
    assert (case["coordinator"], case["core_team"], case["version"]) == ("anna", ["SKO"], 1)


def test_a_case_the_caseworker_would_not_work_on_is_refused(seeded: Session) -> None:
    with pytest.raises(ServiceError) as elsewhere:
        create_case(seeded, actor=CASEWORKER,
                    data={"ref": "S-2026-0009", "coordinator": "bent", "core_team": ["SKO"]})
    assert wheres(elsewhere) == ["core_team"]


def test_a_case_never_holds_a_cpr_number(seeded: Session) -> None:
    with pytest.raises(ServiceError) as cpr:
        create_case(seeded, actor=CASEWORKER,
                    data={"ref": "S-2026-0009", "family": "Barn 010203-1234", "cpr": "x"})
    assert set(wheres(cpr)) == {"family", "cpr"}


def test_duplicate_journal_numbers_are_refused(seeded: Session) -> None:
    with pytest.raises(ServiceError) as duplicate:
        create_case(seeded, actor=CASEWORKER, data={"ref": "S-2026-0001"})
    assert wheres(duplicate) == ["ref"]


def test_caseworkers_see_only_their_own_cases(seeded: Session) -> None:
    assert [c["ref"] for c in list_cases(seeded, actor=CASEWORKER)] == ["S-2026-0001"]
    assert [c["ref"] for c in list_cases(seeded, actor=MANAGER)] == [
        "S-2026-0001", "S-2026-0002",
    ]
    with pytest.raises(Forbidden):
        get_case(seeded, actor=CASEWORKER, ref="S-2026-0002")
    assert list_interventions(seeded, actor=OUTSIDER) == []
    with pytest.raises(NotFound):
        get_case(seeded, actor=MANAGER, ref="S-2099-0001")


def test_changing_the_core_team_is_a_change_of_the_case(seeded: Session) -> None:
    updated = update_case(seeded, actor=CASEWORKER, ref="S-2026-0001", version=1,
                          data={"core_team": ["BFH", "JOB", "SUN"]})
    assert (updated["core_team"], updated["version"]) == (["BFH", "JOB", "SUN"], 2)
    assert [c["ref"] for c in list_cases(seeded, actor=OUTSIDER)] == ["S-2026-0001"]


def test_a_case_is_edited_by_its_caseworkers_controllers_taking_part_and_administrators(
    seeded: Session,
) -> None:
    for actor in (OUTSIDER, controller("SUN"), MANAGER):
        with pytest.raises(Forbidden):
            update_case(seeded, actor=actor, ref="S-2026-0001", version=1,
                        data={"consent": False})
    for version, actor in enumerate((controller("JOB"), ADMIN), 1):
        updated = update_case(seeded, actor=actor, ref="S-2026-0001", version=version,
                              data={"family": f"Familie {actor.username}"})
        assert updated["version"] == version + 1


def test_a_new_intervention_gets_the_next_free_id(seeded: Session) -> None:
    created = create_intervention(seeded, actor=CASEWORKER, data=NEW_INTERVENTION)
    assert (created["id"], created["cost"]["amount"], created["splits"]) == ("I-3", "8000.00", [])


def test_an_invalid_intervention_is_refused_with_every_problem_located(seeded: Session) -> None:
    data = {**NEW_INTERVENTION, "paid_by": "XXX", "splits": [],
            "cost": {"amount": "12.345", "per": "day", "start": "2026-03-01"}}
    with pytest.raises(ServiceError) as invalid:
        create_intervention(seeded, actor=CASEWORKER, data=data)
    assert set(wheres(invalid)) == {"splits", "paid_by", "cost.amount", "cost.per"}


def test_an_intervention_moves_only_between_cases_the_caseworker_works_on(
    seeded: Session,
) -> None:
    with pytest.raises(Forbidden):
        update_intervention(seeded, actor=CASEWORKER, id="I-1", version=1,
                            data={"case": "S-2026-0002"})
    moved = update_intervention(seeded, actor=CASEWORKER, id="I-1", version=1,
                                data={"title": "Aflastning i weekender"})
    assert (moved["title"], moved["version"]) == ("Aflastning i weekender", 2)
    assert get_intervention(seeded, actor=MANAGER, id="I-1")["case"] == "S-2026-0001"


def test_an_intervention_id_never_changes(seeded: Session) -> None:
    with pytest.raises(ServiceError) as renamed:
        update_intervention(seeded, actor=CASEWORKER, id="I-1", version=1, data={"id": "I-7"})
    assert wheres(renamed) == ["id"]
