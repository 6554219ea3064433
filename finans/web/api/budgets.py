"""Yearly joint-financing budgets per department over HTTP (see :mod:`finans.services.budgets`)."""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from finans.allocation.problems import Problem
from finans.services import budgets
from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.web.api.common import (
    ApiRefusal,
    actor,
    created,
    json_body,
    json_response,
    page,
    query_int,
    query_text,
    split_version,
)
from finans.web.database import db

bp = Blueprint("budgets", __name__)
YEAR = "<int:year>"


def _year(year: int) -> int:
    """A budget year from a path; one outside the years budgets are kept for names nothing."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiRefusal(404, [Problem("not_found", f"Budgetter føres for årene {FIRST_YEAR}–"
                                       f"{LAST_YEAR}.", "")])
    return year


@bp.get("/budgets")
def list_budgets() -> Response:
    year = query_int("year", 0, FIRST_YEAR, LAST_YEAR) or None
    return page(budgets.list_budgets(db(), actor=actor(), year=year,
                                     department=query_text("department")))


@bp.get(f"/budgets/<department>/{YEAR}")
def get_budget(department: str, year: int) -> Response:
    return json_response(budgets.get_budget(db(), actor=actor(), department=department,
                                            year=_year(year)))


@bp.post("/budgets")
def create_budget() -> Response:
    made = budgets.create_budget(db(), actor=actor(), data=json_body())
    return created(made, url_for(".get_budget", department=made["department"], year=made["year"]))


@bp.route(f"/budgets/<department>/{YEAR}", methods=["PUT", "PATCH"])
def update_budget(department: str, year: int) -> Response:
    version, data = split_version(json_body())
    return json_response(budgets.update_budget(
        db(), actor=actor(), department=department, year=_year(year), version=version, data=data,
    ))
