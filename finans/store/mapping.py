"""Rows ↔ engine records ↔ scenario JSON, written out field by field.

``*_record`` functions build the engine's immutable records from rows (the only way data reaches the
engine), ``*_columns`` functions give the column values a record stores, and ``*_json`` functions
give a row's scenario JSON (docs/scenario.md) with keys in a fixed order, so that dumps are
deterministic.
A row is an ORM object or its column tuple (:mod:`finans.store.rows`); both read the same.
Decimals are kept as the text they were given (``"33.50"`` stays ``"33.50"``); resolved shares are
stored as exact fractions (``"7/12"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from finans.allocation import records
from finans.allocation.money import format_ore
from finans.allocation.records import Method, Per, Status, Weights
from finans.allocation.shares import resolve_shares
from finans.allocation.validation import DEFAULT_ALPHA
from finans.store import models
from finans.store.refund import RefundRate
from finans.store.rows import CaseRow, DecisionRow, InterventionRow, SplitRow
from finans.store.timestamps import from_text, to_text

Json = dict[str, Any]


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text without exponent: ``Decimal("1E+2")`` → ``"100"``."""
    return format(value, "f")


def _weights_json(weights: Weights) -> dict[str, str]:
    return {code: decimal_text(value) for code, value in weights}


def _weights(stored: dict[str, str]) -> Weights:
    return tuple(sorted((code, Decimal(text)) for code, text in stored.items()))


# --- departments --------------------------------------------------------------------------------


def department_record(row: models.Department) -> records.Department:
    return records.Department(code=row.code, name=row.name, account=row.account)


def department_columns(record: records.Department) -> Json:
    return {"code": record.code, "name": record.name, "account": record.account}


def department_json(row: models.Department) -> Json:
    return {"code": row.code, "name": row.name, "account": row.account, "active": row.active}


# --- cases --------------------------------------------------------------------------------------


def case_record(row: CaseRow, core_team: Iterable[str]) -> records.Case:
    return records.Case(
        ref=row.ref,
        family=row.family,
        coordinator=row.coordinator,
        consent=row.consent,
        assessed_on=row.assessed_on,
        core_team=tuple(sorted(core_team)),
    )


def case_columns(record: records.Case) -> Json:
    """The ``cases`` columns of a case; its core team lives in ``case_departments``."""
    return {
        "ref": record.ref,
        "family": record.family,
        "coordinator": record.coordinator,
        "consent": record.consent,
        "assessed_on": record.assessed_on,
    }


def case_json(row: CaseRow, core_team: Iterable[str]) -> Json:
    data: Json = {
        "ref": row.ref,
        "family": row.family,
        "coordinator": row.coordinator,
        "consent": row.consent,
    }
    if row.assessed_on is not None:
        data["assessed_on"] = row.assessed_on.isoformat()
    data["core_team"] = sorted(core_team)
    return data


# --- decisions ----------------------------------------------------------------------------------


def decision_record(row: DecisionRow) -> records.Decision:
    return records.Decision(
        department=row.department,
        decision=row.decision,
        by=row.decided_by,
        at=to_text(row.decided_at) if row.decided_at else "",
        at_meeting=row.at_meeting,
        reason=row.reason,
    )


def decision_columns(record: records.Decision) -> Json:
    return {
        "department": record.department,
        "decision": record.decision,
        "decided_by": record.by,
        "decided_at": from_text(record.at) if record.at else None,
        "at_meeting": record.at_meeting,
        "reason": record.reason,
    }


def decision_json(row: DecisionRow) -> Json:
    data: Json = {"department": row.department, "decision": row.decision, "by": row.decided_by}
    if row.decided_at is not None:
        data["at"] = to_text(row.decided_at)
    data["at_meeting"] = row.at_meeting
    if row.reason:
        data["reason"] = row.reason
    return data


# --- split versions -----------------------------------------------------------------------------


def split_inputs(split: records.SplitVersion) -> Json:
    """The inputs of the version's method as JSON text values (the ``inputs`` column)."""
    if split.method is Method.FIXED:
        return {"shares": _weights_json(split.shares)}
    if split.method is Method.EQUAL:
        return {"departments": list(split.departments)}
    if split.method is Method.WEIGHTED:
        return {
            "responsibility": _weights_json(split.responsibility),
            "benefit": _weights_json(split.benefit),
        }
    return {"savings": _weights_json(split.savings)}


def resolved_shares(split: records.SplitVersion) -> dict[str, str]:
    """Department → exact share as fraction text (``"7/12"``), shares of 0 left out."""
    return {code: str(share) for code, share in resolve_shares(split).items()}


def split_columns(split: records.SplitVersion) -> Json:
    """The ``split_versions`` columns describing a version (not its workflow metadata)."""
    return {
        "effective_from": split.effective_from,
        "method": split.method.value,
        "status": split.status.value,
        "inputs": split_inputs(split),
        "alpha": decimal_text(split.alpha) if split.method is Method.WEIGHTED else None,
        "shares": resolved_shares(split),
        "rationale": split.rationale,
    }


def split_record(row: SplitRow, decisions: Sequence[DecisionRow] = ()) -> records.SplitVersion:
    inputs = row.inputs
    return records.SplitVersion(
        effective_from=row.effective_from,
        method=Method(row.method),
        status=Status(row.status),
        shares=_weights(inputs.get("shares", {})),
        departments=tuple(sorted(inputs.get("departments", ()))),
        alpha=Decimal(row.alpha) if row.alpha is not None else DEFAULT_ALPHA,
        responsibility=_weights(inputs.get("responsibility", {})),
        benefit=_weights(inputs.get("benefit", {})),
        savings=_weights(inputs.get("savings", {})),
        rationale=row.rationale,
        decisions=tuple(decision_record(decision) for decision in decisions),
    )


def parties(row: SplitRow) -> list[str]:
    """Codes of the departments with a share above 0, sorted: the ones who must approve."""
    return sorted(row.shares)


def split_json(row: SplitRow, decisions: Sequence[DecisionRow] = ()) -> Json:
    data: Json = {
        "effective_from": row.effective_from.isoformat(),
        "method": row.method,
        "status": row.status,
    }
    if row.alpha is not None:
        data["alpha"] = row.alpha
    data.update(row.inputs)
    if row.rationale:
        data["rationale"] = row.rationale
    data["proposed_by"] = row.proposed_by
    data["proposed_at"] = to_text(row.proposed_at)
    if decisions:
        data["decisions"] = [decision_json(decision) for decision in decisions]
    return data


# --- interventions ------------------------------------------------------------------------------


def intervention_record(
    row: InterventionRow, case_ref: str, splits: Sequence[records.SplitVersion] = ()
) -> records.Intervention:
    return records.Intervention(
        id=row.public_id,
        case=case_ref,
        title=row.title,
        legal_basis=row.legal_basis,
        granted_by=row.granted_by,
        paid_by=row.paid_by,
        cost=records.CostSchedule(
            amount=row.amount, per=Per(row.per), start=row.start, end=row.end
        ),
        splits=tuple(splits),
        refundable=row.refundable,
        account=row.account,
    )


def intervention_columns(record: records.Intervention) -> Json:
    """The ``interventions`` columns of an intervention except its case's row id.

    An account string left out (``None``) keeps the stored one; an empty one clears it.
    """
    cost = record.cost
    columns: Json = {
        "public_id": record.id,
        "title": record.title,
        "legal_basis": record.legal_basis,
        "granted_by": record.granted_by,
        "paid_by": record.paid_by,
        "amount": cost.amount,
        "per": cost.per.value,
        "start": cost.start,
        "end": cost.end,
        "refundable": record.refundable,
    }
    if record.account is not None:
        columns["account"] = record.account or None
    return columns


def cost_json(row: InterventionRow) -> Json:
    cost: Json = {
        "amount": format_ore(row.amount),
        "per": row.per,
        "start": row.start.isoformat(),
    }
    if row.end is not None:
        cost["end"] = row.end.isoformat()
    return cost


def intervention_json(row: InterventionRow, case_ref: str, splits: list[Json]) -> Json:
    return {
        "id": row.public_id,
        "case": case_ref,
        "title": row.title,
        "legal_basis": row.legal_basis,
        "granted_by": row.granted_by,
        "paid_by": row.paid_by,
        "cost": cost_json(row),
        "refundable": row.refundable,
        **({"account": row.account} if row.account else {}),
        "splits": splits,
    }


def json_value(value: object) -> object:
    """A column value as JSON (dates as ISO text, times as local time), for audit snapshots."""
    if isinstance(value, datetime):
        return to_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- refund rates -------------------------------------------------------------------------------


TIERS = 3
"""The tiers finans keeps per year (the law names three)."""


def refund_rates_record(row: RefundRate) -> records.RefundRates:
    return records.RefundRates(
        year=row.year,
        thresholds=(row.threshold_1, row.threshold_2, row.threshold_3),
        percents=tuple(Decimal(text) for text in (row.percent_1, row.percent_2, row.percent_3)),
    )


def refund_rate_columns(record: records.RefundRates) -> Json:
    """The ``refund_rates`` columns of a year with :data:`TIERS` tiers."""
    t1, t2, t3 = record.thresholds
    p1, p2, p3 = (decimal_text(percent) for percent in record.percents)
    return {"year": record.year, "threshold_1": t1, "threshold_2": t2, "threshold_3": t3,
            "percent_1": p1, "percent_2": p2, "percent_3": p3}


def refund_year_json(row: RefundRate) -> Json:
    """A year of the scenario's ``refund.years``: thresholds in kroner and percents, plus what
    only the database keeps (``note``, ``statutory``), which the calculator ignores."""
    return {
        "thresholds": [format_ore(ore) for ore in (row.threshold_1, row.threshold_2,
                                                   row.threshold_3)],
        "percents": [row.percent_1, row.percent_2, row.percent_3],
        "note": row.note,
        "statutory": row.statutory,
    }


def refund_json(rows: Iterable[RefundRate]) -> Json:
    """The scenario's ``refund``: ``{"years": {"2022": {...}}}`` by year."""
    return {"years": {str(row.year): refund_year_json(row) for row in rows}}
