"""Scenario JSON (docs/scenario.md) → immutable records, every problem located by its JSON path.

Nothing here raises on bad input. Each reader returns what it built together with the problems it
found, and a record is only returned when its input had none, so the engine never sees an invalid
scenario. Single values are read by :mod:`finans.allocation.coercion`, the rules are the small
check functions of :mod:`finans.allocation.rules`, and messages show input through
:mod:`finans.allocation.messages`. Unknown keys are ignored so that newer files still load.

>>> scenario, problems = parse_scenario({"departments": [], "cases": [], "interventions": "x"})
>>> scenario, [(p.code, p.where) for p in problems]
(None, [('not_list', 'interventions')])
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from finans.allocation.accounts import read_account
from finans.allocation.coercion import (
    Fields,
    code_reader,
    enum_reader,
    read_all,
    read_amount,
    read_bool,
    read_date,
    read_list,
    read_object,
    text_reader,
)
from finans.allocation.messages import Where, masked, path_text, problem
from finans.allocation.periods import parse_period
from finans.allocation.plain import DEFAULT_ALPHA, plain_cost, plain_intervention
from finans.allocation.problems import Problem
from finans.allocation.records import (
    Case,
    CaseRef,
    CostSchedule,
    Department,
    DepartmentCode,
    Intervention,
    Per,
    Scenario,
)
from finans.allocation.refund_validation import parse_refund
from finans.allocation.rules import (
    ACCOUNT,
    CODE,
    LABEL,
    REFERENCE,
    check_end_after_start,
    check_no_cpr,
    check_no_cpr_keys,
    check_unique,
)
from finans.allocation.split_validation import (
    check_agreed_splits,
    parse_split,
    read_codes,
    read_department,
)

__all__ = [
    "DEFAULT_ALPHA",
    "check_no_cpr",
    "parse_case",
    "parse_department",
    "parse_intervention",
    "parse_period",
    "parse_scenario",
    "parse_split",
]

_read_code = code_reader(CODE)
_read_reference = text_reader(REFERENCE, required=True)
_read_account_text = text_reader(ACCOUNT)
_read_name = text_reader(LABEL, required=True)
_read_label = text_reader(LABEL)
_read_per = enum_reader(Per, "unknown_per", "betalingsperiode (per)")


def _declared(items: Iterable[object], where: Where, key: str) -> list[tuple[str, Where]]:
    """The text values of ``key`` in the objects of a list, with their paths, valid or not."""
    found: list[tuple[str, Where]] = []
    for index, item in enumerate(items):
        if isinstance(item, Mapping) and isinstance(item.get(key), str):
            found.append((item[key], ((where, index), key)))
    return found


# --- departments and cases ----------------------------------------------------------------------


def parse_department(data: object, where: Where) -> tuple[Department | None, list[Problem]]:
    """One department: ``{"code", "name", "account"?, "active"?}`` (``active`` is only checked)."""
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    code = fields.read("code", _read_code, required=True)
    name = fields.read("name", _read_name, required=True)
    account = fields.read("account", _read_account)
    fields.read("active", read_bool)
    if fields.problems or code is None or name is None:
        return None, fields.problems
    return Department(code=code, name=name, account=account or ""), []


def _read_account(value: object, where: Where) -> tuple[str | None, list[Problem]]:
    """An account string: text within its length with nothing like a CPR number, in the municipal
    shape (:mod:`finans.allocation.accounts`); ``""`` when none is set."""
    text, problems = _read_account_text(value, where)
    if text is None:
        return None, problems
    return read_account(text, path_text(where))


def parse_case(
    data: object, where: Where, departments: Collection[DepartmentCode]
) -> tuple[Case | None, list[Problem]]:
    """One case: ``{"ref", "family"?, "coordinator"?, "consent"?, "assessed_on"?, "core_team"?}``.

    A key naming a CPR number is a problem wherever it sits in the case.
    """
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    ref = fields.read("ref", _read_reference, required=True)
    family = fields.read("family", _read_label)
    coordinator = fields.read("coordinator", _read_label)
    consent = fields.read("consent", read_bool)
    assessed_on = fields.read("assessed_on", read_date)
    core_team = fields.read("core_team", lambda value, path: read_codes(value, path, departments))
    fields.check(check_no_cpr_keys(obj, where))
    if fields.problems or ref is None:
        return None, fields.problems
    case = Case(
        ref=ref,
        family=family or "",
        coordinator=coordinator or "",
        consent=bool(consent),
        assessed_on=assessed_on,
        core_team=core_team or (),
    )
    return case, []


# --- interventions ------------------------------------------------------------------------------


def _parse_cost(data: object, where: Where) -> tuple[CostSchedule | None, list[Problem]]:
    plain = plain_cost(data)
    if plain is not None:
        return plain, []
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    amount = fields.read("amount", read_amount, required=True)
    per = fields.read("per", _read_per, required=True)
    start = fields.read("start", read_date, required=True)
    end = fields.read("end", read_date)
    if start is not None and end is not None and per is not Per.ONCE:
        # A one-off falls whole on its start day; its end is ignored.
        fields.check(check_end_after_start(start, end, fields.path("end")))
    if fields.problems or amount is None or per is None or start is None:
        return None, fields.problems
    return CostSchedule(amount=amount, per=per, start=start, end=end), []


def parse_intervention(
    data: object,
    where: Where,
    departments: Collection[DepartmentCode],
    cases: Collection[CaseRef],
) -> tuple[Intervention | None, list[Problem]]:
    """One intervention with its cost schedule, split versions and optional account string."""
    plain = plain_intervention(data, departments, cases)
    if plain is not None:
        return plain, []
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    ident = fields.read("id", _read_reference, required=True)
    case = fields.read("case", _read_reference, required=True)
    if case is not None and case not in cases:
        message = f"Sagen '{masked(case)}' findes ikke"
        fields.check([problem("unknown_case", message, fields.path("case"))])
    title = fields.read("title", _read_name, required=True)
    legal_basis = fields.read("legal_basis", _read_label)
    granted_by = read_department(fields, "granted_by", departments)
    paid_by = read_department(fields, "paid_by", departments)
    cost = fields.read("cost", _parse_cost, required=True)
    account = fields.read("account", _read_account)
    splits = fields.read(
        "splits",
        lambda value, path: read_all(
            value, path, lambda item, at: parse_split(item, at, departments, intervention=ident)
        ),
    )
    refundable = fields.read("refundable", read_bool)
    raw_splits = obj.get("splits")
    if isinstance(raw_splits, list | tuple):
        fields.check(check_agreed_splits(raw_splits, fields.path("splits"), ident or ""))
    if (
        fields.problems
        or ident is None
        or case is None
        or title is None
        or granted_by is None
        or paid_by is None
        or cost is None
    ):
        return None, fields.problems
    record = Intervention(
        id=ident,
        case=case,
        title=title,
        legal_basis=legal_basis or "",
        granted_by=granted_by,
        paid_by=paid_by,
        cost=cost,
        splits=splits or (),
        refundable=bool(refundable),
        account=account,
    )
    return record, []


# --- the whole scenario -------------------------------------------------------------------------


def parse_scenario(data: object) -> tuple[Scenario | None, list[Problem]]:
    """A scenario JSON value → ``(Scenario, [])``, or ``(None, every problem)``.

    Departments and case references are known to the rest of the scenario even when their own
    entries have problems, so one mistake is reported once, not again at every reference.
    """
    top = ""
    obj, problems = read_object(data, top)
    if obj is None:
        return None, problems
    fields = Fields(obj, top)
    raw_departments = fields.read("departments", read_list, required=True) or []
    raw_cases = fields.read("cases", read_list, required=True) or []
    raw_interventions = fields.read("interventions", read_list, required=True) or []

    departments_at, cases_at = (top, "departments"), (top, "cases")
    interventions_at = (top, "interventions")
    department_codes = _declared(raw_departments, departments_at, "code")
    case_refs = _declared(raw_cases, cases_at, "ref")
    known_departments = frozenset(code for code, _ in department_codes)
    known_cases = frozenset(ref for ref, _ in case_refs)

    departments, department_problems = read_all(raw_departments, departments_at, parse_department)
    cases, case_problems = read_all(
        raw_cases, cases_at, lambda item, at: parse_case(item, at, known_departments)
    )
    interventions, intervention_problems = read_all(
        raw_interventions,
        interventions_at,
        lambda item, at: parse_intervention(item, at, known_departments, known_cases),
    )
    fields.check(department_problems)
    fields.check(check_unique(department_codes, "duplicate_department", "Afdelingskoden"))
    fields.check(case_problems)
    fields.check(check_unique(case_refs, "duplicate_case", "Sagsnummeret"))
    fields.check(intervention_problems)
    ids = _declared(raw_interventions, interventions_at, "id")
    fields.check(check_unique(ids, "duplicate_intervention", "Indsats-id'et"))
    refund_rates = fields.read("refund", parse_refund)
    if fields.problems or departments is None or cases is None or interventions is None:
        return None, fields.problems
    scenario = Scenario(
        departments=departments,
        cases=cases,
        interventions=interventions,
        refund_rates=refund_rates or (),
    )
    return scenario, []
