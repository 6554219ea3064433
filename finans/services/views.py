"""What the services hand back about a record: its scenario fields (docs/scenario.md) as typed
values, plus what a screen or an API client needs to act on it — its ``version`` for the next
save, a split's row ``id``, resolved shares and which departments have still to answer.

The views are frozen dataclasses; the API writes them as JSON through the annotations of
:mod:`finans.services.values` (and describes them in its OpenAPI document from the same types),
the screens format their values for people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Generic, Literal, TypeVar, overload

from finans.services.values import OMITTED_IF_EMPTY, DecimalText, Moment, Money, Share
from finans.store import models
from finans.store.mapping import parties
from finans.store.rows import CaseRow, DecisionRow, InterventionRow, SplitRow

KeyT = TypeVar("KeyT")
ViewT = TypeVar("ViewT")

Per = Literal["once", "week", "month", "year"]
Method = Literal["fixed", "equal", "weighted", "savings"]
Status = Literal["draft", "proposed", "agreed", "rejected"]
Answer = Literal["approve", "reject"]
Weights = Mapping[str, DecimalText]
"""Department code → a method's input for it (percent, points or kroner), as given."""


@dataclass(frozen=True, slots=True)
class DepartmentView:
    """A department (budget holder); ``account`` is its account string in the finance system."""

    code: str
    name: str
    account: str
    active: bool
    version: int


@dataclass(frozen=True, slots=True)
class CaseView:
    """A family's joint case, known by its journal number; ``core_team`` are department codes."""

    ref: str
    family: str
    coordinator: str
    consent: bool
    assessed_on: Annotated[date | None, OMITTED_IF_EMPTY] = None
    core_team: tuple[str, ...] = ()
    version: int = 1


@dataclass(frozen=True, slots=True)
class CostView:
    """What an intervention costs: ``amount`` øre ``per`` period from ``start`` to ``end``."""

    amount: Money
    per: Per
    start: date
    end: Annotated[date | None, OMITTED_IF_EMPTY] = None


@dataclass(frozen=True, slots=True)
class DecisionView:
    """A department's answer to a proposed split version (``by`` a person, maybe at the
    joint meeting on a representative's word)."""

    department: str
    decision: Answer
    by: str
    at: Annotated[Moment | None, OMITTED_IF_EMPTY] = None
    at_meeting: bool = False
    reason: Annotated[str, OMITTED_IF_EMPTY] = ""


@dataclass(frozen=True, slots=True)
class SplitView:
    """A split version: from ``effective_from`` on, ``method`` with its inputs decides the
    shares (``resolved``, exact, shares of 0 left out).

    Attributes:
      alpha: the weight on responsibility (``weighted`` only).
      shares, departments, responsibility, benefit, savings: the method's inputs; only the
        chosen method's are given.
      awaiting: departments with a share that have not answered a proposal.
    """

    effective_from: date
    method: Method
    status: Status
    alpha: Annotated[DecimalText | None, OMITTED_IF_EMPTY] = None
    shares: Annotated[Weights | None, OMITTED_IF_EMPTY] = None
    departments: Annotated[tuple[str, ...] | None, OMITTED_IF_EMPTY] = None
    responsibility: Annotated[Weights | None, OMITTED_IF_EMPTY] = None
    benefit: Annotated[Weights | None, OMITTED_IF_EMPTY] = None
    savings: Annotated[Weights | None, OMITTED_IF_EMPTY] = None
    rationale: Annotated[str, OMITTED_IF_EMPTY] = ""
    proposed_by: str = ""
    proposed_at: Moment | None = None
    decisions: Annotated[tuple[DecisionView, ...], OMITTED_IF_EMPTY] = ()
    id: int = 0
    intervention: str = ""
    version: int = 1
    resolved: Mapping[str, Share] = field(default_factory=dict)
    awaiting: tuple[str, ...] = ()

    def inputs(self) -> dict[str, object]:
        """The method's inputs by name (``alpha`` included), as the form and preview take them."""
        named = {"alpha": self.alpha, "shares": self.shares, "departments": self.departments,
                 "responsibility": self.responsibility, "benefit": self.benefit,
                 "savings": self.savings}
        return {name: value for name, value in named.items() if value is not None}


@dataclass(frozen=True, slots=True)
class InterventionView:
    """An intervention of a case with its cost and every split version, oldest first.

    Attributes:
      refundable: its cost counts toward the state refund.
      account: the account string the payer books it on, when not the payer's own.
    """

    id: str
    case: str
    title: str
    legal_basis: str
    granted_by: str
    paid_by: str
    cost: CostView
    refundable: bool
    account: Annotated[str | None, OMITTED_IF_EMPTY]
    splits: tuple[SplitView, ...]
    version: int


@dataclass(frozen=True, slots=True)
class AwaitedAnswer:
    """A department's answer still awaited on a proposed split version (``split`` is its id),
    with what the queue shows of its intervention and case; ``age_days`` since it was proposed."""

    split: int
    version: int
    intervention: str
    title: str
    case: str
    family: str
    effective_from: date
    department: str
    proposed_by: str
    proposed_at: Moment
    age_days: int


def department_view(row: models.Department) -> DepartmentView:
    return DepartmentView(row.code, row.name, row.account, row.active, row.version)


def case_view(row: CaseRow, core_team: Sequence[str]) -> CaseView:
    return CaseView(
        ref=row.ref, family=row.family, coordinator=row.coordinator, consent=row.consent,
        assessed_on=row.assessed_on, core_team=tuple(sorted(core_team)), version=row.version,
    )


def awaiting(row: SplitRow, decisions: Sequence[DecisionRow]) -> tuple[str, ...]:
    """Departments with a share that have not answered a proposed version yet."""
    if row.status != "proposed":
        return ()
    answered = {decision.department for decision in decisions}
    return tuple(code for code in parties(row) if code not in answered)


def decision_view(row: DecisionRow) -> DecisionView:
    return DecisionView(
        department=row.department,
        decision=row.decision,  # type: ignore[arg-type]  # the column holds one of the answers
        by=row.decided_by, at=row.decided_at, at_meeting=row.at_meeting, reason=row.reason,
    )


def _weights(stored: Mapping[str, str] | None) -> dict[str, Decimal] | None:
    return None if stored is None else {code: Decimal(text) for code, text in stored.items()}


def split_view(row: SplitRow, decisions: Sequence[DecisionRow], intervention: str) -> SplitView:
    """The version with its ``id``, ``intervention``, ``version``, exact ``resolved`` shares and
    the departments it is ``awaiting``."""
    inputs = row.inputs
    departments = inputs.get("departments")
    return SplitView(
        effective_from=row.effective_from,
        method=row.method,  # type: ignore[arg-type]  # the column holds one of the methods
        status=row.status,  # type: ignore[arg-type]  # and one of the statuses
        alpha=None if row.alpha is None else Decimal(row.alpha),
        shares=_weights(inputs.get("shares")),
        departments=None if departments is None else tuple(departments),
        responsibility=_weights(inputs.get("responsibility")),
        benefit=_weights(inputs.get("benefit")),
        savings=_weights(inputs.get("savings")),
        rationale=row.rationale,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        decisions=tuple(decision_view(decision) for decision in decisions),
        id=row.id or 0,
        intervention=intervention,
        version=row.version,
        resolved={code: Fraction(text) for code, text in sorted(row.shares.items())},
        awaiting=awaiting(row, decisions),
    )


def cost_view(row: InterventionRow) -> CostView:
    return CostView(
        amount=row.amount,
        per=row.per,  # type: ignore[arg-type]  # the column holds one of the periods
        start=row.start,
        end=row.end,
    )


def intervention_view(
    row: InterventionRow, case_ref: str, splits: Sequence[SplitView]
) -> InterventionView:
    return InterventionView(
        id=row.public_id, case=case_ref, title=row.title, legal_basis=row.legal_basis,
        granted_by=row.granted_by, paid_by=row.paid_by, cost=cost_view(row),
        refundable=row.refundable, account=row.account or None, splits=tuple(splits),
        version=row.version,
    )


class Listing(Sequence[ViewT], Generic[KeyT, ViewT]):
    """The views of many records in a fixed order, built only for the part that is asked for.

    It holds each record's key; a slice reads the rows of its keys in a few queries whatever its
    length, so a page of a list of 20,000 interventions costs what the page holds.
    """

    def __init__(self, keys: list[KeyT], views: Callable[[list[KeyT]], list[ViewT]]) -> None:
        self._keys = keys
        self._views = views

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> ViewT: ...

    @overload
    def __getitem__(self, index: slice) -> list[ViewT]: ...

    def __getitem__(self, index: int | slice) -> ViewT | list[ViewT]:
        if isinstance(index, slice):
            return self._views(self._keys[index])
        return self._views([self._keys[index]])[0]

    def __iter__(self) -> Iterator[ViewT]:
        return iter(self[:])
