"""Yearly joint-financing budgets per department over HTTP (see :mod:`finans.services.budgets`)."""

from __future__ import annotations

from flask import Blueprint, url_for

from finans.services import budgets
from finans.services.budgets import FIRST_YEAR, LAST_YEAR, BudgetView
from finans.web.api import bodies
from finans.web.api.common import (
    actor,
    json_body,
    kept_year,
    query_int,
    query_text,
    split_version,
)
from finans.web.api.operations import (
    FIGURES,
    PAGED,
    READ_ONE,
    UPDATE,
    WRITE,
    Created,
    Page,
    Query,
    operation,
    page,
)
from finans.web.database import db

bp = Blueprint("budgets", __name__)
YEAR = "<int:year>"
TAG = "Budgetter"
FILTERS = (
    Query("year", {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
          "Only this year"),
    Query("department", {"type": "string"}, "Only this department"),
)


@bp.get("/budgets")
@operation("List budgets", tag=TAG, answer=Page[BudgetView], query=(*FILTERS, *PAGED),
           refusals=FIGURES)
def list_budgets() -> Page[BudgetView]:
    year = query_int("year", 0, FIRST_YEAR, LAST_YEAR) or None
    return page(budgets.list_budgets(db(), actor=actor(), year=year,
                                     department=query_text("department")))


@bp.get(f"/budgets/<department>/{YEAR}")
@operation("One budget", tag=TAG, answer=BudgetView, refusals=READ_ONE)
def get_budget(department: str, year: int) -> BudgetView:
    year = kept_year(year, "Budgetter")
    return budgets.get_budget(db(), actor=actor(), department=department, year=year)


@bp.post("/budgets")
@operation("Create a budget", tag=TAG, answer=BudgetView, status=201, body=bodies.BudgetInput,
           refusals=WRITE)
def create_budget() -> Created[BudgetView]:
    made = budgets.create_budget(db(), actor=actor(), data=json_body())
    return Created(made, url_for(".get_budget", department=made.department, year=made.year))


@bp.route(f"/budgets/<department>/{YEAR}", methods=["PUT", "PATCH"])
@operation("Change a budget (send the version you read)", tag=TAG, answer=BudgetView,
           body=bodies.BudgetUpdate, refusals=UPDATE)
def update_budget(department: str, year: int) -> BudgetView:
    year = kept_year(year, "Budgetter")
    version, data = split_version(json_body())
    return budgets.update_budget(
        db(), actor=actor(), department=department, year=year, version=version, data=data,
    )
