"""Every route of the app, asked by every role (and by nobody logged in), answers the status in
this table. A route the table does not name fails the test, so no page escapes the check.

Forms are posted with a valid CSRF token and data that saves nothing (empty or without the
version a save needs), so the statuses show the role check and then the input check. The
controller's department has a share in the proposal (so it may edit it) but takes no part in the
case (so it may not change that case, docs/access.md); the rights of each role in and outside a
case are tested per door in tests/integrity.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from flask import Flask

from tests.web.webclient import Client, DemoFacts

ANONYMOUS, CASEWORKER, CONTROLLER, MANAGER, FINANCE, ADMIN = range(6)
ROLES = ("anonymous", "caseworker", "controller", "manager", "finance", "admin")


class Row(NamedTuple):
    endpoint: str
    method: str
    path: str
    statuses: tuple[int, int, int, int, int, int]
    """anonymous, caseworker, controller, manager, finance, admin"""
    data: dict[str, str] = {}


LOGIN = 302
"""Anonymous visitors are sent to the log-in page."""

MATRIX: tuple[Row, ...] = (
    Row("static", "GET", "/static/finans.css", (200, 200, 200, 200, 200, 200)),
    Row("auth.login", "GET", "/login", (200, 302, 302, 302, 302, 302)),
    Row("auth.login", "POST", "/login", (401, 302, 302, 302, 302, 302),
        {"username": "ingen", "password": "forkert"}),
    Row("cases.home", "GET", "/", (LOGIN, 302, 302, 302, 302, 302)),
    Row("cases.index", "GET", "/sager", (LOGIN, 200, 200, 200, 200, 200)),
    Row("cases.show", "GET", "/sager/{case}", (LOGIN, 200, 200, 200, 200, 200)),
    Row("cases.create", "GET", "/sager/ny", (LOGIN, 200, 403, 403, 403, 200)),
    Row("cases.create", "POST", "/sager/ny", (LOGIN, 422, 403, 403, 403, 422)),
    Row("cases.edit", "GET", "/sager/{case}/rediger", (LOGIN, 200, 403, 403, 403, 200)),
    Row("cases.edit", "POST", "/sager/{case}/rediger", (LOGIN, 400, 403, 403, 403, 400)),
    Row("interventions.show", "GET", "/indsatser/{intervention}", (LOGIN, 200, 200, 200, 200, 200)),
    Row("interventions.create", "GET", "/sager/{case}/indsatser/ny",
        (LOGIN, 200, 403, 403, 403, 200)),
    Row("interventions.create", "POST", "/sager/{case}/indsatser/ny",
        (LOGIN, 422, 403, 403, 403, 422)),
    Row("interventions.edit", "GET", "/indsatser/{intervention}/rediger",
        (LOGIN, 200, 403, 403, 403, 200)),
    Row("interventions.edit", "POST", "/indsatser/{intervention}/rediger",
        (LOGIN, 400, 403, 403, 403, 400)),
    Row("splits.create", "GET", "/indsatser/{intervention}/fordeling/ny",
        (LOGIN, 200, 403, 403, 403, 200)),
    Row("splits.create", "POST", "/indsatser/{intervention}/fordeling/ny",
        (LOGIN, 200, 403, 403, 403, 200), {"action": "preview"}),
    Row("splits.preview", "POST", "/indsatser/{intervention}/fordeling/forhaandsvisning",
        (LOGIN, 200, 403, 403, 403, 200)),
    Row("splits.edit", "GET", "/fordelinger/{split}/rediger", (LOGIN, 200, 200, 403, 403, 200)),
    Row("splits.edit", "POST", "/fordelinger/{split}/rediger", (LOGIN, 200, 200, 403, 403, 200)),
    Row("splits.meeting", "POST", "/fordelinger/{split}/moede", (LOGIN, 400, 403, 403, 403, 403)),
    Row("approvals.queue", "GET", "/godkendelser", (LOGIN, 403, 200, 403, 403, 403)),
    Row("approvals.decide", "GET", "/godkendelser/{split}", (LOGIN, 403, 200, 403, 403, 403)),
    Row("approvals.decide", "POST", "/godkendelser/{split}", (LOGIN, 403, 400, 403, 403, 403)),
    Row("approvals.approve_selected", "POST", "/godkendelser/godkend",
        (LOGIN, 403, 302, 403, 403, 403)),
    Row("profile.show", "GET", "/profil", (LOGIN, 200, 200, 200, 200, 200)),
    Row("profile.show", "POST", "/profil", (LOGIN, 400, 400, 400, 400, 400)),
    Row("meeting.step", "GET", "/sager/{case}/moede/1", (LOGIN, 200, 403, 403, 403, 403)),
    Row("meeting.step", "POST", "/sager/{case}/moede/1", (LOGIN, 200, 403, 403, 403, 403),
        {"action": "preview"}),
    Row("meeting.summary", "GET", "/sager/{case}/moede", (LOGIN, 200, 403, 403, 403, 403)),
    Row("meeting.lagkage_pdf", "GET", "/sager/{case}/lagkage.pdf",
        (LOGIN, 200, 200, 200, 200, 200)),
    Row("meeting.template", "GET", "/sager/{case}/lagkage.xlsx", (LOGIN, 200, 200, 200, 200, 200)),
    Row("imports.upload", "GET", "/import", (LOGIN, 200, 200, 403, 403, 200)),
    Row("imports.upload", "POST", "/import", (LOGIN, 302, 302, 403, 403, 302)),
    Row("imports.workbook", "GET", "/import/regneark.xlsx", (LOGIN, 403, 200, 200, 200, 200)),
    Row("imports.apply", "POST", "/import/{digest}", (LOGIN, 404, 404, 403, 403, 404)),
    Row("imports.errors", "GET", "/import/{digest}/fejl.xlsx", (LOGIN, 404, 404, 403, 403, 404)),
    Row("audit.index", "GET", "/revisionslog", (LOGIN, 403, 403, 200, 200, 200)),
    Row("admin.departments_index", "GET", "/admin/afdelinger", (LOGIN, 403, 403, 403, 403, 200)),
    Row("admin.departments_index", "POST", "/admin/afdelinger", (LOGIN, 403, 403, 403, 403, 422)),
    Row("admin.department", "GET", "/admin/afdelinger/BFH", (LOGIN, 403, 403, 403, 403, 200)),
    Row("admin.department", "POST", "/admin/afdelinger/BFH", (LOGIN, 403, 403, 403, 403, 400)),
    Row("admin.users_index", "GET", "/admin/brugere", (LOGIN, 403, 403, 403, 403, 200)),
    Row("admin.users_index", "POST", "/admin/brugere", (LOGIN, 403, 403, 403, 403, 422)),
    Row("admin.user", "GET", "/admin/brugere/leder", (LOGIN, 403, 403, 403, 403, 200)),
    Row("admin.user", "POST", "/admin/brugere/leder", (LOGIN, 403, 403, 403, 403, 400)),
    Row("admin.password", "POST", "/admin/brugere/leder/adgangskode",
        (LOGIN, 403, 403, 403, 403, 422)),
    Row("admin.criteria", "GET", "/admin/kriterier", (LOGIN, 403, 403, 403, 403, 200)),
    Row("admin.criteria", "POST", "/admin/kriterier", (LOGIN, 403, 403, 403, 403, 400)),
    Row("refund.rates", "GET", "/admin/refusionssatser", (LOGIN, 403, 403, 403, 403, 200)),
    Row("refund.claim", "GET", "/refusion", (LOGIN, 403, 403, 200, 200, 200)),
    Row("refund.claim_workbook", "GET", "/refusion/anmodning-2026Q2.xlsx",
        (LOGIN, 403, 403, 200, 200, 200)),
    Row("refund.create_rate", "GET", "/admin/refusionssatser/ny", (LOGIN, 403, 403, 403, 403, 200)),
    Row("refund.create_rate", "POST", "/admin/refusionssatser/ny",
        (LOGIN, 403, 403, 403, 403, 422)),
    Row("refund.rate", "GET", "/admin/refusionssatser/2022", (LOGIN, 403, 403, 403, 403, 200)),
    Row("refund.rate", "POST", "/admin/refusionssatser/2022", (LOGIN, 403, 403, 403, 403, 400)),
    Row("admin.tokens_index", "GET", "/admin/api-noegler", (LOGIN, 403, 403, 403, 403, 200)),
    Row("admin.revoke_token", "POST", "/admin/api-noegler/999999/tilbagekald",
        (LOGIN, 403, 403, 403, 403, 404)),
    # Everyone's own account.
    Row("account.index", "GET", "/konto", (LOGIN, 200, 200, 200, 200, 200)),
    Row("account.password", "POST", "/konto/adgangskode", (LOGIN, 422, 422, 422, 422, 422)),
    Row("account.revoke", "POST", "/konto/api-noegler/999999/tilbagekald",
        (LOGIN, 404, 404, 404, 404, 404)),
    # The managers' overview.
    Row("dashboard.index", "GET", "/overblik/", (LOGIN, 403, 200, 200, 200, 200)),
    Row("dashboard.department", "GET", "/overblik/afdeling/{department}",
        (LOGIN, 403, 200, 200, 200, 200)),
    Row("dashboard.chart", "GET", "/overblik/graf/fordeling.svg", (LOGIN, 403, 200, 200, 200, 200)),
    Row("dashboard.workbook", "GET", "/overblik/oversigt.xlsx", (LOGIN, 403, 200, 200, 200, 200)),
    Row("dashboard.budget", "GET", "/overblik/budget", (LOGIN, 403, 200, 403, 403, 200)),
    Row("dashboard.budget", "POST", "/overblik/budget", (LOGIN, 403, 302, 403, 403, 302)),
    # Finance's bookkeeping: postings, downloads and closing months.
    Row("bookkeeping.index", "GET", "/bogfoering", (LOGIN, 403, 403, 403, 200, 200)),
    Row("bookkeeping.download", "GET", "/bogfoering/posteringer.csv",
        (LOGIN, 403, 403, 403, 200, 200)),
    Row("bookkeeping.close", "POST", "/bogfoering/luk", (LOGIN, 403, 403, 403, 422, 422)),
    # The JSON API takes bearer tokens only: a browser's log-in session opens none of it.
    Row("healthz", "GET", "/healthz", (200, 200, 200, 200, 200, 200)),
    Row("api.health", "GET", "/api/v1/healthz", (200, 200, 200, 200, 200, 200)),
    Row("api.openapi_document", "GET", "/api/v1/openapi.json", (200, 200, 200, 200, 200, 200)),
    *(
        Row(endpoint, method, f"/api/v1/{path}", (401, 401, 401, 401, 401, 401))
        for endpoint, method, path in (
            ("api.unknown", "GET", "ingenting"),
            ("api.unknown", "POST", "ingenting"),
            ("api.unknown", "PUT", "ingenting"),
            ("api.unknown", "PATCH", "ingenting"),
            ("api.unknown", "DELETE", "ingenting"),
            ("api.figures.allocation", "GET", "allocation"),
            ("api.figures.settlement", "GET", "settlement"),
            ("api.figures.whole_scenario", "GET", "scenario"),
            ("api.budgets.list_budgets", "GET", "budgets"),
            ("api.budgets.create_budget", "POST", "budgets"),
            ("api.budgets.get_budget", "GET", "budgets/BFH/2026"),
            ("api.budgets.update_budget", "PUT", "budgets/BFH/2026"),
            ("api.budgets.update_budget", "PATCH", "budgets/BFH/2026"),
            ("api.refund.list_rates", "GET", "refund-rates"),
            ("api.refund.create_rate", "POST", "refund-rates"),
            ("api.refund.get_rate", "GET", "refund-rates/2022"),
            ("api.refund.update_rate", "PUT", "refund-rates/2022"),
            ("api.refund.update_rate", "PATCH", "refund-rates/2022"),
            ("api.records.list_departments", "GET", "departments"),
            ("api.records.create_department", "POST", "departments"),
            ("api.records.get_department", "GET", "departments/BFH"),
            ("api.records.update_department", "PUT", "departments/BFH"),
            ("api.records.update_department", "PATCH", "departments/BFH"),
            ("api.records.list_cases", "GET", "cases"),
            ("api.records.create_case", "POST", "cases"),
            ("api.records.get_case", "GET", "cases/{case}"),
            ("api.records.update_case", "PUT", "cases/{case}"),
            ("api.records.update_case", "PATCH", "cases/{case}"),
            ("api.records.list_interventions", "GET", "interventions"),
            ("api.records.create_intervention", "POST", "interventions"),
            ("api.records.get_intervention", "GET", "interventions/{intervention}"),
            ("api.records.update_intervention", "PUT", "interventions/{intervention}"),
            ("api.records.update_intervention", "PATCH", "interventions/{intervention}"),
            ("api.records.list_splits", "GET", "interventions/{intervention}/splits"),
            ("api.records.propose_split", "POST", "interventions/{intervention}/splits"),
            ("api.records.get_split", "GET", "splits/{split}"),
            ("api.records.update_split", "PUT", "splits/{split}"),
            ("api.records.update_split", "PATCH", "splits/{split}"),
            ("api.records.approve", "POST", "splits/{split}/approve"),
            ("api.records.reject", "POST", "splits/{split}/reject"),
            ("api.transfer.export", "GET", "export.xlsx"),
            ("api.transfer.import_", "POST", "import"),
            ("api.bookkeeping.postings", "GET", "postings"),
            ("api.bookkeeping.list_periods", "GET", "periods"),
            ("api.bookkeeping.close_periods", "POST", "periods"),
            ("api.tokens.list_tokens", "GET", "tokens"),
            ("api.tokens.delete_token", "DELETE", "tokens/1"),
            ("api.tokens.revoke_token", "POST", "tokens/1/revoke"),
        )
    ),
    # Last: it ends the session.
    Row("auth.logout", "POST", "/logout", (302, 302, 302, 302, 302, 302)),
)

UNUSED_DIGEST = "0" * 64


def _users(facts: DemoFacts) -> tuple[str | None, ...]:
    return (None, "raadgiver.bfh", f"controller.{facts.awaiting.lower()}", "leder", "okonomi",
            "admin")


def test_every_route_of_the_app_is_in_the_matrix(app: Flask) -> None:
    listed = {(row.endpoint, row.method) for row in MATRIX}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    assert sorted(routes - listed) == []
    assert sorted(listed - routes) == []


@pytest.mark.parametrize("role", range(len(ROLES)), ids=ROLES)
def test_each_role_gets_the_status_the_matrix_gives_on_every_route(
    role: int, app: Flask, client: Client, facts: DemoFacts
) -> None:
    username = _users(facts)[role]
    if username is not None:
        client.login(username)
    values = {"case": facts.case, "intervention": facts.intervention, "split": facts.split,
              "department": facts.awaiting, "digest": UNUSED_DIGEST}
    wrong = []
    for row in MATRIX:
        path = row.path.format(**values)
        if row.method == "GET":
            response = client.get(path)
        else:
            response = client.send(row.method, path, row.data)
        response.close()
        if response.status_code != row.statuses[role]:
            wrong.append(f"{row.method} {path}: {response.status_code}, not {row.statuses[role]}")
    assert wrong == [], "\n".join(wrong)
