"""*Bogføring* for finance and administrators: a month's postings previewed with their sums per
account string, downloads in both formats, the closed months and closing more.

A month is chosen as ``?maaned=YYYY-MM`` (default: the first open month). Closing asks for an
explicit confirmation in the form, because a closed month is never reopened.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from finans.allocation.postings import first_day, last_day, month_of, next_month
from finans.allocation.problems import Problem
from finans.allocation.records import Period
from finans.ledger import MEDIA_TYPES, Format
from finans.services import bookkeeping, closing
from finans.services.errors import ServiceError
from finans.services.policy import Action
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.database import db
from finans.web.forms import text

bp = Blueprint("bookkeeping", __name__)
FORMATS = ("csv", "g69")


def _today() -> date:
    return local(now()).date()


def _chosen(args: MultiDict[str, str], state: closing.Closing) -> tuple[str, list[Problem]]:
    """The month asked for, or the first open month (this month while nothing is closed)."""
    default = state.first_open or month_of(_today())
    typed = text(args, "maaned")
    if not typed:
        return default, []
    try:
        return closing.parse_month(typed, "maaned"), []
    except ServiceError as error:
        return default, error.problems


def _month_period(month: str) -> Period:
    return Period(first_day(month), last_day(month))


def _page(
    month: str, state: closing.Closing, problems: list[Problem], status: int = 200
) -> tuple[str, int]:
    summary = None
    try:
        found = bookkeeping.postings(db(), actor=actor(), period=_month_period(month))
        summary = bookkeeping.summarise(found)
    except ServiceError as error:
        problems = [*problems, *error.problems]
    page = render_template(
        "bookkeeping/index.html", month=month, state=state, summary=summary, problems=problems,
        closed=state.is_closed(month), label=closing.month_label, this_month=month_of(_today()),
        close_default=min(month, month_of(_today())),
    )
    return page, status


@bp.route("/bogfoering")
@allowed(Action.READ_POSTINGS)
def index() -> tuple[str, int]:
    state = closing.closed_months(db(), actor=actor())
    month, problems = _chosen(request.args, state)
    return _page(month, state, problems, 422 if problems else 200)


@bp.route("/bogfoering/posteringer.<file_format>")
@allowed(Action.READ_POSTINGS)
def download(file_format: str) -> Response | tuple[str, int]:
    """The chosen month's postings (``?aar=1`` for its whole year) as a file."""
    if file_format not in FORMATS:
        abort(404)
    state = closing.closed_months(db(), actor=actor())
    month, problems = _chosen(request.args, state)
    if problems:
        return _page(month, state, problems, 422)
    period = _month_period(month)
    if text(request.args, "aar") == "1":
        period = Period(date(period.start.year, 1, 1), date(period.start.year, 12, 31))
    chosen: Format = "g69" if file_format == "g69" else "csv"
    target = BytesIO()
    try:
        found = bookkeeping.postings(db(), actor=actor(), period=period)
        bookkeeping.write_file(found, target, chosen, current_app.config["FINANS_G69"])
    except ServiceError as error:
        return _page(month, state, error.problems, 422)
    name = bookkeeping.file_name(period, chosen)
    return Response(target.getvalue(), content_type=MEDIA_TYPES[chosen],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/bogfoering/luk", methods=["POST"])
@allowed(Action.CLOSE_MONTHS)
def close() -> BaseResponse | tuple[str, int]:
    """Close every month up to the one chosen, once the confirmation box is ticked."""
    state = closing.closed_months(db(), actor=actor())
    month, _ = _chosen(request.form, state)
    if request.form.get("bekraeft") != "ja":
        message = "Sæt kryds for at bekræfte, at lukkede måneder ikke kan genåbnes"
        return _page(month, state, [Problem("not_confirmed", message, "bekraeft")], 422)
    try:
        result = closing.close_months(db(), actor=actor(), month=text(request.form, "maaned"),
                                      today=_today())
    except ServiceError as error:
        return _page(state.first_open or month_of(_today()), state, error.problems, 422)
    through = closing.month_label(result.closed_through)
    if result.closed:
        flash(f"Bogføringen er lukket til og med {through}: {len(result.closed)} "
              f"{'måned' if len(result.closed) == 1 else 'måneder'} fastfrosset.", "success")
    else:
        flash(f"Bogføringen var allerede lukket til og med {through}.", "success")
    return redirect(url_for("bookkeeping.index", maaned=next_month(result.closed_through)))
