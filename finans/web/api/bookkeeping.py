"""Postings for the finance system and closed months over HTTP (finance and administrators).

``postings`` gives the posting file of the months a period touches (``format=csv`` or ``g69``) or,
with ``format=json``, the sums to check it by; ``periods`` lists the closed months and closes more
(see :mod:`finans.services.bookkeeping` and :mod:`finans.services.closing`).
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, current_app

from finans.allocation.money import format_ore
from finans.allocation.postings import Entry
from finans.ledger import MEDIA_TYPES, Format
from finans.services import bookkeeping, closing
from finans.store.timestamps import to_text
from finans.web.api.common import (
    actor,
    invalid,
    json_body,
    json_response,
    query_choice,
    query_period,
)
from finans.web.database import db

bp = Blueprint("bookkeeping", __name__)
FORMATS = ("csv", "g69", "json")


def _entry_json(entry: Entry) -> dict[str, str]:
    return {"posted_in": entry.posted_in, "month": entry.month,
            "kind": "refund" if entry.is_refund else "allocation",
            "intervention": entry.intervention, "case": entry.case,
            "department": entry.department, "paid_by": entry.paid_by,
            "amount": format_ore(entry.amount)}


def _summary_json(found: bookkeeping.Postings) -> dict[str, object]:
    summary = bookkeeping.summarise(found)
    period = found.period
    return {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "months": list(found.months),
        "closed_through": found.closed_through,
        "legs": summary.legs,
        "balanced": summary.balanced,
        "dates": {day: {"debit": format_ore(sums.debit), "credit": format_ore(sums.credit)}
                  for day, sums in summary.days.items()},
        "accounts": {account: {"debit": format_ore(sums.debit), "credit": format_ore(sums.credit)}
                     for account, sums in summary.accounts.items()},
        "departments": {code: format_ore(net) for code, net in summary.departments.items()},
        "refunds": {code: format_ore(net) for code, net in summary.refunds.items()},
        "corrections": [_entry_json(entry) for entry in summary.corrections],
    }


@bp.get("/postings")
def postings() -> Response:
    """The postings of every month ``from``..``to`` touches: a ``csv`` or ``g69`` file, or with
    ``format=json`` the sums per date, account string and department."""
    file_format = query_choice("format", FORMATS, "csv")
    period = query_period()
    found = bookkeeping.postings(db(), actor=actor(), period=period)
    if file_format == "json":
        return json_response(_summary_json(found))
    chosen: Format = "g69" if file_format == "g69" else "csv"
    target = BytesIO()
    bookkeeping.write_file(found, target, chosen, current_app.config["FINANS_G69"])
    name = bookkeeping.file_name(period, chosen)
    return Response(target.getvalue(), content_type=MEDIA_TYPES[chosen],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _closing_json(state: closing.Closing) -> dict[str, object]:
    return {
        "closed_through": state.closed_through,
        "first_open": state.first_open,
        "months": [{"month": m.month, "closed_at": to_text(m.closed_at), "closed_by": m.closed_by}
                   for m in state.months],
    }


@bp.get("/periods")
def list_periods() -> Response:
    """The months closed for postings, oldest first."""
    return json_response(_closing_json(closing.closed_months(db(), actor=actor())))


@bp.post("/periods")
def close_periods() -> Response:
    """Close every month up to and including ``month`` (``YYYY-MM``); closing again is a no-op."""
    data = json_body()
    if "month" not in data:
        raise invalid("missing", "Feltet 'month' mangler (ÅÅÅÅ-MM)", "month")
    result = closing.close_months(db(), actor=actor(), month=data["month"])
    return json_response({
        "closed": list(result.closed),
        "closed_through": result.closed_through,
        "entries": result.entries,
        "corrections": result.corrections,
    })



