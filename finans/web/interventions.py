"""Interventions: the page with the version history of its lagkage, and creating or editing one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from finans.formatting import format_amount
from finans.services import cases, casework, interventions
from finans.services.errors import Conflict, ServiceError
from finans.services.policy import Action
from finans.services.views import CaseView, InterventionView
from finans.store.mapping import Json
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.corrections import intervention_warning
from finans.web.database import db
from finans.web.forms import (
    FieldProblems,
    date_text,
    filled,
    number_text,
    place_problems,
    positive_int,
    shown_again,
)
from finans.web.forms import text as field_text

bp = Blueprint("interventions", __name__)

FIELDS = ("title", "legal_basis", "granted_by", "paid_by", "cost", "cost.amount", "cost.per",
          "cost.start", "cost.end", "refundable", "account")
REFUNDABLE = {"": None, "ja": True, "nej": False}
"""The refund choice in the form: follow the legal basis, or the caseworker's own yes or no."""
PERS = (("month", "pr. måned"), ("week", "pr. uge"), ("year", "pr. år"), ("once", "engangsbeløb"))


@bp.route("/indsatser/<id>")
@allowed(Action.READ_CASE)
def show(id: str) -> str:
    session, user = db(), actor()
    intervention = interventions.get_intervention(session, actor=user, id=id)
    case = cases.get_case(session, actor=user, ref=intervention.case)
    current = casework.in_force(intervention.splits, local(now()).date())
    return render_template(
        "interventions/show.html",
        intervention=intervention,
        case=case,
        in_force=current,
        shares=casework.resolved(current),
        history=sorted(intervention.splits, key=lambda split: split.effective_from, reverse=True),
        rights=cases.case_rights(session, actor=user, ref=case.ref),
    )


def _data(form: MultiDict[str, str]) -> Json:
    """Intervention JSON (docs/scenario.md) from the form."""
    cost = filled({
        "amount": number_text(form.get("cost.amount", "")),
        "per": field_text(form, "cost.per"),
        "start": date_text(form.get("cost.start", "")),
        "end": date_text(form.get("cost.end", "")),
    })
    return {
        "title": field_text(form, "title"),
        "legal_basis": field_text(form, "legal_basis"),
        "granted_by": field_text(form, "granted_by"),
        "paid_by": field_text(form, "paid_by"),
        "cost": cost,
        "refundable": REFUNDABLE.get(field_text(form, "refundable")),
        "account": field_text(form, "account"),
    }


def _as_typed(data: Json, form: MultiDict[str, str]) -> Json:
    """The data to show again after a refusal, with the amount as it was typed."""
    cost = {"per": "", "start": "", **data["cost"], "amount": field_text(form, "cost.amount")}
    return {**data, "cost": cost}


def _shown(intervention: InterventionView) -> Json:
    """The stored intervention for the form, its amount the Danish way (``12.000,00``)."""
    shown = shown_again(intervention, {})
    return {**shown, "cost": shown_again(intervention.cost,
                                         {"amount": format_amount(intervention.cost.amount)})}


def _form(
    intervention: Json, case: CaseView, problems: FieldProblems, *, new: bool,
    conflict: Conflict | None = None,
) -> tuple[str, int]:
    page = render_template(
        "interventions/form.html", intervention=intervention, case=case, problems=problems,
        new=new, pers=PERS, conflict=conflict,
    )
    return page, 409 if conflict else 422 if problems else 200


@bp.route("/sager/<ref>/indsatser/ny", methods=["GET", "POST"])
@allowed(Action.EDIT_INTERVENTION)
def create(ref: str) -> Response | tuple[str, int]:
    session, user = db(), actor()
    case = cases.get_case(session, actor=user, ref=ref)
    cases.require_on_case(session, actor=user, ref=ref, action=Action.EDIT_INTERVENTION)
    if request.method == "GET":
        department = user.department or ""
        blank = {"title": "", "legal_basis": "", "granted_by": department, "paid_by": department,
                 "cost": {"amount": "", "per": "month", "start": local(now()).date().isoformat()},
                 "refundable": None}
        return _form(blank, case, FieldProblems(), new=True)
    data = {**_data(request.form), "case": ref}
    try:
        created = interventions.create_intervention(session, actor=user, data=data)
    except ServiceError as error:
        shown = _as_typed(data, request.form)
        return _form(shown, case, place_problems(error.problems, FIELDS), new=True)
    flash(f"Indsatsen {created.id} er oprettet. Lav nu dens fordeling.", "success")
    return redirect(url_for("splits.create", id=created.id))


@bp.route("/indsatser/<id>/rediger", methods=["GET", "POST"])
@allowed(Action.EDIT_INTERVENTION)
def edit(id: str) -> Response | tuple[str, int]:
    session, user = db(), actor()
    intervention = interventions.get_intervention(session, actor=user, id=id)
    case = cases.get_case(session, actor=user, ref=intervention.case)
    cases.require_on_case(session, actor=user, ref=case.ref, action=Action.EDIT_INTERVENTION)
    if request.method == "GET":
        return _form(_shown(intervention), case, FieldProblems(), new=False)
    version = positive_int(request.form.get("version"))
    if version is None:
        abort(400)
    data = _data(request.form)
    before = casework.intervention_correction(session, actor=user, intervention=id)
    try:
        interventions.update_intervention(session, actor=user, id=id, version=version, data=data)
    except ServiceError as error:
        shown = {**_shown(intervention), **_as_typed(data, request.form), "version": version}
        return _form(shown, case, place_problems(error.problems, FIELDS), new=False)
    except Conflict as error:
        # What was typed stays; the next save goes against the version stored now.
        fresh = interventions.get_intervention(session, actor=user, id=id)
        shown = {**_shown(fresh), **_as_typed(data, request.form)}
        return _form(shown, case, FieldProblems(), new=False, conflict=error)
    flash(f"Indsatsen {id} er gemt.", "success")
    after = casework.intervention_correction(session, actor=user, intervention=id)
    if after is not None and after != before:
        flash(intervention_warning(after), "warning")
    return redirect(url_for("cases.show", ref=intervention.case))
