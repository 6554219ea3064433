"""The calculator's figures over HTTP: allocation, settlement and the whole scenario.

``allocation`` is the ``finans calc`` JSON for the database's data (computed by
:func:`finans.services.figures.calc`). Each answer is kept as its JSON text per data revision (and
period), so a repeated request costs nothing until something changes.
"""

from __future__ import annotations

from flask import Blueprint, Response

from finans.allocation.money import format_ore
from finans.services import figures, scenario
from finans.services.caching import RevisionCache
from finans.services.policy import Action, require_somewhere
from finans.web.api.common import (
    JSON_TYPE,
    actor,
    dumps,
    query_mode,
    query_period,
)
from finans.web.database import db

bp = Blueprint("figures", __name__)
_results = RevisionCache(6)


def _require_reader() -> None:
    """Figures of every case are for the roles that read all figures (docs/access.md)."""
    require_somewhere(actor(), Action.READ_FIGURES)


@bp.get("/allocation")
def allocation() -> Response:
    """The ``finans calc`` JSON for ``from``..``to`` (``mode``: the settlement's netting)."""
    _require_reader()
    period = query_period()
    mode = query_mode()
    session = db()
    body = _results.get(
        session,
        ("allocation", period, mode),
        lambda: dumps(figures.calc(session, period=period, mode=mode)),
    )
    return Response(body, mimetype=JSON_TYPE)


@bp.get("/settlement")
def settlement() -> Response:
    """The internal transfers that settle ``from``..``to``, pairwise-netted or ``minimal``."""
    _require_reader()
    period = query_period()
    mode = query_mode()
    session = db()

    def compute() -> bytes:
        transfers = figures.settlement(session, period=period, mode=mode)
        return dumps({
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "mode": mode,
            "settlement": [
                {"from": t.from_, "to": t.to, "amount": format_ore(t.amount)} for t in transfers
            ],
        })

    return Response(_results.get(session, ("settlement", period, mode), compute),
                    mimetype=JSON_TYPE)


@bp.get("/scenario")
def whole_scenario() -> Response:
    """The whole database as scenario JSON (docs/scenario.md), as ``finans dump`` writes it."""
    _require_reader()
    session = db()
    body = _results.get(session, "scenario", lambda: dumps(scenario.dump_scenario(session)))
    return Response(body, mimetype=JSON_TYPE)
