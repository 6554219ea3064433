"""Postings for the finance system and closed months over HTTP (finance and administrators).

``postings`` gives the posting file of the months a period touches (``format=csv`` or ``g69``) or,
with ``format=json``, the sums to check it by; ``periods`` lists the closed months and closes more
(see :mod:`finans.services.bookkeeping` and :mod:`finans.services.closing`). The JSON answers are
the services' results in the shapes of docs/postings.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Annotated, Literal

from flask import Blueprint, Response, current_app
from pydantic import Field

from finans.allocation.postings import Balance, Entry
from finans.ledger import MEDIA_TYPES, Format
from finans.services import bookkeeping, closing
from finans.services.closing import ClosedMonth, CloseResult
from finans.services.documents import MonthText
from finans.services.figures import PeriodView
from finans.services.values import Money
from finans.web.api import bodies
from finans.web.api.common import actor, invalid, json_body, query_choice, query_period
from finans.web.api.operations import (
    CONFLICT,
    FIGURES,
    FORBIDDEN,
    INVALID,
    PERIOD_ONLY,
    UNAUTHORIZED,
    Query,
    operation,
)
from finans.web.database import db

bp = Blueprint("bookkeeping", __name__)
TAG = "Bogføring"
FORMATS = ("csv", "g69", "json")
CorrectionKind = Literal["allocation", "refund"]
FORMAT = Query("format", {"type": "string", "enum": list(FORMATS), "default": "csv"},
               "csv (Excel), g69 (Prisme) or json (the sums)")


@dataclass(frozen=True, slots=True)
class DebitCredit:
    """Σ debit and Σ credit."""

    debit: Money
    credit: Money


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction of a closed month, posted in the first open one."""

    posted_in: MonthText
    month: MonthText
    kind: Annotated[CorrectionKind,
                    Field(description="Corrects an allocation or the refund's share-back")]
    intervention: str
    case: str
    department: str
    paid_by: str
    amount: Annotated[Money, Field(description="What the closed month gives now minus what it "
                                               "posted (negative: taken back)")]


@dataclass(frozen=True, slots=True)
class PostingSummary:
    """The sums to check a posting file by before it is loaded.

    Attributes:
      dates, accounts: Σ debit and Σ credit per posting date and per account string.
      departments: debit − credit of each department's legs.
      refunds: debit − credit of each department's legs passing on the state refund.
    """

    period: PeriodView
    months: tuple[MonthText, ...]
    closed_through: MonthText | None
    legs: int
    balanced: bool
    dates: dict[str, DebitCredit]
    accounts: dict[str, DebitCredit]
    departments: dict[str, Money]
    refunds: dict[str, Money]
    corrections: tuple[Correction, ...]


@dataclass(frozen=True, slots=True)
class ClosingView:
    """The months closed for postings, oldest first; ``first_open`` is where corrections go."""

    closed_through: MonthText | None
    first_open: MonthText | None
    months: tuple[ClosedMonth, ...]


def _sums(found: dict[str, Balance]) -> dict[str, DebitCredit]:
    return {key: DebitCredit(sums.debit, sums.credit) for key, sums in found.items()}


def _correction(entry: Entry) -> Correction:
    kind: CorrectionKind = "refund" if entry.is_refund else "allocation"
    return Correction(entry.posted_in, entry.month, kind, entry.intervention, entry.case,
                      entry.department, entry.paid_by, entry.amount)


def _summary(found: bookkeeping.Postings) -> PostingSummary:
    summary = bookkeeping.summarise(found)
    period = found.period
    return PostingSummary(
        PeriodView(period.start, period.end), found.months, found.closed_through, summary.legs,
        summary.balanced, _sums(summary.days), _sums(summary.accounts), summary.departments,
        summary.refunds, tuple(_correction(entry) for entry in summary.corrections),
    )


@bp.get("/postings")
@operation("The postings for the finance system of every month the period touches (finance and "
           "administrators): a csv file, a g69 (Prisme) file, or their sums as json", tag=TAG,
           answer=PostingSummary, files=("text/csv", "text/plain"),
           query=(*PERIOD_ONLY, FORMAT), refusals=FIGURES)
def postings() -> Response | PostingSummary:
    """The postings of every month ``from``..``to`` touches: a ``csv`` or ``g69`` file, or with
    ``format=json`` the sums per date, account string and department."""
    file_format = query_choice("format", FORMATS, "csv")
    period = query_period()
    found = bookkeeping.postings(db(), actor=actor(), period=period)
    if file_format == "json":
        return _summary(found)
    chosen: Format = "g69" if file_format == "g69" else "csv"
    target = BytesIO()
    bookkeeping.write_file(found, target, chosen, current_app.config["FINANS_G69"])
    name = bookkeeping.file_name(period, chosen)
    return Response(target.getvalue(), content_type=MEDIA_TYPES[chosen],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/periods")
@operation("The months closed for postings", tag=TAG, answer=ClosingView,
           refusals=(UNAUTHORIZED, FORBIDDEN))
def list_periods() -> ClosingView:
    """The months closed for postings, oldest first."""
    state = closing.closed_months(db(), actor=actor())
    return ClosingView(state.closed_through, state.first_open, state.months)


@bp.post("/periods")
@operation("Close every month up to and including the one given (finance and administrators); "
           "closing again changes nothing", tag=TAG, answer=CloseResult, body=bodies.CloseInput,
           refusals=(UNAUTHORIZED, FORBIDDEN, CONFLICT, INVALID))
def close_periods() -> CloseResult:
    """Close every month up to and including ``month`` (``YYYY-MM``); closing again is a no-op."""
    data = json_body()
    if "month" not in data:
        raise invalid("missing", "Feltet 'month' mangler (ÅÅÅÅ-MM)", "month")
    return closing.close_months(db(), actor=actor(), month=data["month"])
