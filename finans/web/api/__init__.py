"""The JSON API under ``/api/v1`` (docs/api.md), authenticated by bearer tokens.

:func:`register` adds it to the app: the ``api`` blueprint (authentication, JSON errors, health and
the OpenAPI document) with one nested blueprint per area, all exempt from the CSRF check that
protects the log-in session's forms, because the API never reads that session.
"""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import text

from finans.web.api import (
    bookkeeping,
    budgets,
    figures,
    openapi,
    records,
    refund,
    tokens,
    transfer,
)
from finans.web.api.common import bp, json_response
from finans.web.database import db
from finans.web.errors import RETRY_AFTER_SECONDS

AREAS = (records.bp, budgets.bp, refund.bp, figures.bp, transfer.bp, tokens.bp, bookkeeping.bp)
for _area in AREAS:
    bp.register_blueprint(_area)


@bp.get("/healthz")
def health() -> Response:
    """Whether the service and its database answer; no authentication."""
    try:
        db().execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unavailable
        return json_response({"status": "unavailable"}, 503,
                             {"Retry-After": str(RETRY_AFTER_SECONDS)})
    return json_response({"status": "ok"})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3 description of this API; no authentication."""
    return json_response(openapi.DOCUMENT)


def register(app: Flask) -> None:
    """Add the API to ``app`` (and ``/healthz`` at the root for load balancers)."""
    app.register_blueprint(bp)
    app.add_url_rule("/healthz", "healthz", health)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
        for area in AREAS:
            csrf.exempt(area)
