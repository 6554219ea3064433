"""Split versions, decisions and costs in their plain, everyday form, accepted in one step.

Nearly everything in a scenario is written the plain way: printable text within its limit, ISO
dates, amounts and percents as decimal text with a dot (or JSON numbers), known department codes,
shares that sum to 100. A large municipality has over a hundred thousand such objects, and reading
each field through the general readers (:mod:`finans.allocation.coercion`) costs more than the
calculation itself. Here a plain object is checked with a few direct tests and built at once.

Anything else gives ``None`` and is read again by the general readers, which accept the unusual
valid forms too (``"33,5"``, text with a non-breaking space) and report every problem at its JSON
path. So the plain reading never accepts what the general readers refuse and builds the same
record; ``tests/unit/test_plain_input.py`` holds the two to that.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeGuard, TypeVar

from finans.allocation.accounts import ACCOUNT_SHAPE
from finans.allocation.messages import cpr_shaped
from finans.allocation.money import ORE_PER_KRONE, Ore
from finans.allocation.records import (
    CaseRef,
    CostSchedule,
    Decision,
    DepartmentCode,
    Intervention,
    Method,
    Per,
    SplitVersion,
    Status,
    Weights,
)
from finans.allocation.rules import (
    ACCOUNT,
    CODE,
    FREE_TEXT,
    LABEL,
    REFERENCE,
    REFERENCE_TEXT,
    TextRule,
    within_places,
)

_NUMBER = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,6})?")
_LARGEST = Decimal(10) ** 12
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PERS = {per.value: per for per in Per}
_METHODS = {method.value: method for method in Method}
_STATUSES = {status.value: status for status in Status}
_DECISIONS = frozenset(("approve", "reject"))
DEFAULT_ALPHA = Decimal("0.5")
"""Weight on responsibility when a weighted split does not say."""
T = TypeVar("T")


def _text(value: object, rule: TextRule) -> bool:
    """Absent, or printable text within the limit and nothing shaped like a CPR number."""
    return value is None or (
        type(value) is str
        and len(value) <= rule.limit
        and value.isprintable()
        and not cpr_shaped(value)
    )


def _optional(value: object, rule: TextRule) -> TypeGuard[str | None]:
    return _text(value, rule)


def _filled(value: object, rule: TextRule) -> TypeGuard[str]:
    """Plain text that is not blank (a journal number, an id: also only the allowed characters)."""
    return (
        type(value) is str
        and value != ""
        and not value.isspace()
        and _text(value, rule)
        and (not rule.reference or REFERENCE_TEXT.fullmatch(value) is not None)
    )


def _account(value: object) -> TypeGuard[str | None]:
    """Absent, or an account string exactly in the municipal shape (no spaces around it)."""
    return value is None or (_filled(value, ACCOUNT) and ACCOUNT_SHAPE.fullmatch(value) is not None)


def _known(value: object, known: Collection[str], rule: TextRule) -> TypeGuard[str]:
    return type(value) is str and value in known and _filled(value, rule)


def _number(value: object, places: int) -> Decimal | None:
    """A non-negative decimal of at most ``places`` decimals and at most 10¹², written plainly."""
    if type(value) is str:
        if not _NUMBER.fullmatch(value):
            return None
        number = Decimal(value)
    elif type(value) is Decimal and value.is_finite():
        number = value if value else value.copy_abs()
    elif type(value) is int:
        number = Decimal(value)
    else:
        return None
    if number < 0 or number > _LARGEST or not within_places(number, places):
        return None
    return number


def _choice(table: Mapping[str, T], value: object) -> T | None:
    return table.get(value) if type(value) is str else None


def _day(value: object) -> date | None:
    if type(value) is not str or not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _weights(
    value: object, places: int, departments: Collection[DepartmentCode]
) -> Weights | None:
    """Known departments → plain numbers, sorted by code."""
    if type(value) is not dict:
        return None
    weights = []
    for code, raw in value.items():
        number = _number(raw, places)
        if number is None or code not in departments or not _text(code, CODE):
            return None
        weights.append((code, number))
    return tuple(sorted(weights))


def _positive(weights: Weights) -> bool:
    return any(value > 0 for _, value in weights)


def plain_decision(
    data: object, departments: Collection[DepartmentCode]
) -> Decision | None:
    """A decision with a known department, a known decision and plain text, or ``None``."""
    if type(data) is not dict:
        return None
    get = data.get
    department, decision, by = get("department"), get("decision"), get("by")
    at, at_meeting, reason = get("at"), get("at_meeting"), get("reason")
    if not (
        _known(department, departments, CODE)
        and type(decision) is str
        and decision in _DECISIONS
        and _text(by, LABEL)
        and _text(at, LABEL)
        and (at_meeting is None or type(at_meeting) is bool)
        and _text(reason, FREE_TEXT)
    ):
        return None
    if at is not None:
        try:
            datetime.fromisoformat(at)
        except ValueError:
            return None
    return Decision(department, decision, by or "", at or "", bool(at_meeting), reason or "")


@dataclass(frozen=True, slots=True)
class SplitInputs:
    """The inputs of a split version's method; those of the other methods stay empty."""

    shares: Weights = ()
    departments: tuple[DepartmentCode, ...] = ()
    alpha: Decimal = DEFAULT_ALPHA
    responsibility: Weights = ()
    benefit: Weights = ()
    savings: Weights = ()


def plain_split(data: object, departments: Collection[DepartmentCode]) -> SplitVersion | None:
    """A split version in plain form whose inputs give valid shares, or ``None``."""
    if type(data) is not dict:
        return None
    get = data.get
    effective_from = _day(get("effective_from"))
    method = _choice(_METHODS, get("method"))
    status = _choice(_STATUSES, get("status"))
    rationale = get("rationale")
    if effective_from is None or method is None or status is None:
        return None
    if not _text(rationale, FREE_TEXT):
        return None
    raw_decisions = get("decisions")
    decisions: list[Decision] = []
    if raw_decisions is not None:
        if type(raw_decisions) is not list:
            return None
        for item in raw_decisions:
            decision = plain_decision(item, departments)
            if decision is None:
                return None
            decisions.append(decision)
    inputs = _inputs(method, data, departments)
    if inputs is None:
        return None
    return SplitVersion(
        effective_from,
        method,
        status,
        shares=inputs.shares,
        departments=inputs.departments,
        alpha=inputs.alpha,
        responsibility=inputs.responsibility,
        benefit=inputs.benefit,
        savings=inputs.savings,
        rationale=rationale or "",
        decisions=tuple(decisions),
    )


def _inputs(
    method: Method, data: Mapping[str, object], departments: Collection[DepartmentCode]
) -> SplitInputs | None:
    """The inputs of ``method``, when they are plain and give valid shares."""
    if method is Method.FIXED:
        shares = _weights(data.get("shares"), 4, departments)
        if shares is None or sum(value for _, value in shares) != 100:
            return None
        return SplitInputs(shares=shares)
    if method is Method.EQUAL:
        codes = data.get("departments")
        if type(codes) is not list or not codes:
            return None
        if not all(type(code) is str and code in departments for code in codes):
            return None
        if len(set(codes)) != len(codes):
            return None
        return SplitInputs(departments=tuple(sorted(codes)))
    if method is Method.SAVINGS:
        savings = _weights(data.get("savings"), 2, departments)
        if savings is None or not _positive(savings):
            return None
        return SplitInputs(savings=savings)
    raw_alpha = data.get("alpha")
    alpha = DEFAULT_ALPHA if raw_alpha is None else _number(raw_alpha, 6)
    responsibility = _weights(data.get("responsibility", {}), 4, departments)
    benefit = _weights(data.get("benefit", {}), 4, departments)
    if alpha is None or alpha > 1 or responsibility is None or benefit is None:
        return None
    if (alpha > 0 and not _positive(responsibility)) or (alpha < 1 and not _positive(benefit)):
        return None
    return SplitInputs(alpha=alpha, responsibility=responsibility, benefit=benefit)


def plain_cost(data: object) -> CostSchedule | None:
    """A cost schedule in plain form, or ``None``."""
    if type(data) is not dict:
        return None
    get = data.get
    amount = _number(get("amount"), 2)
    per = _choice(_PERS, get("per"))
    start = _day(get("start"))
    raw_end = get("end")
    end = None if raw_end is None else _day(raw_end)
    if amount is None or per is None or start is None or (raw_end is not None and end is None):
        return None
    if end is not None and per is not Per.ONCE and end < start:
        return None
    ore: Ore = int(amount * ORE_PER_KRONE)
    return CostSchedule(ore, per, start, end)


def plain_intervention(
    data: object, departments: Collection[DepartmentCode], cases: Collection[CaseRef]
) -> Intervention | None:
    """An intervention in plain form with plain cost and split versions, or ``None``."""
    if type(data) is not dict:
        return None
    get = data.get
    ident, case, title, legal_basis = get("id"), get("case"), get("title"), get("legal_basis")
    granted_by, paid_by, refundable = get("granted_by"), get("paid_by"), get("refundable")
    account = get("account")
    if not (
        _filled(ident, REFERENCE)
        and _known(case, cases, REFERENCE)
        and _filled(title, LABEL)
        and _optional(legal_basis, LABEL)
        and _known(granted_by, departments, CODE)
        and _known(paid_by, departments, CODE)
        and (refundable is None or type(refundable) is bool)
        and _account(account)
    ):
        return None
    cost = plain_cost(get("cost"))
    raw_splits = get("splits")
    if cost is None or (raw_splits is not None and type(raw_splits) is not list):
        return None
    splits = []
    agreed: set[date] = set()
    for item in raw_splits or ():
        split = plain_split(item, departments)
        if split is None:
            return None
        if split.status is Status.AGREED:
            # Two agreed versions from one day are a problem the general reader reports.
            if split.effective_from in agreed:
                return None
            agreed.add(split.effective_from)
        splits.append(split)
    return Intervention(
        ident,
        case,
        title,
        legal_basis or "",
        granted_by,
        paid_by,
        cost,
        tuple(splits),
        refundable=bool(refundable),
        account=account,
    )
