"""The calculator's figures over HTTP: allocation, settlement and the whole scenario.

``allocation`` is the ``finans calc`` JSON text for the database's data (written by
:func:`finans.services.figures.calc_json`). Each answer is kept as its JSON text per data revision
(and period), so a repeated request costs nothing until something changes.
"""

from __future__ import annotations

from flask import Blueprint, Response

from finans.services import figures, scenario
from finans.services.caching import RevisionCache
from finans.services.documents import CalcDocument, ScenarioDocument
from finans.services.figures import SettlementReport
from finans.services.policy import Action, require_somewhere
from finans.web.api.common import (
    JSON_TYPE,
    actor,
    dumps,
    json_bytes,
    query_mode,
    query_period,
)
from finans.web.api.operations import FIGURES, FORBIDDEN, PERIOD, UNAUTHORIZED, operation
from finans.web.database import db

bp = Blueprint("figures", __name__)
_results = RevisionCache(6)
TAG = "Tal"


def _require_reader() -> None:
    """Figures of every case are for the roles that read all figures (docs/access.md)."""
    require_somewhere(actor(), Action.READ_FIGURES)


@bp.get("/allocation")
@operation("The calculator's result for the period, exactly as `finans calc` gives it", tag=TAG,
           answer=CalcDocument, query=PERIOD, refusals=FIGURES)
def allocation() -> Response:
    """The ``finans calc`` JSON for ``from``..``to`` (``mode``: the settlement's netting)."""
    _require_reader()
    period = query_period()
    mode = query_mode()
    session = db()
    body = _results.get(
        session,
        ("allocation", period, mode),
        lambda: figures.calc_json(session, period=period, mode=mode).encode("utf-8"),
    )
    return Response(body, mimetype=JSON_TYPE)


@bp.get("/settlement")
@operation("The internal transfers that settle the period", tag=TAG, answer=SettlementReport,
           query=PERIOD, refusals=FIGURES)
def settlement() -> Response:
    """The internal transfers that settle ``from``..``to``, pairwise-netted or ``minimal``."""
    _require_reader()
    period = query_period()
    mode = query_mode()
    session = db()
    body = _results.get(
        session,
        ("settlement", period, mode),
        lambda: json_bytes(figures.settlement_report(session, period=period, mode=mode),
                           SettlementReport),
    )
    return Response(body, mimetype=JSON_TYPE)


@bp.get("/scenario")
@operation("The whole database as scenario JSON, as `finans dump` writes it", tag=TAG,
           answer=ScenarioDocument, refusals=(UNAUTHORIZED, FORBIDDEN))
def whole_scenario() -> Response:
    """The whole database as scenario JSON (docs/scenario.md), as ``finans dump`` writes it."""
    _require_reader()
    session = db()
    body = _results.get(session, "scenario", lambda: dumps(scenario.dump_scenario(session)))
    return Response(body, mimetype=JSON_TYPE)
