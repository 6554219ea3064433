"""Cases: each role's start page, "Mine sager" with search, filters, sorting and pages, the case
page, and opening or editing a case."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from finans.report import UNMET_TEXT
from finans.services import case_list, cases, casework, signals
from finans.services.errors import Conflict, ServiceError
from finans.services.policy import Action
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed, cases_heading, landing_endpoint, signed_in
from finans.web.database import db
from finans.web.forms import (
    FieldProblems,
    checked,
    date_text,
    place_problems,
    positive_int,
    shown_again,
    text,
)

bp = Blueprint("cases", __name__)

CASE_FIELDS = ("ref", "family", "coordinator", "consent", "assessed_on", "core_team")
_YES_NO = {"ja": True, "nej": False}


STATUS_WORDS = {"afventer": "waiting", "afvist": "rejected", "ufordelt": "unsplit"}
SORT_WORDS = {"sagsnr": "ref", "familie": "family", "koordinator": "coordinator",
              "indsatser": "interventions", "forslag": "proposed", "afviste": "rejected",
              "ufordelt": "unsplit"}
"""The case list's query words (Danish, as they show in the address) → the service's terms."""
PER_PAGE = 25


def _filter(args: MultiDict[str, str]) -> case_list.CaseFilter:
    """The list's filters and order from the query string; unknown values mean no narrowing
    (and journal-number order)."""
    sort = text(args, "sort")
    return case_list.CaseFilter(
        text=text(args, "q"),
        department=text(args, "afdeling").upper() or None,
        consent=_YES_NO.get(text(args, "samtykke")),
        eligible=_YES_NO.get(text(args, "faelles")),
        proposed=_YES_NO.get(text(args, "forslag")),
        status=STATUS_WORDS.get(text(args, "status")),
        sort=SORT_WORDS.get(sort.lstrip("-"), "ref"),
        descending=sort.startswith("-"),
    )


@bp.route("/")
@signed_in
def home() -> Response:
    """Each role starts on its work: the queue, the overview, or the case list."""
    return redirect(url_for(landing_endpoint()))


@bp.route("/sager")
@allowed(Action.READ_CASE)
def index() -> str:
    session, user = db(), actor()
    summaries = case_list.search_cases(session, actor=user, wanted=_filter(request.args))
    pages = max(1, -(-len(summaries) // PER_PAGE))
    page = min(positive_int(request.args.get("side")) or 1, pages)
    first = (page - 1) * PER_PAGE
    rejections = signals.open_rejections(session, actor=user)
    return render_template(
        "cases/index.html", summaries=summaries[first:first + PER_PAGE], found=len(summaries),
        page=page, pages=pages, first=first, heading=cases_heading(), args=request.args,
        unmet_text=UNMET_TEXT, rejections=rejections, sort=text(request.args, "sort"),
        link=_link,
    )


def _link(**changes: str | int | None) -> str:
    """The list's address with ``changes`` to its query (``None`` removes a key)."""
    query: dict[str, Any] = {key: value for key, value in request.args.items() if value}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return url_for("cases.index", **query)


@bp.route("/sager/<ref>")
@allowed(Action.READ_CASE)
def show(ref: str) -> str:
    today = local(now()).date()
    figures = casework.case_figures(db(), actor=actor(), ref=ref, today=today)
    rejections = signals.open_rejections(db(), actor=actor(), case=ref)
    return render_template(
        "cases/show.html", figures=figures, case=figures.case, today=today, unmet_text=UNMET_TEXT,
        rights=cases.case_rights(db(), actor=actor(), ref=ref), rejections=rejections,
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


def _form(
    case: object, problems: FieldProblems, *, new: bool, conflict: Conflict | None = None
) -> tuple[str, int]:
    status = 409 if conflict else 422 if problems else 200
    page = render_template("cases/form.html", case=case, problems=problems, new=new,
                           conflict=conflict)
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
    flash(f"Sagen {case.ref} er oprettet.", "success")
    return redirect(url_for("cases.show", ref=case.ref))


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
        return _form(shown_again(case, {**data, "version": version}),
                     place_problems(error.problems, CASE_FIELDS), new=False)
    except Conflict as error:
        # What was typed stays; the next save goes against the version stored now.
        fresh = cases.get_case(session, actor=user, ref=ref)
        return _form(shown_again(fresh, data), FieldProblems(), new=False, conflict=error)
    flash(f"Sagen {ref} er gemt.", "success")
    return redirect(url_for("cases.show", ref=ref))
