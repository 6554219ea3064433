"""Importing a controller workbook or a lagkage template: upload, see what would change and every
error by cell, then apply.

The uploaded file is kept in the instance folder under its SHA-256 content hash, and "Gennemfør
importen" names that hash: exactly the file that was previewed is applied, never a second upload.
Kept files are removed when applied and after a day. A file refused before it could be read (not
a workbook, macros, too large, a zip bomb) is never kept: nothing of it stays on the server.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import date
from io import BytesIO
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response

from finans.excel.errors_workbook import write_errors_workbook
from finans.excel.imports import ImportResult, import_workbook
from finans.excel.writer import write_controller_workbook
from finans.services.audit import FIELD_NAMES
from finans.services.dashboard import cached_workbook_records, choose_period
from finans.services.policy import Action, roles_for
from finans.services.scenario import KIND_NAMES, KINDS
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.database import db
from finans.web.forms import FieldProblems, place_problems

bp = Blueprint("imports", __name__)

UPLOADS = "uploads"
KEEP_SECONDS = 24 * 60 * 60
_DIGEST = re.compile(r"[0-9a-f]{64}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_FIELDS = ("kind", "year", "quarter", "month", "from", "to", "periode")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    """Remove uploads older than a day (previews nobody applied)."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _stored(digest: str) -> Path:
    """The kept upload with this content hash (404 when there is none)."""
    if not _DIGEST.fullmatch(digest):
        abort(404)
    path = _folder() / f"{digest}.xlsx"
    if not path.is_file():
        abort(404)
    return path


def _result_page(
    result: ImportResult, digest: str, name: str, status: int = 200
) -> tuple[str, int]:
    page = render_template(
        "imports/preview.html", result=result, digest=digest, name=name, kinds=KINDS,
        kind_names=KIND_NAMES, field_names=FIELD_NAMES,
    )
    return page, status


def _today() -> date:
    return local(now()).date()


def _upload_page(problems: FieldProblems | None = None, status: int = 200) -> tuple[str, int]:
    choice, _ = choose_period(request.args, _today())
    page = render_template(
        "imports/upload.html", choice=choice, args=request.args, today=_today(),
        problems=problems or FieldProblems(), may_export=actor().role in roles_for(Action.EXPORT),
    )
    return page, status


@bp.route("/import/regneark.xlsx")
@allowed(Action.EXPORT)
def workbook() -> Response | tuple[str, int]:
    """The controller workbook of the whole database for the chosen period (an export to edit
    in Excel and import here again), with each version's ``Fordelings-ID`` as the API's export
    has it."""
    choice, problems = choose_period(request.args, _today())
    if choice is None:
        return _upload_page(place_problems(problems, PERIOD_FIELDS), 422)
    target = BytesIO()
    scenario, split_ids = cached_workbook_records(db())
    write_controller_workbook(target, scenario, choice.period, split_ids=split_ids)
    target.seek(0)
    name = f"finans-{choice.period.start.isoformat()}-{choice.period.end.isoformat()}.xlsx"
    return send_file(target, mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/import", methods=["GET", "POST"])
@allowed(Action.IMPORT)
def upload() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return _upload_page()
    upload = request.files.get("workbook")
    if upload is None or not upload.filename:
        flash("Vælg en Excel-fil (.xlsx) at importere.", "error")
        return redirect(url_for("imports.upload"))
    content = upload.read()
    name = Path(upload.filename).name[:200]
    result = import_workbook(db(), actor=actor(), source=content, name=name)
    if result.read.data is None:
        return _result_page(result, "", name, 422)
    digest = hashlib.sha256(content).hexdigest()
    folder = _folder()
    _sweep(folder)
    (folder / f"{digest}.xlsx").write_bytes(content)
    return _result_page(result, digest, name, 422 if result.problems else 200)


@bp.route("/import/<digest>", methods=["POST"])
@allowed(Action.IMPORT)
def apply(digest: str) -> Response | tuple[str, int]:
    path = _stored(digest)
    name = request.form.get("name", "")[:200] or "projektmappe.xlsx"
    result = import_workbook(db(), actor=actor(), source=path.read_bytes(), name=name, apply=True)
    if not result.applied:
        return _result_page(result, digest, name, 422 if result.problems else 200)
    path.unlink(missing_ok=True)
    flash(f"Importen af {name} er gennemført: {result.changes} ændringer er gemt.", "success")
    return redirect(url_for("imports.upload"))


@bp.route("/import/<digest>/fejl.xlsx")
@allowed(Action.IMPORT)
def errors(digest: str) -> Response:
    """The failing rows of an upload with an error column, to fix in Excel."""
    path = _stored(digest)
    name = request.args.get("name", "")[:200] or "projektmappe.xlsx"
    result = import_workbook(db(), actor=actor(), source=path.read_bytes(), name=name)
    target = BytesIO()
    write_errors_workbook(target, result.read, result.problems)
    target.seek(0)
    stem = Path(name).stem or "import"
    return send_file(target, mimetype=XLSX, as_attachment=True, download_name=f"{stem}-fejl.xlsx")
