"""The calculator's JSON result (design §5): amounts as strings with two decimals and a dot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from finans.allocation.eligibility import DEFAULT_CRITERIA, EligibilityCriteria, check_eligibility
from finans.allocation.engine import allocate
from finans.allocation.money import format_ore
from finans.allocation.problems import Problem
from finans.allocation.records import Period, Scenario
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
    """Allocation, settlement, unsplit interventions and eligibility of a valid scenario."""
    allocation = allocate(scenario, period)
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
        "errors": [],
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
        "errors": [problem.as_dict() for problem in problems],
    }
