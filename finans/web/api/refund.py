"""The refund's yearly rates over HTTP (see :mod:`finans.services.refund_rates`): everyone reads
them, administrators enter and change them, and a stale change is refused with 409."""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from finans.allocation.problems import Problem
from finans.services import refund_rates
from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.web.api.common import (
    ApiRefusal,
    actor,
    created,
    json_body,
    json_response,
    page,
    split_version,
)
from finans.web.database import db

bp = Blueprint("refund", __name__)
YEAR = "<int:year>"


def _year(year: int) -> int:
    """A year from a path; one outside the years rates are kept for names nothing."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiRefusal(404, [Problem("not_found", f"Refusionssatser føres for årene "
                                       f"{FIRST_YEAR}–{LAST_YEAR}.", "")])
    return year


@bp.get("/refund-rates")
def list_rates() -> Response:
    return page(refund_rates.list_rates(db(), actor=actor()))


@bp.get(f"/refund-rates/{YEAR}")
def get_rate(year: int) -> Response:
    return json_response(refund_rates.get_rate(db(), actor=actor(), year=_year(year)))


@bp.post("/refund-rates")
def create_rate() -> Response:
    made = refund_rates.create_rate(db(), actor=actor(), data=json_body())
    return created(made, url_for(".get_rate", year=made["year"]))


@bp.route(f"/refund-rates/{YEAR}", methods=["PUT", "PATCH"])
def update_rate(year: int) -> Response:
    version, data = split_version(json_body())
    return json_response(refund_rates.update_rate(
        db(), actor=actor(), year=_year(year), version=version, data=data,
    ))
