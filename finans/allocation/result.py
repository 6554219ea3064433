"""The calculator's JSON result (docs/scenario.md): amounts as text with two decimals and a dot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from finans.allocation.eligibility import DEFAULT_CRITERIA, EligibilityCriteria, check_eligibility
from finans.allocation.engine import allocate
from finans.allocation.money import format_ore, fraction_to_ore
from finans.allocation.problems import Problem
from finans.allocation.records import DepartmentCode, Period, Scenario
from finans.allocation.refund import Refunds, refunds
from finans.allocation.settlement import SettlementMode, settle


def _period(period: Period | None) -> dict[str, str] | None:
    if period is None:
        return None
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def calc_result(
    scenario: Scenario,
    period: Period,
    mode: SettlementMode = "pairwise",
    criteria: EligibilityCriteria = DEFAULT_CRITERIA,
) -> dict[str, Any]:
    """Allocation, settlement, unsplit interventions, eligibility and refunds of a valid
    scenario."""
    allocation = allocate(scenario, period)
    refunded = refunds(scenario, allocation)
    return {
        "period": _period(period),
        "lines": [
            {
                "intervention": line.intervention,
                "case": line.case,
                "month": line.month,
                "department": line.department,
                "amount": format_ore(line.amount),
            }
            for line in allocation.lines
        ],
        "totals": {code: format_ore(amount) for code, amount in allocation.totals.items()},
        "total": format_ore(allocation.total),
        "settlement": [
            {"from": t.from_, "to": t.to, "amount": format_ore(t.amount)}
            for t in settle(allocation, mode)
        ],
        "unsplit": [
            {"intervention": u.intervention, "case": u.case, "paid_by": u.paid_by, "days": u.days}
            for u in allocation.unsplit
        ],
        "eligibility": {
            ref: {"eligible": e.eligible, "unmet": list(e.unmet)}
            for ref, e in check_eligibility(scenario, criteria).items()
        },
        **_refund_fields(refunded, allocation.totals),
        "errors": [],
    }


def _amounts(amounts: dict[DepartmentCode, int]) -> dict[DepartmentCode, str]:
    return {code: format_ore(amount) for code, amount in amounts.items()}


def _refund_fields(refunded: Refunds, totals: dict[DepartmentCode, int]) -> dict[str, Any]:
    """``refunds``, ``refund_totals``, ``net_totals`` (totals − refunds per department) and
    ``refund_missing_years``; a refund's exact basis is shown rounded half-up to the øre."""
    net = {
        code: totals.get(code, 0) - refunded.totals.get(code, 0)
        for code in sorted(totals.keys() | refunded.totals.keys())
    }
    return {
        "refunds": [
            {
                "case": refund.case,
                "month": refund.month,
                "basis": format_ore(fraction_to_ore(refund.basis)),
                "amount": format_ore(refund.amount),
                "departments": _amounts(dict(refund.departments)),
            }
            for refund in refunded.refunds
        ],
        "refund_totals": _amounts(refunded.totals),
        "net_totals": _amounts(net),
        "refund_missing_years": [f"{year:04d}" for year in refunded.missing_years],
    }


def error_result(problems: Sequence[Problem], period: Period | None = None) -> dict[str, Any]:
    """The same shape with nothing computed and every problem listed."""
    return {
        "period": _period(period),
        "lines": [],
        "totals": {},
        "total": format_ore(0),
        "settlement": [],
        "unsplit": [],
        "eligibility": {},
        "refunds": [],
        "refund_totals": {},
        "net_totals": {},
        "refund_missing_years": [],
        "errors": [problem.as_dict() for problem in problems],
    }
