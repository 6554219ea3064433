"""The OpenAPI document is made from the routes: it describes exactly the operations the API
serves, and real answers of every operation (and of every kind of refusal) validate against it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from finans.web.api import document, register
from finans.web.api.common import XLSX
from finans.web.api.openapi import UndocumentedRoute, build_document

Auth = Callable[[str], dict[str, str]]
UNDESCRIBED = {"/<path:_anything>"}
"""The catch-all that answers 404/405 for paths that name nothing."""
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
PARAMETER = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


@dataclass(frozen=True)
class Example:
    """A request and the status it answers, for the operation it is an example of.

    ``path`` may name ``{awaiting}`` (a split awaiting the JOB controller's answer), ``{draft}``
    (a draft split) or ``{token}`` (the caller's own token); ``version_of`` is the record whose
    current version (plus ``stale``) goes into the body; ``workbook`` sends an exported workbook;
    ``before`` are records an administrator POSTs first (path, body).
    """

    operation: str
    path: str
    role: str | None = "admin"
    status: int = 200
    body: dict[str, Any] | None = None
    version_of: str | None = None
    stale: int = 0
    workbook: bool = False
    before: tuple[tuple[str, dict[str, Any]], ...] = ()
    query: dict[str, str] = field(default_factory=dict)


NEW_CASE = {"ref": "S-2026-7777", "family": "Familie Test", "consent": True,
            "core_team": ["BFH", "JOB"]}
NEW_INTERVENTION = {"case": "S-2025-0001", "title": "Mentor", "legal_basis": "LAB § 31 b",
                    "granted_by": "JOB", "paid_by": "JOB",
                    "cost": {"amount": "4200.00", "per": "month", "start": "2026-12-01"}}
EQUAL_SPLIT = {"effective_from": "2027-01-01", "method": "equal", "departments": ["BFH", "JOB"],
               "rationale": "Revurdering"}
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}
POSTINGS = {"from": "2026-03-01", "to": "2026-03-31"}
BUDGET = (("/budgets", {"department": "JOB", "year": 2026, "amount": "100.00"}),)

EXAMPLES = [
    Example("GET /healthz", "/healthz", role=None),
    Example("GET /openapi.json", "/openapi.json", role=None),
    Example("GET /departments", "/departments"),
    Example("POST /departments", "/departments", status=201,
            body={"code": "PSY", "name": "Psykiatri", "account": "5.38.40"}),
    Example("GET /departments/{code}", "/departments/JOB"),
    Example("PUT /departments/{code}", "/departments/JOB", body={"name": "Jobcentret"},
            version_of="/departments/JOB"),
    Example("PATCH /departments/{code}", "/departments/JOB", body={"account": "5.28.21"},
            version_of="/departments/JOB"),
    Example("GET /cases", "/cases", role="caseworker"),
    Example("POST /cases", "/cases", role="caseworker", status=201, body=NEW_CASE),
    Example("GET /cases/{ref}", "/cases/S-2025-0001"),
    Example("PUT /cases/{ref}", "/cases/S-2025-0001", role="caseworker",
            body={"family": "Familie X"}, version_of="/cases/S-2025-0001"),
    Example("PATCH /cases/{ref}", "/cases/S-2025-0001", body={"consent": False},
            version_of="/cases/S-2025-0001"),
    Example("GET /interventions", "/interventions", role="manager",
            query={"case": "S-2025-0001"}),
    Example("POST /interventions", "/interventions", role="caseworker", status=201,
            body=NEW_INTERVENTION),
    Example("GET /interventions/{id}", "/interventions/I-1"),
    Example("PUT /interventions/{id}", "/interventions/I-1", body={"title": "Aflastning"},
            version_of="/interventions/I-1"),
    Example("PATCH /interventions/{id}", "/interventions/I-1",
            body={"cost": {"amount": "1234.10", "per": "once", "start": "2026-05-01"}},
            version_of="/interventions/I-1"),
    Example("GET /interventions/{id}/splits", "/interventions/I-1/splits", role="manager"),
    Example("POST /interventions/{id}/splits", "/interventions/I-1/splits", role="caseworker",
            status=201, body=EQUAL_SPLIT),
    Example("GET /splits/{split_id}", "/splits/{draft}", role="manager"),
    Example("PUT /splits/{split_id}", "/splits/{draft}", role="caseworker",
            body={"rationale": "Ny vurdering"}, version_of="/splits/{draft}"),
    Example("PATCH /splits/{split_id}", "/splits/{draft}", body={"rationale": "Revurderet"},
            version_of="/splits/{draft}"),
    Example("POST /splits/{split_id}/approve", "/splits/{awaiting}/approve", role="controller",
            version_of="/splits/{awaiting}"),
    Example("POST /splits/{split_id}/reject", "/splits/{awaiting}/reject", role="controller",
            body={"reason": "Andelen er for høj"}),
    Example("GET /budgets", "/budgets", query={"year": "2026"}, before=BUDGET),
    Example("POST /budgets", "/budgets", role="controller", status=201,
            body={"department": "JOB", "year": 2030, "amount": "1250000.50"}),
    Example("GET /budgets/{department}/{year}", "/budgets/JOB/2026", role="controller",
            before=BUDGET),
    Example("PUT /budgets/{department}/{year}", "/budgets/JOB/2026", body={"amount": "200.00"},
            version_of="/budgets/JOB/2026", before=BUDGET),
    Example("PATCH /budgets/{department}/{year}", "/budgets/JOB/2026", before=BUDGET,
            role="controller", body={"amount": "300.00"}, version_of="/budgets/JOB/2026"),
    Example("GET /allocation", "/allocation", role="controller", query=PERIOD),
    Example("GET /settlement", "/settlement", role="manager",
            query={**PERIOD, "mode": "minimal"}),
    Example("GET /scenario", "/scenario"),
    Example("GET /export.xlsx", "/export.xlsx", role="controller", query=PERIOD),
    Example("POST /import", "/import", role="controller", workbook=True),
    Example("GET /refund-rates", "/refund-rates", role="caseworker"),
    Example("POST /refund-rates", "/refund-rates", status=201,
            body={"year": 2031, "thresholds": ["1050000.00", "2050000.00", "2590000.00"],
                  "percents": ["25", "50", "75"], "note": "Reguleret efter satsloven"}),
    Example("GET /refund-rates/{year}", "/refund-rates/2022", role="manager"),
    Example("PUT /refund-rates/{year}", "/refund-rates/2022", body={"note": "Bekræftet"},
            version_of="/refund-rates/2022"),
    Example("PATCH /refund-rates/{year}", "/refund-rates/2022",
            body={"percents": ["25", "50", "80"]}, version_of="/refund-rates/2022"),
    Example("GET /postings", "/postings", role="finance", query={**POSTINGS, "format": "json"}),
    Example("GET /postings", "/postings", role="finance", query=POSTINGS),
    Example("GET /postings", "/postings", role="admin", query={**POSTINGS, "format": "g69"}),
    Example("GET /periods", "/periods", role="finance"),
    Example("POST /periods", "/periods", role="finance", body={"month": "2026-03"}),
    Example("GET /tokens", "/tokens", role="manager"),
    Example("DELETE /tokens/{token_id}", "/tokens/{token}", role="manager"),
    Example("POST /tokens/{token_id}/revoke", "/tokens/{token}/revoke", role="caseworker"),
]
"""One answer of every operation the API serves."""

REFUSALS = [
    Example("GET /departments", "/departments", role=None, status=401),
    Example("POST /departments", "/departments", role="caseworker", status=403,
            body={"code": "PSY", "name": "Psykiatri"}),
    Example("GET /cases/{ref}", "/cases/S-1999-0000", status=404),
    Example("PATCH /departments/{code}", "/departments/JOB", body={"name": "Jobcentret"},
            version_of="/departments/JOB", stale=1, status=409),
    Example("POST /budgets", "/budgets", status=422,
            body={"department": "JOB", "year": 26, "amount": "12,345"}),
    Example("POST /splits/{split_id}/reject", "/splits/{awaiting}/reject", role="controller",
            status=422),
    Example("GET /allocation", "/allocation", role="caseworker", status=403, query=PERIOD),
    Example("GET /postings", "/postings", role="finance", status=422,
            query={"from": "2026-02-30", "to": "2026-03-01"}),
    Example("GET /refund-rates/{year}", "/refund-rates/2040", status=404),
]
"""One answer of every kind of refusal."""


def served_operations(app: Flask) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1")
        if path in UNDESCRIBED:
            continue
        path = PARAMETER.sub(r"{\1}", path)
        operations |= {(path, method.lower()) for method in (rule.methods or set()) & METHODS}
    return operations


def described_operations(described: dict[str, Any]) -> set[tuple[str, str]]:
    return {(path, method) for path, item in described["paths"].items() for method in item}


@pytest.fixture
def served(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json is not None
    return dict(response.json)


def test_every_operation_served_is_described_and_every_described_one_is_served(
    app: Flask, served: dict[str, Any]
) -> None:
    assert served_operations(app) == described_operations(served)
    assert served == document()


def test_a_route_that_declares_no_operation_stops_the_document_from_being_made() -> None:
    app = Flask(__name__)
    register(app)
    extra = Blueprint("extra", __name__, url_prefix="/api/v1/extra")
    extra.add_url_rule("/", "listed", lambda: "")
    app.register_blueprint(extra)
    with pytest.raises(UndocumentedRoute, match="/api/v1/extra/"):
        build_document(app.url_map, app.view_functions)


def test_every_operation_but_health_and_the_document_requires_the_bearer_token(
    served: dict[str, Any],
) -> None:
    public = {
        (path, method)
        for path, item in served["paths"].items()
        for method, operation in item.items()
        if operation.get("security") == []
    }
    assert public == {("/healthz", "get"), ("/openapi.json", "get")}
    assert served["security"] == [{"bearerAuth": []}]


def test_every_described_path_parameter_is_declared(served: dict[str, Any]) -> None:
    for path, item in served["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, method)


def test_the_document_is_a_valid_openapi_3_document(served: dict[str, Any]) -> None:
    schema = schemathesis.openapi.from_dict(served)
    operations = {
        result.ok().label for result in schema.get_all_operations()  # type: ignore[union-attr]
    }
    assert operations == {
        f"{method.upper()} {path}" for path, method in described_operations(served)
    }


def test_every_operation_has_an_example_answer(served: dict[str, Any]) -> None:
    examples = {tuple(example.operation.split(" ", 1)) for example in EXAMPLES}
    assert {(path, method.upper()) for path, method in described_operations(served)} == {
        (path, method) for method, path in examples
    }


def _id(example: Example) -> str:
    shown = "&".join(f"{name}={value}" for name, value in example.query.items())
    return f"{example.operation}{'?' + shown if shown else ''} {example.role} {example.status}"


def _awaiting(client: FlaskClient, auth: Auth) -> int:
    listed = client.get("/api/v1/interventions?per_page=200", headers=auth("manager")).json
    assert listed is not None
    for intervention in listed["items"]:
        for split in intervention["splits"]:
            if "JOB" in split["awaiting"]:
                return int(split["id"])
    raise AssertionError("no split awaits JOB")


def _draft(client: FlaskClient, auth: Auth) -> int:
    listed = client.get("/api/v1/interventions/I-1/splits", headers=auth("manager")).json
    assert listed is not None
    return next(int(split["id"]) for split in listed["items"] if split["status"] == "draft")


def _own_token(client: FlaskClient, auth: Auth, role: str | None) -> int:
    assert role is not None
    listed = client.get("/api/v1/tokens", headers=auth(role)).json
    assert listed is not None
    return int(listed["items"][0]["id"])


def _ask(client: FlaskClient, auth: Auth, example: Example) -> TestResponse:
    """Make the example's request, filling in the records it names."""
    names = {"awaiting": lambda: _awaiting(client, auth), "draft": lambda: _draft(client, auth),
             "token": lambda: _own_token(client, auth, example.role)}
    found = {name: find() for name, find in names.items() if f"{{{name}}}" in example.path}
    for before, record in example.before:
        made = client.post(f"/api/v1{before}", headers=auth("admin"), json=record)
        assert made.status_code == 201, made.get_data(as_text=True)
    headers = auth(example.role) if example.role else {}
    path = "/api/v1" + example.path.format(**found)
    if example.workbook:
        export = client.get("/api/v1/export.xlsx", headers=headers, query_string=PERIOD)
        return client.post(path, headers=headers, data=export.data, content_type=XLSX)
    body = example.body
    if example.version_of is not None:
        current = client.get("/api/v1" + example.version_of.format(**found),
                             headers=auth("admin")).json
        assert current is not None
        body = {**(body or {}), "version": current["version"] + example.stale}
    return client.open(path, method=example.operation.split(" ", 1)[0], headers=headers,
                       json=body, query_string=example.query)


@pytest.mark.parametrize("example", [*EXAMPLES, *REFUSALS], ids=_id)
def test_an_example_answer_has_its_documented_status_and_validates_against_the_document(
    example: Example, app: Flask, client: FlaskClient, auth: Auth
) -> None:
    schema = schemathesis.openapi.from_dict(document())
    response = _ask(client, auth, example)
    assert response.status_code == example.status, response.get_data(as_text=True)
    method, path = example.operation.split(" ", 1)
    operation = schema[path][method]
    assert str(example.status) in operation.definition.raw["responses"]
    operation.validate_response(response)
