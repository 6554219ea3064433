"""The controller workbook over HTTP: export, then import as a dry run or for real."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from finans.excel import layout

Auth = Callable[[str], dict[str, str]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client: FlaskClient, auth: Auth, query: str = "from=2026-01-01&to=2026-03-31") -> bytes:
    response = client.get(f"/api/v1/export.xlsx?{query}", headers=auth("controller"))
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def test_the_export_is_the_controller_workbook_for_the_period(
    client: FlaskClient, auth: Auth
) -> None:
    workbook = load_workbook(BytesIO(export(client, auth)), read_only=True)
    for sheet in (*layout.IMPORTED_SHEETS, layout.SUMMARY):
        assert sheet.name in workbook.sheetnames


def test_reimporting_an_unchanged_export_changes_nothing(client: FlaskClient, auth: Auth) -> None:
    content = export(client, auth)
    response = client.post("/api/v1/import?apply=1", headers=auth("controller"), data=content,
                           content_type=XLSX)
    assert response.status_code == 200, response.get_data(as_text=True)
    report = response.json
    assert report is not None and report["applied"] is True
    for kind in ("departments", "cases", "interventions", "splits"):
        assert report[kind]["created"] == [] and report[kind]["changed"] == []
        assert report[kind]["unchanged"] > 0


def test_an_import_is_a_dry_run_unless_applied(client: FlaskClient, auth: Auth) -> None:
    workbook = load_workbook(BytesIO(export(client, auth)))
    sheet = workbook[layout.CASES.name]
    sheet.cell(row=2, column=2, value="Familie Omdøbt")
    changed = BytesIO()
    workbook.save(changed)
    dry = client.post("/api/v1/import", headers=auth("controller"),
                      data={"file": (BytesIO(changed.getvalue()), "sager.xlsx")})
    assert dry.status_code == 200, dry.get_data(as_text=True)
    assert dry.json is not None and dry.json["applied"] is False
    assert len(dry.json["cases"]["changed"]) == 1
    ref = dry.json["cases"]["changed"][0]["key"]
    before = client.get(f"/api/v1/cases/{ref}", headers=auth("manager")).json
    assert before is not None and before["family"] != "Familie Omdøbt"
    applied = client.post("/api/v1/import?apply=1", headers=auth("controller"),
                          data=changed.getvalue(), content_type=XLSX)
    assert applied.status_code == 200 and applied.json is not None and applied.json["applied"]
    after = client.get(f"/api/v1/cases/{ref}", headers=auth("manager")).json
    assert after is not None and after["family"] == "Familie Omdøbt"


def test_a_broken_workbook_is_a_422_that_names_the_cells(client: FlaskClient, auth: Auth) -> None:
    workbook = load_workbook(BytesIO(export(client, auth)))
    workbook[layout.INTERVENTIONS.name].cell(row=2, column=7, value="mange penge")
    broken = BytesIO()
    workbook.save(broken)
    response = client.post("/api/v1/import?apply=1", headers=auth("controller"),
                           data=broken.getvalue(), content_type=XLSX)
    assert response.status_code == 422
    assert response.json is not None
    assert any(problem["where"] == f"{layout.INTERVENTIONS.name}!G2"
               for problem in response.json["errors"])


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken"])
def test_a_file_that_is_no_workbook_is_refused(
    client: FlaskClient, auth: Auth, content: bytes
) -> None:
    response = client.post("/api/v1/import", headers=auth("controller"), data=content,
                           content_type=XLSX)
    assert response.status_code == 422
    assert response.json is not None and response.json["errors"]


def test_a_multipart_upload_needs_its_file_field(client: FlaskClient, auth: Auth) -> None:
    response = client.post("/api/v1/import", headers=auth("controller"),
                           data={"other": (BytesIO(b"x"), "x.xlsx")})
    assert response.status_code == 422
    assert response.json is not None and response.json["errors"][0]["where"] == "file"


def test_managers_may_not_import(client: FlaskClient, auth: Auth) -> None:
    response = client.post("/api/v1/import", headers=auth("manager"), data=export(client, auth),
                           content_type=XLSX)
    assert response.status_code == 403
