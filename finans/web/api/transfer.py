"""The controller workbook over HTTP: export for a period, import as a dry run or for real."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response

from finans.excel.writer import write_controller_workbook
from finans.services.access import require_role
from finans.services.actor import Role
from finans.services.dashboard import cached_scenario
from finans.web.api.common import actor, query_choice, query_period
from finans.web.database import db

bp = Blueprint("transfer", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODES = ("pairwise", "minimal")


@bp.get("/export.xlsx")
def export() -> Response:
    """The controller workbook of the whole database for ``from``..``to``."""
    require_role(actor(), {Role.CONTROLLER, Role.MANAGER, Role.ADMIN}, "eksportere regnearket")
    period = query_period()
    mode = "minimal" if query_choice("mode", MODES, "pairwise") == "minimal" else "pairwise"
    target = BytesIO()
    write_controller_workbook(target, cached_scenario(db()), period, mode)
    name = f"finans-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    return Response(
        target.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
