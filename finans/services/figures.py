"""Money figures from the database, computed by the engine and nothing else.

:func:`scenario_records` maps the rows to the engine's records explicitly (ORM objects never reach
the engine); everything else hands those records to :mod:`finans.allocation`. So the database's
figures for a period are exactly what ``finans calc`` computes from a dump of it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import Field
from sqlmodel import Session, col, select

from finans.allocation import records
from finans.allocation.eligibility import Eligibility, check_eligibility
from finans.allocation.engine import Allocation, allocate, collector_paused
from finans.allocation.result import calc_document
from finans.allocation.settlement import SettlementMode, Transfer, settle
from finans.services import lookup
from finans.services.refund_rates import rate_rows
from finans.services.settings import eligibility_criteria
from finans.services.values import Money
from finans.store import models
from finans.store.mapping import (
    case_record,
    department_record,
    intervention_record,
    refund_rates_record,
    split_record,
)
from finans.store.rows import columns, fetch, fetch_where_in

SplitIds = dict[str, list[int]]
"""Intervention id → the row ids of its split versions, in the order of its record's versions."""


def scenario_records(
    session: Session,
    *,
    cases: Collection[str] | None = None,
    interventions: Collection[str] | None = None,
    with_decisions: bool = True,
) -> records.Scenario:
    """The database as the engine's records: everything, or only the given cases (by journal
    number) and/or interventions (by id), with the cases they belong to; always every year's
    refund rates.

    ``with_decisions=False`` leaves out the approvals, which no calculation reads; they are half
    the time it takes to read a large municipality.
    """
    scenario, _ = records_with_split_ids(
        session, cases=cases, interventions=interventions, with_decisions=with_decisions
    )
    return scenario


@collector_paused()
def records_with_split_ids(
    session: Session,
    *,
    cases: Collection[str] | None = None,
    interventions: Collection[str] | None = None,
    with_decisions: bool = True,
) -> tuple[records.Scenario, SplitIds]:
    """:func:`scenario_records` and, read with them, the row ids of the split versions (what
    the controller workbook's ``Fordelings-ID`` shows).

    Rows are read as column tuples, with the garbage collector paused (hundreds of thousands of
    small objects, none in a cycle).
    """
    filtered = cases is not None or interventions is not None
    iv_query = columns(models.Intervention).order_by(col(models.Intervention.public_id))
    case_query = columns(models.Case).order_by(col(models.Case.ref))
    if cases is not None:
        iv_query = iv_query.join(models.Case).where(col(models.Case.ref).in_(cases))
        case_query = case_query.where(col(models.Case.ref).in_(cases))
    if interventions is not None:
        iv_query = iv_query.where(col(models.Intervention.public_id).in_(interventions))
    iv_rows = fetch(session, iv_query)
    if interventions is not None:
        case_query = case_query.where(col(models.Case.id).in_({row.case_id for row in iv_rows}))
    case_rows = fetch(session, case_query)
    split_query = columns(models.SplitVersion).order_by(
        col(models.SplitVersion.effective_from), col(models.SplitVersion.id)
    )
    if filtered:
        iv_ids = [row.id for row in iv_rows]
        split_rows = fetch_where_in(
            session, split_query, models.SplitVersion.intervention_id, iv_ids
        )
    else:
        split_rows = fetch(session, split_query)
    decisions = lookup.decisions_by_split(
        session, [row.id for row in split_rows] if filtered else None
    ) if with_decisions else {}
    splits: dict[int, list[records.SplitVersion]] = {}
    ids: dict[int, list[int]] = {}
    for row in split_rows:
        splits.setdefault(row.intervention_id, []).append(
            split_record(row, decisions.get(row.id, []))
        )
        ids.setdefault(row.intervention_id, []).append(row.id or 0)
    teams = lookup.core_teams(session)
    refs = {row.id: row.ref for row in case_rows}
    departments = session.exec(select(models.Department).order_by(col(models.Department.code)))
    scenario = records.Scenario(
        departments=tuple(department_record(row) for row in departments),
        cases=tuple(case_record(row, teams.get(row.id, [])) for row in case_rows),
        interventions=tuple(
            intervention_record(row, refs[row.case_id], splits.get(row.id, []))
            for row in iv_rows
        ),
        refund_rates=tuple(refund_rates_record(row) for row in rate_rows(session)),
    )
    return scenario, {row.public_id: ids[row.id] for row in iv_rows if row.id in ids}


def allocation(
    session: Session,
    *,
    period: records.Period,
    case: str | None = None,
    intervention: str | None = None,
) -> Allocation:
    """The engine's allocation for the period: of everything, one case or one intervention."""
    scenario = scenario_records(
        session,
        cases=None if case is None else [case],
        interventions=None if intervention is None else [intervention],
    )
    return allocate(scenario, period)


def settlement(
    session: Session, *, period: records.Period, mode: SettlementMode = "pairwise"
) -> list[Transfer]:
    """The internal transfers that settle the period (docs/calculation.md)."""
    return settle(allocate(scenario_records(session, with_decisions=False), period), mode)


@dataclass(frozen=True, slots=True)
class PeriodView:
    """A period of days, both inclusive."""

    start: Annotated[date, Field(serialization_alias="from")]
    end: Annotated[date, Field(serialization_alias="to")]


@dataclass(frozen=True, slots=True)
class TransferView:
    """One internal transfer: ``from_`` sends ``amount`` øre to ``to``."""

    from_: Annotated[str, Field(serialization_alias="from")]
    to: str
    amount: Money


@dataclass(frozen=True, slots=True)
class SettlementReport:
    """The transfers that settle a period, netted per pair (``pairwise``) or the fewest
    (``minimal``)."""

    period: PeriodView
    mode: SettlementMode
    settlement: tuple[TransferView, ...]


def settlement_report(
    session: Session, *, period: records.Period, mode: SettlementMode = "pairwise"
) -> SettlementReport:
    """:func:`settlement` with the period and mode it is for."""
    transfers = settlement(session, period=period, mode=mode)
    return SettlementReport(
        PeriodView(period.start, period.end), mode,
        tuple(TransferView(t.from_, t.to, t.amount) for t in transfers),
    )


def eligibility(session: Session) -> dict[str, Eligibility]:
    """Every case's eligibility under the municipality's criteria."""
    return check_eligibility(
        scenario_records(session, with_decisions=False), eligibility_criteria(session)
    )


def calc_json(
    session: Session, *, period: records.Period, mode: SettlementMode = "pairwise"
) -> str:
    """The ``finans calc`` JSON text (docs/calculation.md) for the database's data and criteria,
    written as ``finans calc`` writes it: its lines straight from the engine's months."""
    return calc_document(
        scenario_records(session, with_decisions=False), period, mode,
        eligibility_criteria(session),
    )
