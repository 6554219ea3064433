"""The controller workbook over HTTP: export for a period, import as a dry run or for real.

An import goes through the Excel package's import (the services' untrusted load), so it is
checked and applied exactly as the web page and ``finans import`` do it.
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, request

from finans.excel.imports import import_workbook
from finans.excel.writer import write_controller_workbook
from finans.services import bookkeeping
from finans.services.access import require_role
from finans.services.actor import Role
from finans.services.dashboard import cached_scenario
from finans.web.api.common import (
    XLSX,
    actor,
    error_response,
    invalid,
    json_response,
    query_flag,
    query_mode,
    query_period,
)
from finans.web.database import db

bp = Blueprint("transfer", __name__)
EXPORTERS = {Role.CONTROLLER, Role.MANAGER, Role.FINANCE, Role.ADMIN}
IMPORTERS = {Role.CASEWORKER, Role.CONTROLLER, Role.ADMIN}
"""Who may import (the services' untrusted load checks it again); checked before the file is
read, so a refused role learns nothing about its workbook."""


@bp.get("/export.xlsx")
def export() -> Response:
    """The controller workbook of the whole database for ``from``..``to``."""
    require_role(actor(), EXPORTERS, "eksportere regnearket")
    period = query_period()
    mode = query_mode()
    target = BytesIO()
    session = db()
    write_controller_workbook(target, cached_scenario(session), period, mode,
                              bookings=bookkeeping.bookings(session, period))
    name = f"finans-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    return Response(
        target.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _workbook() -> tuple[bytes, str]:
    """The uploaded workbook: a multipart ``file`` field, or the request body itself."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise invalid("file_missing", "Vedhæft regnearket i feltet 'file'", "file")
        return upload.read(), upload.filename or "projektmappe.xlsx"
    return request.get_data(cache=False), "projektmappe.xlsx"


@bp.post("/import")
def import_() -> Response:
    """Import a workbook: a dry run, or with ``apply=1`` for real, all or nothing.

    Problems (located ``Sheet!Cell``) answer 422 and nothing is saved; otherwise the report says
    what is (or would be) created, changed and left alone.
    """
    require_role(actor(), IMPORTERS, "importere regneark")
    apply = query_flag("apply")
    content, name = _workbook()
    result = import_workbook(db(), actor=actor(), source=content, name=name, apply=apply)
    if result.problems:
        return error_response(422, result.problems)
    assert result.report is not None
    return json_response(result.report.as_dict())
