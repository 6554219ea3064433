"""The JSON API under ``/api/v1`` (docs/api.md), authenticated by bearer tokens.

:func:`register` adds it to the app: the ``api`` blueprint (authentication, JSON errors, health and
the OpenAPI document) with one nested blueprint per area, all exempt from the CSRF check that
protects the log-in session's forms, because the API never reads that session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from flask import Flask, Response, current_app
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
from finans.web.api.common import bp, json_bytes, json_response
from finans.web.api.operations import operation
from finans.web.database import db
from finans.web.errors import RETRY_AFTER_SECONDS

AREAS = (records.bp, budgets.bp, refund.bp, figures.bp, transfer.bp, tokens.bp, bookkeeping.bp)
for _area in AREAS:
    bp.register_blueprint(_area)
DOCUMENT_KEY = "finans.openapi"


@dataclass(frozen=True, slots=True)
class Health:
    """Whether the service and its database answer."""

    status: Literal["ok", "unavailable"]


@bp.get("/healthz")
@operation("Whether the service and its database answer", tag="Drift", answer=Health,
           also=((503, "The database does not answer"),), refusals=(), public=True)
def health() -> Response:
    """Whether the service and its database answer; no authentication."""
    try:
        db().execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unavailable
        return Response(json_bytes(Health("unavailable"), Health), 503,
                        {"Retry-After": str(RETRY_AFTER_SECONDS)}, mimetype="application/json")
    return Response(json_bytes(Health("ok"), Health), mimetype="application/json")


@bp.get("/openapi.json")
@operation("This description of the API", tag="Drift", answer=dict[str, Any], refusals=(),
           public=True)
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API, made once from the app's routes; no
    authentication."""
    if DOCUMENT_KEY not in current_app.extensions:
        current_app.extensions[DOCUMENT_KEY] = openapi.build_document(
            current_app.url_map, current_app.view_functions
        )
    return json_response(current_app.extensions[DOCUMENT_KEY])


def register(app: Flask) -> None:
    """Add the API to ``app`` (and ``/healthz`` at the root for load balancers)."""
    app.register_blueprint(bp)
    app.add_url_rule("/healthz", "healthz", health)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)
        for area in AREAS:
            csrf.exempt(area)


def document() -> dict[str, Any]:
    """The OpenAPI document of an app holding only the API (the same routes as every app)."""
    app = Flask(__name__)
    register(app)
    return openapi.build_document(app.url_map, app.view_functions)
