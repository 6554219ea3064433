"""Cases: "Mine sager" with search and filters, the case page, and opening or editing a case."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from finans.report import UNMET_TEXT
from finans.services import cases, casework
from finans.services.errors import ServiceError
from finans.services.policy import Action
from finans.store.mapping import Json
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed, cases_heading
from finans.web.database import db
from finans.web.forms import FieldProblems, checked, date_text, place_problems, positive_int, text

bp = Blueprint("cases", __name__)

CASE_FIELDS = ("ref", "family", "coordinator", "consent", "assessed_on", "core_team")
_YES_NO = {"ja": True, "nej": False}


def _filter(args: MultiDict[str, str]) -> casework.CaseFilter:
    """The list's filters from the query string; unknown values mean no narrowing."""
    return casework.CaseFilter(
        text=text(args, "q"),
        department=text(args, "afdeling") or None,
        consent=_YES_NO.get(text(args, "samtykke")),
        eligible=_YES_NO.get(text(args, "faelles")),
        proposed=_YES_NO.get(text(args, "forslag")),
    )


@bp.route("/")
@allowed(Action.READ_CASE)
def index() -> str:
    summaries = casework.search_cases(db(), actor=actor(), wanted=_filter(request.args))
    return render_template(
        "cases/index.html", summaries=summaries, heading=cases_heading(), args=request.args,
        unmet_text=UNMET_TEXT,
    )


@bp.route("/sager/<ref>")
@allowed(Action.READ_CASE)
def show(ref: str) -> str:
    today = local(now()).date()
    figures = casework.case_figures(db(), actor=actor(), ref=ref, today=today)
    return render_template(
        "cases/show.html", figures=figures, case=figures.case, today=today, unmet_text=UNMET_TEXT,
        rights=cases.case_rights(db(), actor=actor(), ref=ref),
    )


def _case_data(form: MultiDict[str, str]) -> dict[str, object]:
    data: dict[str, object] = {
        "family": text(form, "family"),
        "coordinator": text(form, "coordinator"),
        "consent": checked(form, "consent"),
        "core_team": sorted({code for code in form.getlist("core_team") if code}),
    }
    assessed_on = date_text(form.get("assessed_on", ""))
    if assessed_on:
        data["assessed_on"] = assessed_on
    return data


def _form(case: Json, problems: FieldProblems, *, new: bool) -> tuple[str, int]:
    status = 422 if problems else 200
    page = render_template("cases/form.html", case=case, problems=problems, new=new)
    return page, status


@bp.route("/sager/ny", methods=["GET", "POST"])
@allowed(Action.CREATE_CASE)
def create() -> Response | tuple[str, int]:
    user = actor()
    if request.method == "GET":
        blank = {"ref": "", "family": "", "coordinator": user.username, "consent": False,
                 "core_team": [user.department] if user.department else []}
        return _form(blank, FieldProblems(), new=True)
    data = {"ref": text(request.form, "ref"), **_case_data(request.form)}
    try:
        case = cases.create_case(db(), actor=user, data=data)
    except ServiceError as error:
        return _form(data, place_problems(error.problems, CASE_FIELDS), new=True)
    flash(f"Sagen {case['ref']} er oprettet.", "success")
    return redirect(url_for("cases.show", ref=case["ref"]))


@bp.route("/sager/<ref>/rediger", methods=["GET", "POST"])
@allowed(Action.EDIT_CASE)
def edit(ref: str) -> Response | tuple[str, int]:
    session, user = db(), actor()
    case = cases.get_case(session, actor=user, ref=ref)
    cases.require_on_case(session, actor=user, ref=ref, action=Action.EDIT_CASE)
    if request.method == "GET":
        return _form(case, FieldProblems(), new=False)
    data = _case_data(request.form)
    version = positive_int(request.form.get("version"))
    if version is None:
        abort(400)
    try:
        cases.update_case(session, actor=user, ref=ref, version=version, data=data)
    except ServiceError as error:
        return _form({**case, **data, "version": version},
                     place_problems(error.problems, CASE_FIELDS), new=False)
    flash(f"Sagen {ref} er gemt.", "success")
    return redirect(url_for("cases.show", ref=ref))
