"""Budgets over HTTP: exact amounts, the department's controller or an administrator, versions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from finans.store.models import AuditEntry

Auth = Callable[[str], dict[str, str]]


def create(client: FlaskClient, auth: Auth, role: str, **data: object) -> object:
    return client.post("/api/v1/budgets", headers=auth(role), json=data)


def test_a_controller_enters_their_departments_budget(
    client: FlaskClient, auth: Auth, db_session: Session
) -> None:
    response = client.post("/api/v1/budgets", headers=auth("controller"),
                           json={"department": "JOB", "year": 2026, "amount": "1250000.50"})
    assert response.status_code == 201
    assert response.json == {"department": "JOB", "year": 2026, "amount": "1250000.50",
                              "version": 1}
    assert response.headers["Location"].endswith("/api/v1/budgets/JOB/2026")
    read = client.get("/api/v1/budgets/JOB/2026", headers=auth("manager"))
    assert read.json == response.json
    audited = db_session.exec(select(AuditEntry).where(AuditEntry.entity == "budget")).all()
    assert [(entry.actor, entry.action) for entry in audited] == [("controller", "create")]


@pytest.mark.parametrize(("role", "department"), [
    ("controller", "BFH"), ("manager", "JOB"), ("caseworker", "BFH"),
])
def test_others_may_not_enter_a_departments_budget(
    client: FlaskClient, auth: Auth, role: str, department: str
) -> None:
    response = client.post("/api/v1/budgets", headers=auth(role),
                           json={"department": department, "year": 2026, "amount": "1.00"})
    assert response.status_code == 403


def test_invalid_budgets_are_a_422_naming_each_field(client: FlaskClient, auth: Auth) -> None:
    response = client.post("/api/v1/budgets", headers=auth("admin"),
                           json={"department": "JOB", "year": 26, "amount": "12,345"})
    assert response.status_code == 422
    assert response.json is not None
    assert [problem["where"] for problem in response.json["errors"]] == ["year", "amount"]


def test_a_stale_budget_update_is_a_409_and_changes_nothing(
    client: FlaskClient, auth: Auth
) -> None:
    client.post("/api/v1/budgets", headers=auth("admin"),
                json={"department": "JOB", "year": 2026, "amount": "100.00"})
    first = client.put("/api/v1/budgets/JOB/2026", headers=auth("controller"),
                       json={"amount": "200.00", "version": 1})
    assert first.status_code == 200 and first.json is not None and first.json["version"] == 2
    stale = client.patch("/api/v1/budgets/JOB/2026", headers=auth("admin"),
                         json={"amount": "300.00", "version": 1})
    assert stale.status_code == 409
    assert stale.json is not None and stale.json["changes"]
    assert client.get("/api/v1/budgets/JOB/2026", headers=auth("admin")).json["amount"] \
        == "200.00"


def test_budgets_are_listed_and_filtered(client: FlaskClient, auth: Auth) -> None:
    for department, year in (("JOB", 2026), ("BFH", 2026), ("JOB", 2027)):
        assert client.post("/api/v1/budgets", headers=auth("admin"), json={
            "department": department, "year": year, "amount": "1.00",
        }).status_code == 201
    listed = client.get("/api/v1/budgets?year=2026", headers=auth("manager")).json
    assert listed is not None
    assert [(b["department"], b["year"]) for b in listed["items"]] == [("BFH", 2026),
                                                                        ("JOB", 2026)]
    assert client.get("/api/v1/budgets?department=JOB", headers=auth("manager")).json["total"] \
        == 2
    assert client.get("/api/v1/budgets?year=12", headers=auth("manager")).status_code == 422
    assert client.get("/api/v1/budgets/JOB/2030", headers=auth("manager")).status_code == 404
    assert client.get("/api/v1/budgets", headers=auth("caseworker")).status_code == 403
