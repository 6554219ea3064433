"""The calculator's JSON result (docs/scenario.md): amounts as text with two decimals and a dot.

:func:`calc_result` gives it as a dict (the API serves that); :func:`calc_document` writes the same
value as JSON text for the command line, one allocation line per text line. A large municipality
has hundreds of thousands of lines, so the document writes them straight from the engine's lines
instead of building a dict for each and encoding it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from finans.allocation.eligibility import DEFAULT_CRITERIA, EligibilityCriteria, check_eligibility
from finans.allocation.engine import Allocation, Line, allocate
from finans.allocation.money import format_ore, fraction_to_ore
from finans.allocation.problems import Problem
from finans.allocation.records import DepartmentCode, Period, Scenario
from finans.allocation.refund import Refunds, refunds
from finans.allocation.settlement import SettlementMode, settle

_encode = json.JSONEncoder(ensure_ascii=False).encode


def _period(period: Period | None) -> dict[str, str] | None:
    if period is None:
        return None
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def _line(line: Line) -> dict[str, str]:
    return {
        "intervention": line.intervention,
        "case": line.case,
        "month": line.month,
        "department": line.department,
        "amount": format_ore(line.amount),
    }


def _amounts(amounts: dict[DepartmentCode, int]) -> dict[DepartmentCode, str]:
    return {code: format_ore(amount) for code, amount in amounts.items()}


def _after_lines(
    scenario: Scenario,
    allocation: Allocation,
    mode: SettlementMode,
    criteria: EligibilityCriteria,
) -> dict[str, Any]:
    """Every field of the result that follows ``lines``, in order."""
    refunded = refunds(scenario, allocation)
    return {
        "totals": _amounts(allocation.totals),
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


def calc_result(
    scenario: Scenario,
    period: Period,
    mode: SettlementMode = "pairwise",
    criteria: EligibilityCriteria = DEFAULT_CRITERIA,
) -> dict[str, Any]:
    """Allocation, settlement, unsplit interventions, eligibility and refunds of a valid
    scenario."""
    allocation = allocate(scenario, period)
    return {
        "period": _period(period),
        "lines": [_line(line) for line in allocation.lines],
        **_after_lines(scenario, allocation, mode, criteria),
    }


def _line_texts(allocation: Allocation) -> Iterator[str]:
    """Each line as the JSON text of :func:`_line`, straight from the allocation's months: the
    text of an intervention's id and case is made once, and of a month once per intervention;
    amounts are never negative."""
    codes: dict[str, str] = {}
    for ident, (case, _, labels, _, month_parts) in allocation.months.items():
        head = f'{{"intervention": {_encode(ident)}, "case": {_encode(case)}, "month": "'
        for label, parts in zip(labels, month_parts, strict=True):
            start = f'{head}{label}", "department": '
            for code, amount in parts:
                department = codes.get(code) or codes.setdefault(code, _encode(code))
                yield f'{start}{department}, "amount": "{amount // 100}.{amount % 100:02d}"}}'


def _document(period: Period | None, lines: Iterator[str], rest: dict[str, Any]) -> str:
    fields = [f'"period": {_encode(_period(period))}']
    fields.append('"lines": [\n' + ",\n".join(lines) + "\n]")
    fields += (f"{_encode(key)}: {_encode(value)}" for key, value in rest.items())
    return "{" + ",\n".join(fields) + "}\n"


def calc_document(
    scenario: Scenario,
    period: Period,
    mode: SettlementMode = "pairwise",
    criteria: EligibilityCriteria = DEFAULT_CRITERIA,
) -> str:
    """:func:`calc_result` as JSON text: one field per text line, and one text line for each
    allocation line."""
    allocation = allocate(scenario, period)
    rest = _after_lines(scenario, allocation, mode, criteria)
    return _document(period, _line_texts(allocation), rest)


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


def error_document(problems: Sequence[Problem], period: Period | None = None) -> str:
    """:func:`error_result` as JSON text laid out like :func:`calc_document`."""
    rest = error_result(problems, period)
    del rest["period"], rest["lines"]
    return _document(period, iter(()), rest)
