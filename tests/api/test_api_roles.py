"""What each role may do through the API: the same rules as in the web app (docs/access.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from flask.testing import FlaskClient

Auth = Callable[[str], dict[str, str]]
ROLES = ("caseworker", "controller", "manager", "finance", "admin")


class Row(NamedTuple):
    method: str
    path: str
    statuses: tuple[int, int, int, int, int]
    """caseworker (BFH), controller (JOB), manager, finance, admin"""
    body: Any = None


OUTSIDE_CASE = "{outside}"
"""A case whose core team does not include the caseworker's department."""
AWAITING_JOB = "{awaiting}"
"""(The controller is JOB's, which takes part in S-2025-0001 and I-1: it may change them.)"""
"""A proposed split version waiting for JOB's answer."""

MATRIX = (
    Row("GET", "/departments", (200, 200, 200, 200, 200)),
    Row("POST", "/departments", (403, 403, 403, 403, 201), {"code": "NY", "name": "Ny afdeling"}),
    Row("PATCH", "/departments/JOB", (403, 403, 403, 403, 200),
        {"name": "Jobcentret", "version": 1}),
    Row("GET", "/cases", (200, 200, 200, 200, 200)),
    Row("GET", f"/cases/{OUTSIDE_CASE}", (403, 200, 200, 200, 200)),
    Row("POST", "/cases", (201, 403, 403, 403, 201), {"ref": "S-2026-9999", "core_team": ["BFH"]}),
    Row("GET", "/interventions", (200, 200, 200, 200, 200)),
    Row("POST", "/interventions", (201, 201, 403, 403, 201), {
        "case": "S-2025-0001", "title": "Mentor", "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "100.00", "per": "month", "start": "2026-12-01"},
    }),
    Row("POST", "/interventions/I-1/splits", (201, 201, 403, 403, 201), {
        "effective_from": "2027-01-01", "method": "equal", "departments": ["BFH", "JOB"],
    }),
    Row("POST", f"/splits/{AWAITING_JOB}/approve", (403, 200, 403, 403, 403)),
    Row("GET", "/allocation", (403, 200, 200, 200, 200)),
    Row("GET", "/settlement", (403, 200, 200, 200, 200)),
    Row("GET", "/scenario", (403, 200, 200, 200, 200)),
    Row("GET", "/export.xlsx", (403, 200, 200, 200, 200)),
    Row("POST", "/import", (422, 422, 403, 403, 422), b"no workbook"),
    Row("GET", "/budgets", (403, 200, 200, 200, 200)),
    Row("POST", "/budgets", (403, 201, 403, 403, 201),
        {"department": "JOB", "year": 2026, "amount": "1000.00"}),
    Row("GET", "/postings", (403, 403, 403, 200, 200)),
    Row("GET", "/periods", (403, 200, 200, 200, 200)),
    Row("POST", "/periods", (403, 403, 403, 200, 200), {"month": "2026-03"}),
)


def concrete(client: FlaskClient, auth: Auth, path: str) -> str:
    """Fill in the case or split a row needs from the demo data."""
    if OUTSIDE_CASE in path:
        cases = client.get("/api/v1/cases?per_page=200", headers=auth("manager")).json
        assert cases is not None
        ref = next(c["ref"] for c in cases["items"] if "BFH" not in c["core_team"])
        return path.replace(OUTSIDE_CASE, ref)
    if AWAITING_JOB in path:
        listed = client.get("/api/v1/interventions?per_page=200", headers=auth("manager")).json
        assert listed is not None
        split = next(s for i in listed["items"] for s in i["splits"] if "JOB" in s["awaiting"])
        return path.replace(AWAITING_JOB, str(split["id"]))
    return path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=[f"{row.method} {row.path}" for row in MATRIX])
def test_each_role_gets_the_status_its_rights_give(
    client: FlaskClient, auth: Auth, row: Row, role: str
) -> None:
    path = "/api/v1" + concrete(client, auth, row.path)
    options: dict[str, Any] = {"headers": auth(role)}
    if isinstance(row.body, bytes):
        options.update(data=row.body, content_type="application/octet-stream")
    elif row.body is not None:
        options["json"] = row.body
    response = client.open(path, method=row.method, **options)
    assert response.status_code == row.statuses[ROLES.index(role)], response.get_data(as_text=True)
    assert response.is_json or response.status_code == 200
