"""Departments, cases, interventions and split versions over HTTP, for each role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

Auth = Callable[[str], dict[str, str]]
Json = dict[str, Any]


def body(response: Any) -> Json:
    assert response.is_json, response.get_data(as_text=True)
    data: Json = response.json
    return data


def where(response: Any) -> list[str]:
    return [problem["where"] for problem in body(response)["errors"]]


# --- lists --------------------------------------------------------------------------------------


def test_lists_come_in_pages_with_the_total(client: FlaskClient, auth: Auth) -> None:
    first = body(client.get("/api/v1/departments?per_page=4", headers=auth("manager")))
    last = body(client.get("/api/v1/departments?per_page=4&page=3", headers=auth("manager")))
    beyond = body(client.get("/api/v1/departments?per_page=4&page=9", headers=auth("manager")))
    assert (first["page"], first["per_page"], first["total"]) == (1, 4, 9)
    assert [d["code"] for d in first["items"]] == ["BFA", "BFH", "DAG", "HJM"]
    assert [d["code"] for d in last["items"]] == ["VOK"]
    assert beyond["items"] == [] and beyond["total"] == 9


@pytest.mark.parametrize("resource", ["cases", "interventions"])
def test_pages_of_cases_and_interventions_join_up_to_the_whole_list(
    client: FlaskClient, auth: Auth, resource: str
) -> None:
    key = "ref" if resource == "cases" else "id"
    whole = body(client.get(f"/api/v1/{resource}?per_page=200", headers=auth("manager")))
    pages = [
        body(client.get(f"/api/v1/{resource}?per_page=7&page={n}", headers=auth("manager")))
        for n in range(1, -(-whole["total"] // 7) + 2)
    ]
    joined = [item[key] for page in pages for item in page["items"]]
    assert whole["total"] > 7
    assert joined == [item[key] for item in whole["items"]]
    assert pages[1]["items"] == whole["items"][7:14]
    assert pages[-1]["items"] == [] and pages[-1]["total"] == whole["total"]


@pytest.mark.parametrize("query", ["page=0", "per_page=201", "page=x", "per_page=-1"])
def test_a_bad_page_is_a_located_422(client: FlaskClient, auth: Auth, query: str) -> None:
    response = client.get(f"/api/v1/cases?{query}", headers=auth("manager"))
    assert response.status_code == 422
    assert where(response) == [query.split("=")[0]]


def test_caseworkers_list_only_the_cases_they_work_on(client: FlaskClient, auth: Auth) -> None:
    everything = body(client.get("/api/v1/cases?per_page=200", headers=auth("manager")))
    own = body(client.get("/api/v1/cases?per_page=200", headers=auth("caseworker")))
    assert 0 < own["total"] < everything["total"]
    assert all("BFH" in case["core_team"] or case["coordinator"] == "caseworker"
               for case in own["items"])


def test_interventions_can_be_listed_for_one_case(client: FlaskClient, auth: Auth) -> None:
    listed = body(client.get("/api/v1/interventions?case=S-2025-0001", headers=auth("manager")))
    assert listed["total"] >= 1
    assert {item["case"] for item in listed["items"]} == {"S-2025-0001"}
    missing = client.get("/api/v1/interventions?case=S-1999-9999", headers=auth("manager"))
    assert missing.status_code == 404


# --- departments --------------------------------------------------------------------------------


def test_an_administrator_creates_a_department_and_gets_its_address(
    client: FlaskClient, auth: Auth
) -> None:
    response = client.post("/api/v1/departments", headers=auth("admin"),
                           json={"code": "PSY", "name": "Psykiatri", "account": "5.38.40"})
    assert response.status_code == 201
    assert body(response) == {"code": "PSY", "name": "Psykiatri", "account": "5.38.40",
                              "active": True, "version": 1}
    assert response.headers["Location"].endswith("/api/v1/departments/PSY")
    assert body(client.get(response.headers["Location"], headers=auth("caseworker")))["code"] \
        == "PSY"


@pytest.mark.parametrize("role", ["manager", "controller", "caseworker"])
def test_only_administrators_create_departments(
    client: FlaskClient, auth: Auth, role: str
) -> None:
    response = client.post("/api/v1/departments", headers=auth(role),
                           json={"code": "PSY", "name": "Psykiatri"})
    assert response.status_code == 403
    assert body(response)["errors"][0]["code"] == "forbidden"


def test_an_update_names_the_version_it_read_and_a_stale_one_is_a_409_with_the_changes(
    client: FlaskClient, auth: Auth
) -> None:
    current = body(client.get("/api/v1/departments/JOB", headers=auth("admin")))
    changed = client.patch("/api/v1/departments/JOB", headers=auth("admin"),
                           json={"name": "Jobcentret", "version": current["version"]})
    assert changed.status_code == 200
    assert body(changed)["version"] == current["version"] + 1
    stale = client.put("/api/v1/departments/JOB", headers=auth("admin"),
                       json={"account": "1.2.3", "version": current["version"]})
    assert stale.status_code == 409
    assert body(stale)["changes"] and "admin" in body(stale)["changes"][0]
    assert body(client.get("/api/v1/departments/JOB", headers=auth("admin")))["account"] \
        == current["account"]


def test_an_update_without_a_version_is_refused(client: FlaskClient, auth: Auth) -> None:
    response = client.patch("/api/v1/departments/JOB", headers=auth("admin"),
                            json={"name": "Jobcentret"})
    assert response.status_code == 422
    assert where(response) == ["version"]


# --- cases and interventions --------------------------------------------------------------------


def test_a_caseworker_opens_a_case_and_adds_an_intervention(
    client: FlaskClient, auth: Auth
) -> None:
    case = client.post("/api/v1/cases", headers=auth("caseworker"), json={
        "ref": "S-2026-7777", "family": "Familie Test", "consent": True,
        "core_team": ["BFH", "JOB"],
    })
    assert case.status_code == 201
    assert body(case)["coordinator"] == "caseworker"
    made = client.post("/api/v1/interventions", headers=auth("caseworker"), json={
        "case": "S-2026-7777", "title": "Mentor", "legal_basis": "LAB § 31 b",
        "granted_by": "JOB", "paid_by": "JOB",
        "cost": {"amount": "4200.00", "per": "month", "start": "2026-12-01"},
    })
    assert made.status_code == 201
    created = body(made)
    assert created["cost"] == {"amount": "4200.00", "per": "month", "start": "2026-12-01"}
    assert made.headers["Location"].endswith(f"/api/v1/interventions/{created['id']}")


def test_managers_cannot_open_cases(client: FlaskClient, auth: Auth) -> None:
    response = client.post("/api/v1/cases", headers=auth("manager"), json={"ref": "S-2026-7778"})
    assert response.status_code == 403


def test_invalid_intervention_input_lists_every_problem_by_its_path(
    client: FlaskClient, auth: Auth
) -> None:
    response = client.post("/api/v1/interventions", headers=auth("caseworker"), json={
        "case": "S-2025-0001", "title": "Aflastning", "granted_by": "BFH", "paid_by": "NOPE",
        "cost": {"amount": "-12.00", "per": "fortnight", "start": "2026-13-01"},
    })
    assert response.status_code == 422
    assert set(where(response)) >= {"paid_by", "cost.amount", "cost.per", "cost.start"}


def test_json_numbers_with_decimals_are_read_exactly(client: FlaskClient, auth: Auth) -> None:
    made = client.post("/api/v1/interventions", headers=auth("caseworker"), data=(
        '{"case": "S-2025-0001", "title": "Kørsel", "granted_by": "BFH", "paid_by": "BFH",'
        ' "cost": {"amount": 1234.10, "per": "once", "start": "2026-05-01"}}'
    ), content_type="application/json")
    assert made.status_code == 201
    assert body(made)["cost"]["amount"] == "1234.10"


def test_a_caseworker_may_not_change_another_teams_case(client: FlaskClient, auth: Auth) -> None:
    cases = body(client.get("/api/v1/cases?per_page=200", headers=auth("manager")))["items"]
    other = next(case for case in cases if "BFH" not in case["core_team"])
    response = client.patch(f"/api/v1/cases/{other['ref']}", headers=auth("caseworker"),
                            json={"family": "Familie X", "version": other["version"]})
    assert response.status_code == 403
    assert client.get(f"/api/v1/cases/{other['ref']}", headers=auth("caseworker")).status_code \
        == 403


# --- split versions -----------------------------------------------------------------------------


def awaiting(client: FlaskClient, auth: Auth, department: str) -> Json:
    """A proposed split version waiting for ``department``'s answer."""
    items = body(client.get("/api/v1/interventions?per_page=200", headers=auth("manager")))
    for intervention in items["items"]:
        for split in intervention["splits"]:
            if department in split["awaiting"]:
                return split
    raise AssertionError(f"no split awaits {department}")


def test_the_splits_of_an_intervention_are_listed_in_order(client: FlaskClient, auth: Auth) -> None:
    listed = body(client.get("/api/v1/interventions/I-1/splits", headers=auth("manager")))
    assert listed["total"] == len(listed["items"]) >= 1
    days = [split["effective_from"] for split in listed["items"]]
    assert days == sorted(days)
    assert all(split["intervention"] == "I-1" for split in listed["items"])


def test_a_caseworker_proposes_a_new_version(client: FlaskClient, auth: Auth) -> None:
    cases = body(client.get("/api/v1/interventions?per_page=200", headers=auth("caseworker")))
    intervention = cases["items"][0]
    before = len(intervention["splits"])
    response = client.post(f"/api/v1/interventions/{intervention['id']}/splits",
                           headers=auth("caseworker"), json={
                               "effective_from": "2027-01-01", "method": "equal",
                               "departments": ["BFH", "JOB"], "rationale": "Revurdering",
                           })
    assert response.status_code == 201, response.get_data(as_text=True)
    made = body(response)
    assert (made["status"], made["awaiting"]) == ("proposed", ["BFH", "JOB"])
    assert made["resolved"] == {"BFH": "1/2", "JOB": "1/2"}
    after = body(client.get(f"/api/v1/interventions/{intervention['id']}/splits",
                            headers=auth("caseworker")))
    assert after["total"] == before + 1
    assert response.headers["Location"].endswith(f"/api/v1/splits/{made['id']}")


def test_a_proposal_with_shares_that_do_not_sum_to_100_is_refused_at_its_path(
    client: FlaskClient, auth: Auth
) -> None:
    response = client.post("/api/v1/interventions/I-1/splits", headers=auth("caseworker"), json={
        "effective_from": "2027-01-01", "method": "fixed", "shares": {"BFH": "60", "JOB": "30"},
    })
    assert response.status_code == 422
    assert where(response) == ["shares"]


def test_a_controller_approves_for_their_own_department(client: FlaskClient, auth: Auth) -> None:
    split = awaiting(client, auth, "JOB")
    response = client.post(f"/api/v1/splits/{split['id']}/approve", headers=auth("controller"))
    assert response.status_code == 200
    answered = body(response)
    assert "JOB" not in answered["awaiting"]
    assert any(d["department"] == "JOB" and d["decision"] == "approve" and d["by"] == "controller"
               for d in answered["decisions"])


def test_a_rejection_needs_a_reason(client: FlaskClient, auth: Auth) -> None:
    split = awaiting(client, auth, "JOB")
    refused = client.post(f"/api/v1/splits/{split['id']}/reject", headers=auth("controller"))
    assert refused.status_code == 422
    assert where(refused) == ["reason"]
    rejected = client.post(f"/api/v1/splits/{split['id']}/reject", headers=auth("controller"),
                           json={"reason": "Andelen er for høj"})
    assert rejected.status_code == 200
    assert body(rejected)["status"] == "rejected"


def test_an_answer_to_a_stale_version_is_a_409(client: FlaskClient, auth: Auth) -> None:
    split = awaiting(client, auth, "JOB")
    response = client.post(f"/api/v1/splits/{split['id']}/approve", headers=auth("controller"),
                           json={"version": split["version"] + 1})
    assert response.status_code == 409


@pytest.mark.parametrize("role", ["manager", "admin", "caseworker"])
def test_only_controllers_answer_for_a_department(
    client: FlaskClient, auth: Auth, role: str
) -> None:
    split = awaiting(client, auth, "JOB")
    response = client.post(f"/api/v1/splits/{split['id']}/approve", headers=auth(role))
    assert response.status_code == 403
    assert body(client.get(f"/api/v1/splits/{split['id']}",
                           headers=auth("manager")))["awaiting"] == split["awaiting"]


def test_a_controller_answers_as_their_own_department_only(
    client: FlaskClient, auth: Auth
) -> None:
    split = awaiting(client, auth, "JOB")
    response = client.post(f"/api/v1/splits/{split['id']}/approve",
                           headers=auth("other_controller"))
    assert response.status_code == (200 if "BFH" in split["awaiting"] else 422)
    after = body(client.get(f"/api/v1/splits/{split['id']}", headers=auth("manager")))
    assert "JOB" in after["awaiting"]
    assert "BFH" not in after["awaiting"]
