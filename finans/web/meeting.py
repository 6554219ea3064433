"""The joint meeting: step through a case's interventions one split form at a time, see who agreed
at the meeting, and print the lagkage for the family's file; and the case's lagkage template.

Each step is the ordinary "Ny fordeling" form (live pie, representatives who agreed, "Kopiér til"),
saved through the same services; saving goes on to the next intervention.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import Blueprint, abort, render_template, send_file
from werkzeug.wrappers import Response

from finans.excel.template import write_template
from finans.printout import Agreement, CaseSheet, Panel, case_sheet_pdf
from finans.services import cases, casework, interventions
from finans.services.casework import CaseFigures
from finans.services.figures import scenario_records
from finans.services.policy import Action
from finans.services.views import SplitView
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.database import db
from finans.web.splits import MeetingStep, new_split

bp = Blueprint("meeting", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> date:
    return local(now()).date()


def _ids(ref: str) -> list[str]:
    return [item.id for item in interventions.list_interventions(db(), actor=actor(), case=ref)]


@bp.route("/sager/<ref>/moede/<int(min=1, max=9999):number>", methods=["GET", "POST"])
@allowed(Action.RECORD_MEETING)
def step(ref: str, number: int) -> Response | tuple[str, int]:
    """The split form of the case's ``number``-th intervention."""
    cases.require_on_case(db(), actor=actor(), ref=ref, action=Action.RECORD_MEETING)
    ids = _ids(ref)
    if number > len(ids):
        abort(404)
    return new_split(ids[number - 1], MeetingStep(ref, number, len(ids)))


@bp.route("/sager/<ref>/moede")
@allowed(Action.RECORD_MEETING)
def summary(ref: str) -> str:
    """What the meeting has come to: every intervention's newest version and who agreed."""
    cases.require_on_case(db(), actor=actor(), ref=ref, action=Action.RECORD_MEETING)
    figures = casework.case_figures(db(), actor=actor(), ref=ref, today=_today())
    return render_template("meeting/summary.html", figures=figures, case=figures.case)


def _agreements(split: SplitView | None) -> tuple[Agreement, ...]:
    if split is None:
        return ()
    return tuple(
        Agreement(item.department, item.by, local(item.at).date() if item.at else None,
                  item.at_meeting)
        for item in split.decisions
        if item.decision == "approve"
    )


def _sheet(figures: CaseFigures, today: date) -> CaseSheet:
    case = figures.case
    panels = tuple(
        Panel(
            intervention=item.intervention.id,
            title=item.intervention.title,
            legal_basis=item.intervention.legal_basis,
            paid_by=item.intervention.paid_by,
            shares=item.shares,
            amounts=tuple(item.totals.items()),
            agreed_from=item.in_force.effective_from if item.in_force else None,
            agreements=_agreements(item.in_force),
        )
        for item in figures.interventions
    )
    return CaseSheet(case.ref, case.family, case.coordinator, figures.year, today, panels)


@bp.route("/sager/<ref>/lagkage.pdf")
@allowed(Action.READ_CASE)
def lagkage_pdf(ref: str) -> Response:
    """The case's lagkage on one A4 page, for the family's file."""
    today = _today()
    figures = casework.case_figures(db(), actor=actor(), ref=ref, today=today)
    pdf = case_sheet_pdf(_sheet(figures, today))
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                     download_name=f"lagkage-{ref}.pdf")


@bp.route("/sager/<ref>/lagkage.xlsx")
@allowed(Action.READ_CASE)
def template(ref: str) -> Response:
    """The case's lagkage template, to fill in Excel and import again."""
    session = db()
    cases.get_case(session, actor=actor(), ref=ref)
    scenario = scenario_records(session, cases=[ref])
    target = BytesIO()
    write_template(target, scenario.departments, scenario.cases[0], scenario.interventions)
    target.seek(0)
    return send_file(target, mimetype=XLSX, as_attachment=True,
                     download_name=f"lagkage-{ref}.xlsx")
