"""The refund's yearly rates over HTTP (see :mod:`finans.services.refund_rates`): everyone reads
them, administrators enter and change them, and a stale change is refused with 409."""

from __future__ import annotations

from flask import Blueprint, url_for

from finans.allocation.problems import Problem
from finans.services import refund_rates
from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.services.refund_rates import RefundRateView
from finans.web.api import bodies
from finans.web.api.common import ApiRefusal, actor, json_body, split_version
from finans.web.api.operations import (
    INVALID,
    PAGED,
    READ_ONE,
    UNAUTHORIZED,
    UPDATE,
    WRITE,
    Created,
    Page,
    operation,
    page,
)
from finans.web.database import db

bp = Blueprint("refund", __name__)
YEAR = "<int:year>"
TAG = "Refusion"


def _year(year: int) -> int:
    """A year from a path; one outside the years rates are kept for names nothing."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiRefusal(404, [Problem("not_found", f"Refusionssatser føres for årene "
                                       f"{FIRST_YEAR}–{LAST_YEAR}.", "")])
    return year


@bp.get("/refund-rates")
@operation("List the refund's yearly rates", tag=TAG, answer=Page[RefundRateView], query=PAGED,
           refusals=(UNAUTHORIZED, INVALID))
def list_rates() -> Page[RefundRateView]:
    return page(refund_rates.list_rates(db(), actor=actor()))


@bp.get(f"/refund-rates/{YEAR}")
@operation("One year's refund rates", tag=TAG, answer=RefundRateView, refusals=READ_ONE)
def get_rate(year: int) -> RefundRateView:
    return refund_rates.get_rate(db(), actor=actor(), year=_year(year))


@bp.post("/refund-rates")
@operation("Enter a year's refund rates (administrators)", tag=TAG, answer=RefundRateView,
           status=201, body=bodies.RefundRateInput, refusals=WRITE)
def create_rate() -> Created[RefundRateView]:
    made = refund_rates.create_rate(db(), actor=actor(), data=json_body())
    return Created(made, url_for(".get_rate", year=made.year))


@bp.route(f"/refund-rates/{YEAR}", methods=["PUT", "PATCH"])
@operation("Change a year's refund rates (send the version you read); changed amounts are no "
           "longer the statutory ones", tag=TAG, answer=RefundRateView,
           body=bodies.RefundRateUpdate, refusals=UPDATE)
def update_rate(year: int) -> RefundRateView:
    version, data = split_version(json_body())
    return refund_rates.update_rate(db(), actor=actor(), year=_year(year), version=version,
                                    data=data)
