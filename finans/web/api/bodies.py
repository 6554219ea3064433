"""What each JSON request body of the API may hold, as types the OpenAPI document is made from.

The services read the body (docs/scenario.md shapes) and refuse what is wrong with located problems,
so these types only describe it; each carries an example that works on the demo municipality
(``finans demo``). Amounts are decimal text (JSON numbers are accepted too, read exactly).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal, NotRequired, TypeVar

from pydantic import ConfigDict, Field, JsonValue, with_config
from typing_extensions import TypedDict

from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.web.api.common import MAX_ID

EXAMPLES: dict[str, dict[str, JsonValue]] = {}
"""Request bodies that work on the demo municipality, by type name."""

TypeT = TypeVar("TypeT", bound=type)


def example(value: dict[str, JsonValue]) -> Callable[[TypeT], TypeT]:
    """Give a body type its example (in the document, and in :data:`EXAMPLES`)."""

    def mark(kind: TypeT) -> TypeT:
        EXAMPLES[kind.__name__] = value
        return with_config(ConfigDict(json_schema_extra={"example": value}))(kind)

    return mark


Version = Annotated[int, Field(ge=1, le=MAX_ID, description="The version of the record the "
                                                            "client read")]
Filled = Annotated[str, Field(min_length=1)]
AmountText = Annotated[str, Field(description="Kroner as decimal text, e.g. \"12000.00\" "
                                              "(numbers are accepted)")]
Per = Literal["once", "week", "month", "year"]
Method = Literal["fixed", "equal", "weighted", "savings"]
WeightTexts = dict[str, Annotated[str, Field(description="Decimal text")]]
ACCOUNT = ("A municipal account string: hovedkonto.hovedfunktion.funktion (5.28.21), optionally "
           "followed by groups of digits or letters after a dot or a space")
Refundable = Annotated[bool | None, Field(description="Counts toward the state refund; null or "
                                                      "left out on creation: the default of its "
                                                      "legal basis")]


@example({"code": "PSY", "name": "Psykiatri", "account": "5.38.40"})
class DepartmentInput(TypedDict):
    code: Filled
    name: Filled
    account: NotRequired[str]
    active: NotRequired[bool]


@example({"version": 1, "account": "5.68.91"})
class DepartmentUpdate(TypedDict):
    version: Version
    name: NotRequired[Filled]
    account: NotRequired[str]
    active: NotRequired[bool]


@example({"ref": "S-2026-0101", "family": "Familie Holm", "consent": True,
          "assessed_on": "2026-03-02", "core_team": ["BFH", "JOB"]})
class CaseInput(TypedDict):
    ref: Filled
    family: NotRequired[str]
    coordinator: NotRequired[str]
    consent: NotRequired[bool]
    assessed_on: NotRequired[date]
    core_team: NotRequired[list[str]]


@example({"version": 1, "consent": True})
class CaseUpdate(TypedDict):
    version: Version
    family: NotRequired[str]
    coordinator: NotRequired[str]
    consent: NotRequired[bool]
    assessed_on: NotRequired[date]
    core_team: NotRequired[list[str]]


class CostInput(TypedDict):
    amount: AmountText
    per: Per
    start: date
    end: NotRequired[date]


@example({
    "case": "S-2025-0001", "title": "Aflastning", "legal_basis": "Barnets lov § 32",
    "granted_by": "BFH", "paid_by": "BFH",
    "cost": {"amount": "12000.00", "per": "month", "start": "2026-01-15", "end": "2026-12-31"},
    "account": "5.57.72",
})
class InterventionInput(TypedDict):
    id: NotRequired[Annotated[str, Field(min_length=1, description="Left out: the next free "
                                                                   "I-<n>")]]
    case: str
    title: Filled
    legal_basis: NotRequired[str]
    granted_by: str
    paid_by: str
    cost: CostInput
    refundable: NotRequired[Refundable]
    account: NotRequired[Annotated[str, Field(description=f"{ACCOUNT}. Left out: the paying "
                                                          "department's own")]]


@example({"version": 1, "title": "Aflastning i weekender"})
class InterventionUpdate(TypedDict):
    version: Version
    case: NotRequired[str]
    title: NotRequired[Filled]
    legal_basis: NotRequired[str]
    granted_by: NotRequired[str]
    paid_by: NotRequired[str]
    cost: NotRequired[CostInput]
    refundable: NotRequired[Refundable]
    account: NotRequired[Annotated[str, Field(description=f"{ACCOUNT}. Left out: kept; empty: "
                                                          "the payer's own again")]]


@example({"effective_from": "2027-01-01", "method": "fixed",
          "shares": {"BFH": "60", "JOB": "40"}, "rationale": "Revurdering"})
class SplitInput(TypedDict):
    effective_from: date
    method: Method
    status: NotRequired[Annotated[Literal["draft", "proposed", "agreed"],
                                  Field(description="agreed only together with meeting")]]
    alpha: NotRequired[str]
    shares: NotRequired[WeightTexts]
    departments: NotRequired[list[str]]
    responsibility: NotRequired[WeightTexts]
    benefit: NotRequired[WeightTexts]
    savings: NotRequired[WeightTexts]
    rationale: NotRequired[str]
    meeting: NotRequired[dict[str, Annotated[str, Field(
        description="Who approved for the department at the joint meeting")]]]


@example({"version": 1, "rationale": "Ny begrundelse"})
class SplitUpdate(TypedDict):
    version: Version
    effective_from: NotRequired[date]
    method: NotRequired[Method]
    status: NotRequired[Literal["draft", "proposed"]]
    alpha: NotRequired[str]
    shares: NotRequired[WeightTexts]
    departments: NotRequired[list[str]]
    responsibility: NotRequired[WeightTexts]
    benefit: NotRequired[WeightTexts]
    savings: NotRequired[WeightTexts]
    rationale: NotRequired[str]


@example({"reason": "Andelen er for høj"})
class DecisionInput(TypedDict):
    reason: NotRequired[Annotated[str, Field(description="Required for a rejection")]]
    version: NotRequired[Version]


@example({"department": "JOB", "year": 2026, "amount": "1250000.00"})
class BudgetInput(TypedDict):
    department: Filled
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    amount: AmountText


@example({"version": 1, "amount": "1300000.00"})
class BudgetUpdate(TypedDict):
    version: Version
    amount: AmountText


Tiers = Annotated[list[AmountText], Field(min_length=3, max_length=3,
                                          description="The tiers' lower bounds per year, "
                                                      "ascending")]
Percents = Annotated[list[Annotated[str, Field(description="Decimal text, 0 to 100")]],
                     Field(min_length=3, max_length=3)]


@example({"year": 2031, "thresholds": ["1050000.00", "2050000.00", "2590000.00"],
          "percents": ["25", "50", "75"], "note": "Reguleret efter satsloven"})
class RefundRateInput(TypedDict):
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
    thresholds: Tiers
    percents: Percents
    note: NotRequired[str]


@example({"version": 1, "note": "Bekræftet af økonomi"})
class RefundRateUpdate(TypedDict):
    version: Version
    thresholds: NotRequired[Tiers]
    percents: NotRequired[Percents]
    note: NotRequired[str]


@example({"month": "2026-03"})
class CloseInput(TypedDict):
    month: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="A calendar month, "
                                                                      "YYYY-MM")]
