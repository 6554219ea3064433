"""Immutable, typed records the engine works on.

They are built by :mod:`finans.allocation.validation` from scenario JSON (or by adapters from the
database or a workbook) and are always valid: the engine never re-checks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from finans.allocation.money import Ore

DepartmentCode = str
CaseRef = str
InterventionId = str
Weights = tuple[tuple[DepartmentCode, Decimal], ...]
"""Department → non-negative decimal input, sorted by code (percent, points or kroner by method)."""


class Per(StrEnum):
    """How often a cost amount falls (docs/calculation.md, "Cost schedules")."""

    ONCE = "once"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Method(StrEnum):
    """How a split version's shares are derived from its inputs (docs/calculation.md)."""

    FIXED = "fixed"
    EQUAL = "equal"
    WEIGHTED = "weighted"
    SAVINGS = "savings"


class Status(StrEnum):
    """Workflow state of a split version; only ``agreed`` versions finance anything."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive date range ``start``..``end``."""

    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Department:
    """A budget holder.

    Attributes:
      code: short unique code such as ``BFH``; the tie-break order of rounding.
      name: the department's Danish name.
      account: the account string controllers book on (``5.28.21``).
    """

    code: DepartmentCode
    name: str
    account: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """One family's joint case, identified by journal number (never a CPR number).

    Attributes:
      ref: journal number, e.g. ``S-2026-0001``.
      family: a label for people (``Familie Jensen``), not an identity.
      coordinator: the family coordinator's user name.
      consent: the family agreed to a cross-department solution.
      assessed_on: date of the joint assessment, if held.
      core_team: codes of the departments in the core team.
    """

    ref: CaseRef
    family: str = ""
    coordinator: str = ""
    consent: bool = False
    assessed_on: date | None = None
    core_team: tuple[DepartmentCode, ...] = ()


@dataclass(frozen=True, slots=True)
class CostSchedule:
    """What an intervention costs over time (docs/calculation.md, "Cost schedules").

    Attributes:
      amount: øre per ``per`` (the whole amount for ``once``).
      per: ``once``, ``week``, ``month`` or ``year``.
      start: first day, inclusive.
      end: last day, inclusive; ``None`` is open-ended; ignored for ``once``.
    """

    amount: Ore
    per: Per
    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A department's approval or rejection of a split version (kept, never used in arithmetic).

    Attributes:
      department: the deciding department.
      decision: ``approve`` or ``reject``.
      by: who decided (user name, or the representative's name at a meeting).
      at: ISO timestamp text.
      at_meeting: recorded by the coordinator on the representative's word at the meeting.
      reason: free text, required for a rejection by the workflow.
    """

    department: DepartmentCode
    decision: str
    by: str = ""
    at: str = ""
    at_meeting: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SplitVersion:
    """One version of an intervention's lagkage, in force from ``effective_from`` once agreed.

    Only the inputs of its ``method`` are filled; the others stay empty. Resolve the shares with
    :func:`finans.allocation.shares.resolve_shares`.

    Attributes:
      effective_from: first day this version applies.
      method: ``fixed``, ``equal``, ``weighted`` or ``savings``.
      status: ``draft``, ``proposed``, ``agreed`` or ``rejected``.
      shares: ``fixed`` percentages (summing to exactly 100).
      departments: ``equal`` participants.
      alpha: ``weighted`` weight on responsibility, in [0, 1].
      responsibility: ``weighted`` responsibility points.
      benefit: ``weighted`` benefit points.
      savings: ``savings`` expected avoided cost in kroner.
      rationale: why this split (begrundelse).
      decisions: the approvals and rejections given so far.
    """

    effective_from: date
    method: Method
    status: Status
    shares: Weights = ()
    departments: tuple[DepartmentCode, ...] = ()
    alpha: Decimal = Decimal("0.5")
    responsibility: Weights = ()
    benefit: Weights = ()
    savings: Weights = ()
    rationale: str = ""
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True, slots=True)
class Intervention:
    """Something the family receives that costs money.

    Attributes:
      id: unique id such as ``I-17``.
      case: the case's journal number.
      title: e.g. ``Aflastning``.
      legal_basis: e.g. ``Barnets lov § 32``.
      granted_by: the department with authority to grant it.
      paid_by: the department that pays the invoices and bears unsplit days.
      cost: its cost schedule.
      splits: its split versions, in any order.
      refundable: its cost counts towards the state refund for expensive cases.
      account: the account string its cost is booked on by the paying department, when it is
        not that department's own (``5.57.72`` for cash benefits); ``None`` when not given.
    """

    id: InterventionId
    case: CaseRef
    title: str
    legal_basis: str
    granted_by: DepartmentCode
    paid_by: DepartmentCode
    cost: CostSchedule
    splits: tuple[SplitVersion, ...] = ()
    refundable: bool = False
    account: str | None = None


@dataclass(frozen=True, slots=True)
class RefundRates:
    """One year's rates of the state refund for expensive cases (docs/calculation.md).

    Attributes:
      year: the calendar year they apply to.
      thresholds: the tiers' lower bounds in øre per year, strictly ascending, the first ≥ 0.
      percents: the percent refunded of the cost inside each tier, in [0, 100].
    """

    year: int
    thresholds: tuple[Ore, ...]
    percents: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything the calculator needs: departments, cases, interventions and refund rates.

    Attributes:
      refund_rates: the refund's rates by year, sorted by year; none means no refund.
    """

    departments: tuple[Department, ...]
    cases: tuple[Case, ...]
    interventions: tuple[Intervention, ...]
    refund_rates: tuple[RefundRates, ...] = ()
