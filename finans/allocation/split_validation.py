"""A split version's JSON → :class:`SplitVersion`, with its decisions and the inputs of its method.

The rules for shares are in docs/calculation.md ("Shares of a version"); the JSON shape is in
docs/scenario.md.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from finans.allocation.coercion import (
    Fields,
    choice_reader,
    enum_reader,
    read_all,
    read_bool,
    read_date,
    read_list,
    read_number,
    read_object,
    read_timestamp,
    text_reader,
)
from finans.allocation.messages import Where, danish_date, danish_number, masked, problem
from finans.allocation.plain import DEFAULT_ALPHA, SplitInputs, plain_split
from finans.allocation.problems import Problem
from finans.allocation.records import (
    Decision,
    DepartmentCode,
    Method,
    SplitVersion,
    Status,
    Weights,
)
from finans.allocation.rules import (
    CODE,
    FREE_TEXT,
    LABEL,
    check_agreed_dates,
    check_known_department,
    check_positive_total,
    check_shares_sum,
    check_unique,
    check_weighted_sides,
    within_places,
)

ALPHA_PLACES = 6
"""``alpha`` is ``Vægt ansvar %`` / 100, and percentages carry at most four decimals."""

DECISIONS = ("approve", "reject")

Label = Callable[[], str]
"""The split version as messages name it (``indsats I-17 fra 01-07-2026``), made when needed."""

_read_method = enum_reader(Method, "unknown_method", "fordelingsmetode")
_read_status = enum_reader(Status, "unknown_status", "status")
_read_decision_value = choice_reader(DECISIONS, "unknown_decision", "beslutning")
_read_code = text_reader(CODE, required=True)
_read_label = text_reader(LABEL)
_read_free_text = text_reader(FREE_TEXT)


def read_department(
    fields: Fields, key: str, departments: Collection[DepartmentCode]
) -> str | None:
    """A required field naming a known department."""
    code = fields.read(key, _read_code, required=True)
    if code is not None:
        fields.check(check_known_department(code, fields.path(key), departments))
    return code


def read_codes(
    value: object, where: Where, departments: Collection[DepartmentCode]
) -> tuple[tuple[DepartmentCode, ...] | None, list[Problem]]:
    """A list of distinct, known department codes, returned sorted."""
    items, problems = read_list(value, where)
    if items is None:
        return None, problems
    declared = []
    for index, item in enumerate(items):
        path = (where, index)
        if isinstance(item, str):
            declared.append((item, path))
            problems += check_known_department(item, path, departments)
        else:
            problems.append(problem("wrong_type", "Skal være en afdelingskode (tekst)", path))
    problems += check_unique(declared, "duplicate_department", "Afdelingen")
    return (None if problems else tuple(sorted(code for code, _ in declared))), problems


def _read_alpha(value: object, where: Where) -> tuple[Decimal | None, list[Problem]]:
    alpha, problems = read_number(value, where)
    if alpha is None:
        return None, problems
    if not within_places(alpha, ALPHA_PLACES):
        message = f"Vægten på ansvar har mere end {ALPHA_PLACES} decimaler"
        return None, [problem("too_many_decimals", message, where)]
    if not 0 <= alpha <= 1:
        message = f"Vægten på ansvar skal ligge mellem 0 og 1, ikke {danish_number(alpha)}"
        return None, [problem("alpha_range", message, where)]
    return alpha, []


@dataclass(frozen=True, slots=True)
class _Kind:
    """How the numbers of one department → number mapping are read and named for people."""

    key: str
    noun: str
    places: int
    decimals_code: str
    unit: str = ""


_SHARES = _Kind("shares", "andelen", 4, "too_many_decimals", " %")
_RESPONSIBILITY = _Kind("responsibility", "ansvaret", 4, "too_many_decimals")
_BENEFIT = _Kind("benefit", "gevinsten", 4, "too_many_decimals")
_SAVINGS = _Kind("savings", "besparelsen", 2, "sub_ore", " kr.")


def _check_weight(value: Decimal, code: str, where: Where, kind: _Kind) -> list[Problem]:
    noun = kind.noun.capitalize()
    if not within_places(value, kind.places):
        detail = " (brøkdele af en øre)" if kind.decimals_code == "sub_ore" else ""
        message = f"{noun} for {masked(code)} har mere end {kind.places} decimaler{detail}"
        return [problem(kind.decimals_code, message, where)]
    if value < 0:
        shown = f"{danish_number(value)}{kind.unit}"
        message = f"{noun} for {masked(code)} må ikke være negativ ({shown})"
        return [problem("negative", message, where)]
    return []


def _read_weights(
    fields: Fields, kind: _Kind, departments: Collection[DepartmentCode], *, required: bool
) -> Weights | None:
    """A department → number object, sorted by code.

    The numbers come back whenever each one is an exact decimal within the allowed decimals, even
    if a department is unknown or a number negative, so that sums can still be checked.
    """
    value = fields.raw(kind.key, required=required)
    if value is None:
        return None if required else ()
    where = fields.path(kind.key)
    obj, problems = read_object(value, where)
    if obj is None:
        fields.check(problems)
        return None
    weights: list[tuple[DepartmentCode, Decimal]] = []
    complete = True
    for code, raw in obj.items():
        number, problems = read_number(raw, (where, code))
        if code not in departments:
            fields.check(check_known_department(code, (where, code), departments))
        if number is None:
            fields.check(problems)
            complete = False
            continue
        if number < 0 or not within_places(number, kind.places):
            problems = _check_weight(number, code, (where, code), kind)
            fields.check(problems)
            complete = complete and problems[0].code != kind.decimals_code
        weights.append((code, number))
    return tuple(sorted(weights)) if complete else None


def _split_label(intervention: str | None, effective_from: date | None) -> str:
    """``indsats I-17 fra 01-07-2026``, or as much of it as is known."""
    label = f"indsats {masked(intervention)}" if intervention else "fordelingen"
    return f"{label} fra {danish_date(effective_from)}" if effective_from else label


def _fixed_inputs(
    fields: Fields, departments: Collection[DepartmentCode], label: Label
) -> SplitInputs:
    shares = _read_weights(fields, _SHARES, departments, required=True)
    if shares is not None:
        fields.check(check_shares_sum(shares, fields.path("shares"), label))
    return SplitInputs(shares=shares or ())


def _equal_inputs(
    fields: Fields, departments: Collection[DepartmentCode], label: Label
) -> SplitInputs:
    codes = fields.read(
        "departments", lambda value, where: read_codes(value, where, departments), required=True
    )
    if codes == ():
        message = f"En lige fordeling skal have mindst én afdeling ({label()})"
        fields.check([problem("no_departments", message, fields.path("departments"))])
    return SplitInputs(departments=codes or ())


def _weighted_inputs(
    fields: Fields, departments: Collection[DepartmentCode], label: Label
) -> SplitInputs:
    given = fields.raw("alpha") is not None
    alpha = fields.read("alpha", _read_alpha) if given else DEFAULT_ALPHA
    responsibility = _read_weights(fields, _RESPONSIBILITY, departments, required=False)
    benefit = _read_weights(fields, _BENEFIT, departments, required=False)
    if alpha is not None:
        fields.check(check_weighted_sides(alpha, responsibility, benefit, fields.where, label))
    return SplitInputs(
        alpha=alpha if alpha is not None else DEFAULT_ALPHA,
        responsibility=responsibility or (),
        benefit=benefit or (),
    )


def _savings_inputs(
    fields: Fields, departments: Collection[DepartmentCode], label: Label
) -> SplitInputs:
    savings = _read_weights(fields, _SAVINGS, departments, required=True)
    if savings is not None:
        def message() -> str:
            return f"Mindst én afdeling skal have en besparelse over 0 for {label()}"

        fields.check(check_positive_total(savings, fields.path("savings"), message))
    return SplitInputs(savings=savings or ())


_METHOD_INPUTS: dict[Method, Callable[[Fields, Collection[DepartmentCode], Label], SplitInputs]] = {
    Method.FIXED: _fixed_inputs,
    Method.EQUAL: _equal_inputs,
    Method.WEIGHTED: _weighted_inputs,
    Method.SAVINGS: _savings_inputs,
}


def _parse_decision(
    data: object, where: Where, departments: Collection[DepartmentCode]
) -> tuple[Decision | None, list[Problem]]:
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    department = read_department(fields, "department", departments)
    decision = fields.read("decision", _read_decision_value, required=True)
    by = fields.read("by", _read_label)
    at = fields.read("at", read_timestamp)
    at_meeting = fields.read("at_meeting", read_bool)
    reason = fields.read("reason", _read_free_text)
    if fields.problems or department is None or decision is None:
        return None, fields.problems
    record = Decision(
        department=department,
        decision=decision,
        by=by or "",
        at=at or "",
        at_meeting=bool(at_meeting),
        reason=reason or "",
    )
    return record, []


def parse_split(
    data: object,
    where: Where,
    departments: Collection[DepartmentCode],
    *,
    intervention: str | None = None,
) -> tuple[SplitVersion | None, list[Problem]]:
    """One split version; ``intervention`` is its id, used in messages only.

    Only the inputs of the version's ``method`` are read; those of other methods are ignored.
    """
    plain = plain_split(data, departments)
    if plain is not None:
        return plain, []
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    effective_from = fields.read("effective_from", read_date, required=True)
    method = fields.read("method", _read_method, required=True)
    status = fields.read("status", _read_status, required=True)
    rationale = fields.read("rationale", _read_free_text)
    decisions = fields.read(
        "decisions",
        lambda value, path: read_all(
            value, path, lambda item, at: _parse_decision(item, at, departments)
        ),
    )
    label = partial(_split_label, intervention, effective_from)
    inputs = SplitInputs() if method is None else _METHOD_INPUTS[method](fields, departments, label)
    if fields.problems or effective_from is None or method is None or status is None:
        return None, fields.problems
    split = SplitVersion(
        effective_from=effective_from,
        method=method,
        status=status,
        shares=inputs.shares,
        departments=inputs.departments,
        alpha=inputs.alpha,
        responsibility=inputs.responsibility,
        benefit=inputs.benefit,
        savings=inputs.savings,
        rationale=rationale or "",
        decisions=decisions or (),
    )
    return split, []


def check_agreed_splits(splits: Iterable[object], where: Where, intervention: str) -> list[Problem]:
    """Two agreed versions of one intervention from the same day are a problem, even when the
    versions have other problems (so that both are reported at once)."""
    days = []
    for index, split in enumerate(splits):
        if not isinstance(split, Mapping) or split.get("status") != Status.AGREED.value:
            continue
        path = ((where, index), "effective_from")
        day, _ = read_date(split.get("effective_from"), path)
        if day is not None:
            days.append((day, path))
    return check_agreed_dates(days, intervention)
