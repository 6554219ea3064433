""""Ny fordeling": choose a method, enter the inputs, see the live preview, save the split as a
proposal, a draft, or as agreed at the meeting; and record approvals given at the meeting.

The preview is computed on the server by the engine (:func:`finans.services.casework.preview_split`)
and rendered by one template: the fragment endpoint serves it to the page's script on input, and
the "Vis forhåndsvisning" button renders the whole page with it when there is no script.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans.allocation.problems import Problem
from finans.services import cases, casework, interventions, splits
from finans.services.errors import Conflict, Refusal, ServiceError
from finans.services.policy import Action
from finans.services.views import CaseView, InterventionView, SplitView
from finans.store.mapping import Json
from finans.store.timestamps import local, now
from finans.web import split_form
from finans.web.access import actor, allowed
from finans.web.api.common import MAX_ID
from finans.web.context import active_departments
from finans.web.corrections import split_warning
from finans.web.database import db
from finans.web.forms import FieldProblems, place_problems, positive_int

bp = Blueprint("splits", __name__)

SPLIT_ID = f"<int(max={MAX_ID}):split_id>"
"""A split version's id in an address: a larger number names no split (404)."""

SAVES = {"propose": "proposed", "draft": "draft", "meeting": "agreed"}
SAVED = {
    "proposed": "Fordelingen er gemt som forslag og afventer godkendelse fra {awaiting}.",
    "draft": "Fordelingen er gemt som kladde.",
    "agreed": "Fordelingen er gemt som aftalt på mødet.",
}


def _today() -> date:
    return local(now()).date()


def _context(id: str) -> tuple[InterventionView, CaseView, list[str]]:
    """The intervention, its case and the department codes in the form's row order; refused
    unless the user may propose splits on the case."""
    session, user = db(), actor()
    intervention = interventions.get_intervention(session, actor=user, id=id)
    case = cases.get_case(session, actor=user, ref=intervention.case)
    cases.require_on_case(session, actor=user, ref=case.ref, action=Action.PROPOSE_SPLIT)
    codes = [department.code for department in active_departments()]
    return intervention, case, split_form.row_order(codes, case.core_team)


def _default_from(intervention: InterventionView) -> date:
    """A first split starts with the intervention; a re-assessment today (not before the start)."""
    start = intervention.cost.start
    return start if not intervention.splits else max(start, _today())


def _preview(id: str, data: Json) -> casework.SplitPreview:
    return casework.preview_split(db(), actor=actor(), intervention=id, data=data, today=_today())


@dataclass(frozen=True, slots=True)
class MeetingStep:
    """Where the form sits when the case's interventions are stepped through at the meeting."""

    ref: str
    number: int
    count: int


def _page(
    intervention: InterventionView,
    case: CaseView,
    form: split_form.SplitForm,
    preview: casework.SplitPreview,
    problems: FieldProblems,
    status: int = 200,
    editing: SplitView | None = None,
    conflict: Conflict | None = None,
    step: MeetingStep | None = None,
    copied: frozenset[str] = frozenset(),
) -> tuple[str, int]:
    others = [] if editing else _others(case.ref, intervention.id)
    page = render_template(
        "splits/form.html", intervention=intervention, case=case, form=form, preview=preview,
        problems=problems, methods=split_form.METHODS, editing=editing, conflict=conflict,
        preview_problems=_preview_problems(form, preview), step=step,
        copy_targets=others, copied=copied, weights=split_form.weights_text(form),
    )
    return page, status


def _others(ref: str, id: str) -> list[InterventionView]:
    """The case's other interventions, which a new split can be copied to."""
    return [
        item for item in interventions.list_interventions(db(), actor=actor(), case=ref)
        if item.id != id
    ]


def _preview_problems(
    form: split_form.SplitForm, preview: casework.SplitPreview
) -> list[Problem]:
    return split_form.form_problems(form) + split_form.in_form_terms(preview.problems)


def _form_refused(form: split_form.SplitForm, codes: list[str]) -> FieldProblems | None:
    """The form's own problems placed on its fields, or ``None`` when there are none."""
    problems = split_form.form_problems(form)
    return place_problems(problems, split_form.field_names(codes)) if problems else None


def _warn_of_correction(preview: casework.SplitPreview, status: str) -> None:
    """After a save: what the version moves in months closed for postings, if anything."""
    if preview.correction is not None and preview.correction.departments:
        flash(split_warning(preview.correction, agreed=status == "agreed"), "warning")


def _refused(error: ServiceError, codes: list[str]) -> FieldProblems:
    return place_problems(split_form.in_form_terms(error.problems), split_form.field_names(codes))


def _copy(data: Json, meeting: dict[str, str] | None, targets: list[str]) -> None:
    """Propose the same split for each target intervention, each through the normal checks;
    say which were saved and why others were not."""
    saved = []
    for target in targets:
        try:
            splits.propose_split(db(), actor=actor(), intervention=target, data=data,
                                 meeting=meeting)
        except ServiceError as error:
            reasons = "; ".join(problem.message for problem in error.problems)
            flash(f"Fordelingen blev ikke kopieret til {target}: {reasons}", "error")
        except Refusal as error:
            flash(f"Fordelingen blev ikke kopieret til {target}: {error.message}", "error")
        else:
            saved.append(target)
    if saved:
        flash(f"Fordelingen er også gemt for {', '.join(saved)}.", "success")


def new_split(id: str, step: MeetingStep | None = None) -> Response | tuple[str, int]:
    """The "Ny fordeling" form of intervention ``id``: show it, preview, or save it (and copies
    of it for the case's interventions ticked under "Kopiér til"); saved, it goes on to the
    intervention's page, or in a meeting to the next intervention."""
    intervention, case, codes = _context(id)
    if request.method == "GET":
        latest = intervention.splits[-1] if intervention.splits else None
        form = split_form.prefilled(latest, codes, _default_from(intervention),
                                    intervention.paid_by)
        data = split_form.split_data(form, "agreed")
        return _page(intervention, case, form, _preview(id, data), FieldProblems(), step=step)
    action = request.form.get("action", "preview")
    form = split_form.typed(request.form, codes)
    status = SAVES.get(action, "proposed")
    data = split_form.split_data(form, status)
    known = {item.id for item in _others(case.ref, id)}
    targets = [target for target in request.form.getlist("copy_to") if target in known]
    if action in SAVES and (own := _form_refused(form, codes)) is not None:
        return _page(intervention, case, form, _preview(id, data), own, 422, step=step,
                     copied=frozenset(targets))
    if action in SAVES:
        meeting = split_form.representatives(request.form, codes) if action == "meeting" else None
        preview = _preview(id, data)
        try:
            saved = splits.propose_split(
                db(), actor=actor(), intervention=id, data=data, meeting=meeting
            )
        except ServiceError as error:
            placed = _refused(error, codes)
            return _page(intervention, case, form, preview, placed, 422, step=step,
                         copied=frozenset(targets))
        awaiting = ", ".join(saved.awaiting) or "ingen"
        flash(SAVED[saved.status].format(awaiting=awaiting), "success")
        _warn_of_correction(preview, saved.status)
        _copy(data, meeting, targets)
        if step is None:
            return redirect(url_for("interventions.show", id=id))
        if step.number < step.count:
            return redirect(url_for("meeting.step", ref=step.ref, number=step.number + 1))
        return redirect(url_for("meeting.summary", ref=step.ref))
    return _page(intervention, case, form, _preview(id, data), FieldProblems(), step=step,
                 copied=frozenset(targets))


@bp.route("/indsatser/<id>/fordeling/ny", methods=["GET", "POST"])
@allowed(Action.PROPOSE_SPLIT)
def create(id: str) -> Response | tuple[str, int]:
    return new_split(id)


@bp.route(f"/fordelinger/{SPLIT_ID}/rediger", methods=["GET", "POST"])
@allowed(Action.PROPOSE_SPLIT)
def edit(split_id: int) -> Response | tuple[str, int]:
    """Change a draft or a proposal; the approvals given so far are cleared by the service."""
    split = splits.get_split(db(), actor=actor(), split_id=split_id)
    id = split.intervention
    intervention, case, codes = _context(id)
    if split.status not in splits.OPEN:
        flash("Kun kladder og forslag kan ændres. Lav en ny fordeling i stedet.", "error")
        return redirect(url_for("interventions.show", id=id))
    if request.method == "GET":
        form = split_form.prefilled(split, codes, split.effective_from, intervention.paid_by)
        data = split_form.split_data(form, "agreed")
        return _page(intervention, case, form, _preview(id, data), FieldProblems(), editing=split)
    action = request.form.get("action", "preview")
    form = split_form.typed(request.form, codes)
    if action in ("propose", "draft"):
        version = positive_int(request.form.get("version"))
        if version is None:
            abort(400)
        data = split_form.split_data(form, SAVES[action])
        if (own := _form_refused(form, codes)) is not None:
            return _page(intervention, case, form, _preview(id, data), own, 422,
                         editing=replace(split, version=version))
        preview = _preview(id, data)
        try:
            saved = splits.update_split(db(), actor=actor(), split_id=split_id, version=version,
                                        data=data)
        except ServiceError as error:
            return _page(intervention, case, form, preview, _refused(error, codes),
                         422, editing=replace(split, version=version))
        except Conflict as error:
            # What was typed stays in the form; the next save is made against the version
            # that is stored now, after the person has seen what the other one changed.
            fresh = splits.get_split(db(), actor=actor(), split_id=split_id)
            if fresh.status not in splits.OPEN:
                raise
            return _page(intervention, case, form, preview, FieldProblems(), 409,
                         editing=fresh, conflict=error)
        awaiting = ", ".join(saved.awaiting) or "ingen"
        flash(SAVED[saved.status].format(awaiting=awaiting), "success")
        _warn_of_correction(preview, saved.status)
        return redirect(url_for("interventions.show", id=id))
    data = split_form.split_data(form, "agreed")
    return _page(intervention, case, form, _preview(id, data), FieldProblems(), editing=split)


@bp.route("/indsatser/<id>/fordeling/forhaandsvisning", methods=["POST"])
@allowed(Action.PROPOSE_SPLIT)
def preview(id: str) -> str:
    """The preview fragment for the page's script (the same template as the whole page)."""
    _intervention, _case, codes = _context(id)
    form = split_form.typed(request.form, codes)
    result = _preview(id, split_form.split_data(form, "agreed"))
    return render_template(
        "splits/_preview.html", preview=result, preview_problems=_preview_problems(form, result),
        weights=split_form.weights_text(form),
    )


@bp.route(f"/fordelinger/{SPLIT_ID}/moede", methods=["POST"])
@allowed(Action.RECORD_MEETING)
def meeting(split_id: int) -> Response:
    """Approvals given at the joint meeting, recorded on the representatives' word."""
    session, user = db(), actor()
    split = splits.get_split(session, actor=user, split_id=split_id)
    version = positive_int(request.form.get("version"))
    if version is None:
        abort(400)
    names = split_form.representatives(request.form, split.awaiting)
    try:
        saved = splits.record_meeting_approvals(
            session, actor=user, split_id=split_id, representatives=names, version=version
        )
    except ServiceError as error:
        for problem in error.problems:
            flash(problem.message, "error")
        return redirect(url_for("interventions.show", id=split.intervention))
    flash("Godkendelserne fra mødet er registreret. Fordelingen er nu "
          f"{'aftalt' if saved.status == 'agreed' else 'stadig et forslag'}.", "success")
    return redirect(url_for("interventions.show", id=split.intervention))
