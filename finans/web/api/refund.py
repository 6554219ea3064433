"""The refund's yearly rates over HTTP (see :mod:`finans.services.refund_rates`): everyone reads
them, administrators enter and change them, and a stale change is refused with 409."""

from __future__ import annotations

from flask import Blueprint, url_for

from finans.services import refund_rates
from finans.services.refund_rates import RefundRateView
from finans.web.api import bodies
from finans.web.api.common import actor, json_body, kept_year, split_version
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


@bp.get("/refund-rates")
@operation("List the refund's yearly rates", tag=TAG, answer=Page[RefundRateView], query=PAGED,
           refusals=(UNAUTHORIZED, INVALID))
def list_rates() -> Page[RefundRateView]:
    return page(refund_rates.list_rates(db(), actor=actor()))


@bp.get(f"/refund-rates/{YEAR}")
@operation("One year's refund rates", tag=TAG, answer=RefundRateView, refusals=READ_ONE)
def get_rate(year: int) -> RefundRateView:
    year = kept_year(year, "Refusionssatser")
    return refund_rates.get_rate(db(), actor=actor(), year=year)


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
    year = kept_year(year, "Refusionssatser")
    version, data = split_version(json_body())
    return refund_rates.update_rate(db(), actor=actor(), year=year, version=version, data=data)
