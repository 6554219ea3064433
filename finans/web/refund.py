"""The state refund on its own pages: the administrator's yearly rates and the quarterly claim.

Rates are typed the Danish way (``860.000,00``, ``37,5``) and handed on as machine text; every
problem the services find lands next to its field (``thresholds[1]``), and a save over someone
else's change is refused with what they changed. The claim page shows a quarter's claim per
household and offers it as a workbook.
"""

from __future__ import annotations

from dataclasses import asdict
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from finans.allocation.money import to_ore
from finans.excel.claim import write_claim_workbook
from finans.formatting import format_amount
from finans.services import refund_claim, refund_rates
from finans.services.budgets import LAST_YEAR
from finans.services.errors import ServiceError
from finans.services.policy import Action
from finans.services.refund_claim import Quarter, parse_quarter
from finans.services.refund_rates import RefundRateView
from finans.store.mapping import TIERS as TIER_COUNT
from finans.store.mapping import Json
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.api.common import XLSX
from finans.web.database import db
from finans.web.forms import FieldProblems, number_text, place_problems, positive_int, text

bp = Blueprint("refund", __name__)

TIERS = range(TIER_COUNT)
RATE_FIELDS = ("year", *(f"thresholds[{i}]" for i in TIERS), *(f"percents[{i}]" for i in TIERS),
               "note")


def _typed(form: MultiDict[str, str]) -> Json:
    """The form as typed, to show again after a refusal."""
    return {
        "year": text(form, "year"),
        "thresholds": [text(form, f"thresholds[{i}]") for i in TIERS],
        "percents": [text(form, f"percents[{i}]") for i in TIERS],
        "note": text(form, "note"),
    }


def _data(typed: Json) -> Json:
    """What the services read: numbers as machine text, empty fields left for them to name."""
    return {
        "thresholds": [number_text(value) for value in typed["thresholds"]],
        "percents": [number_text(value) for value in typed["percents"]],
        "note": typed["note"],
    }


def _shown(item: RefundRateView) -> Json:
    """A service view's rates as people type them: ``860.000,00`` and ``37,5``."""
    return {
        **asdict(item),
        "thresholds": [format_amount(ore) for ore in item.thresholds],
        "percents": [value.replace(".", ",") for value in item.percents],
    }


def _start_shown(start: Json) -> Json:
    """A new year's starting point (machine text, or empty) as people type it."""
    return {
        **start,
        "thresholds": [format_amount(to_ore(value)) if value else "" for value in
                       start["thresholds"]],
        "percents": [value.replace(".", ",") for value in start["percents"]],
    }


def _form(item: Json, problems: FieldProblems, *, new: bool) -> tuple[str, int]:
    page = render_template("refund/rate.html", item=item, problems=problems, new=new,
                           tiers=TIERS)
    return page, 422 if problems else 200


@bp.route("/admin/refusionssatser")
@allowed(Action.MANAGE_REFUND_RATES)
def rates() -> str:
    session = db()
    return render_template("refund/rates.html", items=refund_rates.list_rates(session,
                           actor=actor()), next=refund_rates.starting_point(session))


@bp.route("/admin/refusionssatser/ny", methods=["GET", "POST"])
@allowed(Action.MANAGE_REFUND_RATES)
def create_rate() -> Response | tuple[str, int]:
    session = db()
    if request.method == "GET":
        year = positive_int(request.args.get("aar"))
        start = refund_rates.starting_point(session, year=year)
        return _form(_start_shown(start), FieldProblems(), new=True)
    typed = _typed(request.form)
    year = positive_int(typed["year"])
    data = {**_data(typed), "year": year if year is not None else typed["year"]}
    try:
        made = refund_rates.create_rate(session, actor=actor(), data=data)
    except ServiceError as error:
        return _form(typed, place_problems(error.problems, RATE_FIELDS), new=True)
    flash(f"Refusionssatserne for {made.year} er oprettet.", "success")
    return redirect(url_for("refund.rates"))


@bp.route(f"/admin/refusionssatser/<int(max={LAST_YEAR}):year>", methods=["GET", "POST"])
@allowed(Action.MANAGE_REFUND_RATES)
def rate(year: int) -> Response | tuple[str, int]:
    session = db()
    current = refund_rates.get_rate(session, actor=actor(), year=year)
    if request.method == "GET":
        return _form(_shown(current), FieldProblems(), new=False)
    version = positive_int(request.form.get("version"))
    if version is None:
        abort(400)
    typed = _typed(request.form)
    try:
        refund_rates.update_rate(session, actor=actor(), year=year, version=version,
                                 data=_data(typed))
    except ServiceError as error:
        item = {**asdict(current), **typed, "year": year, "version": version}
        return _form(item, place_problems(error.problems, RATE_FIELDS), new=False)
    flash(f"Refusionssatserne for {year} er gemt.", "success")
    return redirect(url_for("refund.rates"))


# --- the quarterly claim ------------------------------------------------------------------------


def _quarter(text: str | None) -> tuple[Quarter, FieldProblems]:
    """The quarter asked for; the current one when none (or a broken one) is given."""
    today = local(now()).date()
    current = Quarter(today.year, (today.month - 1) // 3 + 1)
    if not text:
        return current, FieldProblems()
    quarter, problems = parse_quarter(text, "kvartal")
    if quarter is None:
        return current, place_problems(problems, ("kvartal",))
    return quarter, FieldProblems()


@bp.route("/refusion")
@allowed(Action.CLAIM_REFUND)
def claim() -> tuple[str, int]:
    quarter, problems = _quarter(request.args.get("kvartal"))
    found = refund_claim.quarter_claim(db(), actor=actor(), quarter=quarter)
    page = render_template("refund/claim.html", claim=found, problems=problems,
                           typed=request.args.get("kvartal", str(quarter)))
    return page, 422 if problems else 200


@bp.route("/refusion/anmodning-<quarter>.xlsx")
@allowed(Action.CLAIM_REFUND)
def claim_workbook(quarter: str) -> Response:
    chosen, problems = parse_quarter(quarter)
    if chosen is None or problems:
        abort(404)
    target = BytesIO()
    write_claim_workbook(target, refund_claim.quarter_claim(db(), actor=actor(), quarter=chosen))
    return Response(target.getvalue(), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="refusionsanmodning-{chosen}.xlsx"'})
