""""Til godkendelse": a controller's queue of split versions awaiting their department's answer,
and approving (in one click) or rejecting (with a reason) their department's share."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans.formatting import format_date
from finans.services import casework, interventions, splits
from finans.services.errors import ServiceError
from finans.services.policy import Action
from finans.store.mapping import Json
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.api.common import MAX_ID
from finans.web.database import db
from finans.web.forms import FieldProblems, place_problems, positive_int, text

bp = Blueprint("approvals", __name__)

SPLIT_INPUTS = ("effective_from", "method", "alpha", "shares", "departments", "responsibility",
                "benefit", "savings")
DONE = {
    "approve": "Du har godkendt {code}s andel af {label}.",
    "reject": "Du har afvist {code}s andel af {label}. Rådgiveren kan nu lave en ny fordeling.",
}


@bp.route("/godkendelser")
@allowed(Action.DECIDE_SHARE)
def queue() -> str:
    items = splits.pending_approvals(db(), actor=actor())
    return render_template("approvals/queue.html", items=items)


def _page(
    split: Json, problems: FieldProblems, reason: str = "", status: int = 200
) -> tuple[str, int]:
    session, user = db(), actor()
    intervention = interventions.get_intervention(session, actor=user, id=split["intervention"])
    today = local(now()).date()
    data = {key: split[key] for key in SPLIT_INPUTS if key in split}
    preview = casework.preview_split(
        session, actor=user, intervention=split["intervention"], data=data, today=today
    )
    page = render_template(
        "approvals/decide.html", split=split, intervention=intervention, preview=preview,
        problems=problems, reason=reason, rights=frozenset(),
    )
    return page, status


@bp.route(f"/godkendelser/<int(max={MAX_ID}):split_id>", methods=["GET", "POST"])
@allowed(Action.DECIDE_SHARE)
def decide(split_id: int) -> Response | tuple[str, int]:
    session, user = db(), actor()
    split = splits.get_split(session, actor=user, split_id=split_id)
    if request.method == "GET":
        return _page(split, FieldProblems())
    decision = request.form.get("decision", "")
    reason = text(request.form, "reason")
    version = positive_int(request.form.get("version"))
    if version is None or decision not in DONE:
        abort(400)
    try:
        splits.decide(session, actor=user, split_id=split_id, decision=decision, reason=reason,
                      version=version)
    except ServiceError as error:
        return _page(split, place_problems(error.problems, ("reason",)), reason, 422)
    day = format_date(date.fromisoformat(split["effective_from"]))
    label = f"{split['intervention']} fra {day}"
    flash(DONE[decision].format(code=user.department, label=label), "success")
    return redirect(url_for("approvals.queue"))
