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
from finans.services.dashboard import cached_workbook_records
from finans.services.loads import LoadReport
from finans.services.policy import Action, require_somewhere
from finans.web.api.common import (
    XLSX,
    actor,
    error_response,
    invalid,
    query_flag,
    query_mode,
    query_period,
)
from finans.web.api.operations import (
    CONFLICT,
    FIGURES,
    FORBIDDEN,
    INVALID,
    PERIOD,
    UNAUTHORIZED,
    Query,
    operation,
)
from finans.web.database import db

bp = Blueprint("transfer", __name__)
TAG = "Regneark"
APPLY = Query("apply", {"type": "string", "enum": ["0", "1"], "default": "0"},
              "1 applies the import; otherwise a dry run")


@bp.get("/export.xlsx")
@operation("The controller workbook for the period", tag=TAG, answer=None, content=XLSX,
           query=PERIOD, refusals=FIGURES)
def export() -> Response:
    """The controller workbook of the whole database for ``from``..``to``."""
    require_somewhere(actor(), Action.EXPORT)
    period = query_period()
    mode = query_mode()
    target = BytesIO()
    session = db()
    scenario, split_ids = cached_workbook_records(session)
    write_controller_workbook(target, scenario, period, mode, split_ids=split_ids,
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
@operation("Import a controller workbook or lagkage template: a dry run, or with apply=1 for real "
           "(all or nothing)", tag=TAG, answer=LoadReport, upload=True, content=XLSX,
           query=(APPLY,), refusals=(UNAUTHORIZED, FORBIDDEN, CONFLICT, 413, INVALID))
def import_() -> Response | LoadReport:
    """Import a workbook: a dry run, or with ``apply=1`` for real, all or nothing.

    Problems (located ``Sheet!Cell``) answer 422 and nothing is saved; otherwise the report says
    what is (or would be) created, changed and left alone.
    """
    # Checked before the file is read, so a refused role learns nothing about its workbook; the
    # load checks every row again as the change it is.
    require_somewhere(actor(), Action.IMPORT)
    apply = query_flag("apply")
    content, name = _workbook()
    result = import_workbook(db(), actor=actor(), source=content, name=name, apply=apply)
    if result.problems:
        return error_response(422, result.problems)
    assert result.report is not None
    return result.report
