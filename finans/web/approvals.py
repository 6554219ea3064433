""""Til godkendelse": a controller's queue of proposals awaiting their department's answer, with
the share, the amount and the change each would bring; approving one or several after a
confirmation that states the amount, and rejecting with a reason.

Approving is two steps without any script: the first post shows what is about to be approved and
its amount (the confirmation page), the second (``confirmed``) approves. Several proposals
selected in the queue are confirmed together, with their total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans.formatting import format_date, format_money
from finans.services import approvals, casework, interventions, splits
from finans.services.approvals import ApprovalItem
from finans.services.errors import Conflict, NotFound, Refusal, ServiceError
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
REJECTED = "Du har afvist {code}s andel af {label}. Koordinatoren får besked."


def _today() -> date:
    return local(now()).date()


@bp.route("/godkendelser")
@allowed(Action.DECIDE_SHARE)
def queue() -> str:
    items = approvals.queue(db(), actor=actor(), today=_today())
    return render_template("approvals/queue.html", items=items)


def _label(item: ApprovalItem | Json) -> str:
    if isinstance(item, ApprovalItem):
        return f"{item.intervention} fra {format_date(item.effective_from)}"
    return f"{item['intervention']} fra {format_date(date.fromisoformat(item['effective_from']))}"


def _page(
    split: Json, problems: FieldProblems, reason: str = "", status: int = 200
) -> tuple[str, int]:
    session, user = db(), actor()
    intervention = interventions.get_intervention(session, actor=user, id=split["intervention"])
    item = approvals.awaiting_answer(session, actor=user, split_id=split["id"], today=_today())
    data = {key: split[key] for key in SPLIT_INPUTS if key in split}
    preview = casework.preview_split(
        session, actor=user, intervention=split["intervention"], data=data, today=_today()
    )
    page = render_template(
        "approvals/decide.html", split=split, intervention=intervention, item=item,
        preview=preview, problems=problems, reason=reason, rights=frozenset(),
    )
    return page, status


def _totals(items: list[ApprovalItem]) -> list[tuple[int, int]]:
    """(year, total amount) of the items, by year."""
    by_year: dict[int, int] = defaultdict(int)
    for item in items:
        by_year[item.year] += item.amount
    return sorted(by_year.items())


def _confirm(items: list[ApprovalItem]) -> str:
    return render_template("approvals/confirm.html", items=items, totals=_totals(items))


def _approve(items: list[ApprovalItem]) -> Response:
    """Approve each item at the version that was confirmed; report what could not be."""
    session, user = db(), actor()
    done = []
    for item in items:
        try:
            splits.decide(session, actor=user, split_id=item.split, decision="approve",
                          version=item.version)
        except Conflict as error:
            if len(items) == 1:
                raise
            flash(f"{_label(item)}: {error.message} Den er ikke godkendt.", "error")
        except Refusal as error:
            flash(f"{_label(item)}: {error.message}", "error")
        else:
            done.append(item)
    if done:
        names = ", ".join(_label(item) for item in done)
        totals = ", ".join(f"{format_money(total)} i {year}" for year, total in _totals(done))
        flash(f"Du har godkendt {user.department}s andel af {len(done)} forslag ({names}): "
              f"i alt {totals}.", "success")
    return redirect(url_for("approvals.queue"))


def _chosen() -> list[tuple[int, int]]:
    """The (split id, version) pairs posted as ``split`` = ``id:version`` (the ticked ones), or
    the one ``only`` names (a row's own button)."""
    chosen = []
    only = request.form.get("only")
    for value in [only] if only else request.form.getlist("split"):
        split_id, _, version = value.partition(":")
        number, read = positive_int(split_id), positive_int(version)
        if number is None or read is None or number > MAX_ID:
            abort(400)
        chosen.append((number, read))
    return chosen


def _as_confirmed(chosen: list[tuple[int, int]]) -> list[ApprovalItem]:
    """The chosen items still awaiting the department, at the version the controller read.

    A proposal whose content changed (or that was settled) since it was read is not confirmed:
    alone it is refused with what changed (409); among several it is left out with a warning, and
    the others go on. Other departments' answers in between change nothing (docs/workflow.md).
    """
    read = dict(chosen)
    session, user = db(), actor()
    found = approvals.selected(session, actor=user, wanted=read, today=_today())
    gone = set(read) - {item.split for item in found}
    if gone and len(chosen) == 1:
        splits.check_answer(session, actor=user, split_id=chosen[0][0], version=chosen[0][1])
    for split_id in sorted(gone):
        flash(f"Forslag {split_id} venter ikke længere på jeres svar.", "warning")
    current = []
    for item in found:
        try:
            splits.check_answer(session, actor=user, split_id=item.split, version=read[item.split])
        except Refusal as error:
            if len(chosen) == 1:
                raise
            changes = error.changes if isinstance(error, Conflict) else []
            flash(" ".join([error.message, *changes]), "warning")
            continue
        current.append(replace(item, version=read[item.split]))
    return current


@bp.route("/godkendelser/godkend", methods=["POST"])
@allowed(Action.DECIDE_SHARE)
def approve_selected() -> Response | str:
    """Approve the proposals selected in the queue, after one confirmation with their total."""
    chosen = _chosen()
    if not chosen:
        flash("Vælg de forslag, du vil godkende.", "error")
        return redirect(url_for("approvals.queue"))
    items = _as_confirmed(chosen)
    if not items:
        return redirect(url_for("approvals.queue"))
    if request.form.get("confirmed") != "ja":
        return _confirm(items)
    return _approve(items)


@bp.route(f"/godkendelser/<int(max={MAX_ID}):split_id>", methods=["GET", "POST"])
@allowed(Action.DECIDE_SHARE)
def decide(split_id: int) -> Response | str | tuple[str, int]:
    session, user = db(), actor()
    split = splits.get_split(session, actor=user, split_id=split_id)
    if request.method == "GET":
        return _page(split, FieldProblems())
    decision = request.form.get("decision", "")
    version = positive_int(request.form.get("version"))
    if version is None or decision not in ("approve", "reject"):
        abort(400)
    if decision == "approve":
        items = _as_confirmed([(split_id, version)])
        if not items:
            return redirect(url_for("approvals.queue"))
        return _approve(items) if request.form.get("confirmed") == "ja" else _confirm(items)
    reason = text(request.form, "reason")
    try:
        splits.decide(session, actor=user, split_id=split_id, decision="reject", reason=reason,
                      version=version)
    except ServiceError as error:
        return _page(split, place_problems(error.problems, ("reason",)), reason, 422)
    except NotFound:
        abort(404)
    flash(REJECTED.format(code=user.department, label=_label(split)), "success")
    return redirect(url_for("approvals.queue"))
