"""The contract documents the services hand on as they are: the calculator's result (``finans
calc``, docs/calculation.md) and the whole database as scenario JSON (``finans dump``,
docs/scenario.md).

Their JSON is the contract, byte for byte, so they stay plain JSON values; these types say what
that JSON holds, for the code that reads it and for the API's OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, WithJsonSchema
from typing_extensions import TypedDict

from finans.allocation.problems import Problem
from finans.services.values import AMOUNT_PATTERN

AmountText = Annotated[str, WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN,
                                            "description": "Kroner with two decimals and a dot"})]
IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
MonthText = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="A calendar month, "
                                                                       "YYYY-MM")]

PeriodDocument = TypedDict("PeriodDocument", {"from": IsoDate, "to": IsoDate})
TransferDocument = TypedDict(
    "TransferDocument", {"from": str, "to": str, "amount": AmountText}
)


class LineDocument(TypedDict):
    """What one department finances of one intervention in one month."""

    intervention: str
    case: str
    month: MonthText
    department: str
    amount: AmountText


class UnsplitDocument(TypedDict):
    """Days of an intervention that no agreed split covers (its ``paid_by`` pays them)."""

    intervention: str
    case: str
    paid_by: str
    days: Annotated[int, Field(ge=1)]


class EligibilityDocument(TypedDict):
    eligible: bool
    unmet: list[str]


class RefundDocument(TypedDict):
    """The state refund of one case's household in one month, shared back to the departments."""

    case: str
    month: MonthText
    basis: AmountText
    amount: AmountText
    departments: dict[str, AmountText]


class CalcDocument(TypedDict):
    """The calculator's result for a period (docs/calculation.md)."""

    period: PeriodDocument
    lines: list[LineDocument]
    totals: dict[str, AmountText]
    total: AmountText
    settlement: list[TransferDocument]
    unsplit: list[UnsplitDocument]
    eligibility: dict[str, EligibilityDocument]
    refunds: list[RefundDocument]
    refund_totals: dict[str, AmountText]
    net_totals: dict[str, AmountText]
    refund_missing_years: list[Annotated[str, Field(pattern=r"^\d{4}$",
                                                    description="Years without refund rates")]]
    errors: Annotated[list[Problem], Field(max_length=0)]


class ScenarioDocument(TypedDict):
    """The whole database as scenario JSON (docs/scenario.md)."""

    departments: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    interventions: list[dict[str, Any]]
    refund: dict[str, Any]
