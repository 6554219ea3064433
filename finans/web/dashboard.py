"""The managers' overview ("Overblik"): charts first, tables beside them, and the budgets.

Managers and administrators see every department; a controller sees the charts and their own
department's figures. The period comes from the query string (``kind`` = year, quarter, month or
range), so every view of the page, its charts and its downloads can be linked and bookmarked.
Figures come from :mod:`finans.services.dashboard` (cached per data revision); the charts are PNG
or SVG from :mod:`finans.charts`, served with an ETag so a browser revalidates instead of
downloading them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans import charts
from finans.formatting import format_amount, format_percent
from finans.services import budgets, dashboard, departments
from finans.services.dashboard import MONTH_NAMES, Figures, PeriodChoice, choose_period
from finans.services.errors import Conflict, ServiceError
from finans.services.policy import Action, Scope, permits, roles_for, scope_of
from finans.store.timestamps import local, now
from finans.web.access import actor, allowed
from finans.web.dashboard_workbook import write_overview_workbook
from finans.web.database import db
from finans.web.forms import FieldProblems, number_text, place_problems, positive_int, text

bp = Blueprint("dashboard", __name__, url_prefix="/overblik")

FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
CHART_MAX_AGE = 300
"""Seconds a browser may reuse a chart before asking again (it then gets 304 if unchanged)."""
PER_PAGE = 100
SHOWN_PENDING = 15
"""The oldest pending approvals listed on the page; the rest are in the approvals queue."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_FIELDS = ("kind", "year", "quarter", "month", "from", "to", "periode")


def today() -> date:
    """The municipality's date today."""
    return local(now()).date()


def _figures(choice: PeriodChoice) -> Figures:
    return dashboard.overview(db(), actor=actor(), period=choice.period, today=today())


def _choice_or_404() -> PeriodChoice:
    """The period of a chart or download link; a broken link names nothing to show."""
    choice, _ = choose_period(request.args, today())
    if choice is None:
        abort(404)
    return choice


# --- the page -----------------------------------------------------------------------------------


@bp.get("/")
@allowed(Action.READ_FIGURES)
def index() -> str | tuple[str, int]:
    choice, problems = choose_period(request.args, today())
    placed = place_problems(problems, PERIOD_FIELDS)
    if choice is None:
        page = render_template("dashboard/index.html", choice=None, figures=None,
                               problems=placed, args=request.args, today=today(),
                               month_names=MONTH_NAMES)
        return page, 422
    figures = _figures(choice)
    return render_template(
        "dashboard/index.html",
        choice=choice,
        figures=figures,
        problems=placed,
        args=request.args,
        today=today(),
        month_names=MONTH_NAMES,
        spent_until=min(today(), date(figures.budget_year, 12, 31)),
        pie_alt=_pie_alt(figures),
        shown_pending=figures.pending[:SHOWN_PENDING],
        may_edit_budgets=actor().role in roles_for(Action.EDIT_BUDGET),
        all_departments=scope_of(actor(), Action.READ_DEPARTMENT_FIGURES) is Scope.ANY,
    )


def _pie_alt(figures: Figures) -> str:
    """The pie's text alternative: every department's share of the total."""
    if not figures.total:
        return "Cirkeldiagram: ingen udgifter i perioden."
    parts = ", ".join(
        f"{code} {format_percent(Fraction(amount, figures.total))}"
        for code, amount in figures.pie()
    )
    return f"Cirkeldiagram over fordelt udgift pr. afdeling: {parts}."


# --- charts and downloads -----------------------------------------------------------------------


def _pie(figures: Figures, choice: PeriodChoice, fmt: charts.ImageFormat) -> bytes:
    return charts.department_pie(figures.pie(), f"Fordelt pr. afdeling, {choice.label}", fmt)


def _bars(figures: Figures, choice: PeriodChoice, fmt: charts.ImageFormat) -> bytes:
    months, series = figures.bars()
    return charts.monthly_bars(months, series, f"Udgift pr. måned, {choice.label}", fmt)


def _budget(figures: Figures, _choice: PeriodChoice, fmt: charts.ImageFormat) -> bytes:
    title = f"Budget, forbrug og prognose {figures.budget_year}"
    return charts.budget_chart(figures.budget_rows(), title, fmt)


CHARTS: dict[str, Callable[[Figures, PeriodChoice, charts.ImageFormat], bytes]] = {
    "fordeling": _pie,
    "maaneder": _bars,
    "budget": _budget,
}


def _file_name(stem: str, choice: PeriodChoice, suffix: str) -> str:
    return f"{stem}-{choice.period.start.isoformat()}-{choice.period.end.isoformat()}.{suffix}"


@bp.get("/graf/<name>.<fmt>")
@allowed(Action.READ_FIGURES)
def chart(name: str, fmt: str) -> Response:
    """A chart of the period as PNG or SVG; ``?hent=1`` downloads it as a file."""
    draw = CHARTS.get(name)
    if draw is None or fmt not in FORMATS:
        abort(404)
    choice = _choice_or_404()
    image = draw(_figures(choice), choice, "png" if fmt == "png" else "svg")
    response = Response(image, mimetype=FORMATS[fmt])
    response.set_etag(hashlib.sha256(image).hexdigest())
    response.cache_control.private = True
    response.cache_control.max_age = CHART_MAX_AGE
    if request.args.get("hent"):
        name = _file_name(name, choice, fmt)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response.make_conditional(request)


@bp.get("/oversigt.xlsx")
@allowed(Action.READ_FIGURES)
def workbook() -> Response:
    """The figures of the page as a workbook: the ``Oversigt`` sheet and the department table."""
    choice = _choice_or_404()
    figures = _figures(choice)
    target = BytesIO()
    write_overview_workbook(target, figures, choice.label)
    response = Response(target.getvalue(), mimetype=XLSX)
    name = _file_name("oversigt", choice, "xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- drill-down ---------------------------------------------------------------------------------


@bp.get("/afdeling/<code>")
@allowed(Action.READ_FIGURES)
def department(code: str) -> str:
    """A department's cases and interventions in the period, largest amounts first."""
    choice = _choice_or_404()
    detail = dashboard.department_detail(db(), actor=actor(), code=code, period=choice.period)
    number = positive_int(request.args.get("side")) or 1
    first = (number - 1) * PER_PAGE
    return render_template(
        "dashboard/department.html",
        choice=choice,
        detail=detail,
        interventions=detail.interventions[first:first + PER_PAGE],
        page=number,
        pages=max(1, -(-len(detail.interventions) // PER_PAGE)),
        first=first,
    )


# --- budgets ------------------------------------------------------------------------------------


def _editable(year: int) -> list[tuple[str, str, budgets.BudgetView | None, str]]:
    """(code, name, stored budget, its amount the Danish way) of the departments the user may
    budget for, in ``year``."""
    user = actor()
    stored = {item.department: item for item in budgets.list_budgets(db(), actor=user, year=year)}
    rows = []
    for item in departments.list_departments(db()):
        code = item.code
        if not permits(user, Action.EDIT_BUDGET, department=code):
            continue
        if item.active or code in stored:
            budget = stored.get(code)
            shown = format_amount(budget.amount) if budget else ""
            rows.append((code, item.name, budget, shown))
    return rows


def _budget_page(
    year: int,
    *,
    typed: dict[str, str] | None = None,
    problems: FieldProblems | None = None,
    conflict: Conflict | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "dashboard/budgets.html",
        year=year,
        rows=_editable(year),
        typed=typed or {},
        problems=problems or FieldProblems(),
        conflict=conflict,
    )
    return page, status


@bp.route("/budget", methods=["GET", "POST"])
@allowed(Action.EDIT_BUDGET)
def budget() -> Response | tuple[str, int]:
    """Enter or change the year's joint-financing budgets of every department in one form."""
    if request.method == "GET":
        year = _year(request.args.get("year"))
        return _budget_page(year)
    form = request.form
    year = _year(form.get("year"))
    rows = _editable(year)
    typed = {code: text(form, f"amount.{code}") for code, _name, _stored, _shown in rows}
    entries = [
        budgets.BudgetEntry(code, number_text(typed[code]),
                            positive_int(form.get(f"version.{code}")))
        for code, _name, _stored, _shown in rows
    ]
    try:
        changed = budgets.save_year_budgets(db(), actor=actor(), year=year, entries=entries)
    except ServiceError as error:
        fields = [f"amount.{code}" for code in typed]
        return _budget_page(year, typed=typed, problems=place_problems(error.problems, fields),
                            status=422)
    except Conflict as error:
        return _budget_page(year, typed=typed, conflict=error, status=409)
    if changed:
        flash(f"Budgetterne for {year} er gemt ({', '.join(changed)}).", "success")
    else:
        flash(f"Ingen budgetter for {year} er ændret.", "success")
    return redirect(url_for("dashboard.budget", year=year))


def _year(value: str | None) -> int:
    """The budget year from a form or link: a year finans keeps, else the current one."""
    year = positive_int(value)
    if year is None or not budgets.FIRST_YEAR <= year <= budgets.LAST_YEAR:
        return today().year
    return year

