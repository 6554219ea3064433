"""Scenario JSON (design §5) → immutable records, with every problem located by its JSON path.

Nothing here raises on bad input. Each reader returns what it built together with the problems it
found, and a record is only returned when its input had none, so the engine never sees an invalid
scenario. The rules themselves are small check functions that each return a list of problems;
readers gather them all instead of stopping at the first.

Numbers must be exact: JSON integers, ``Decimal`` (``json.loads(text, parse_float=Decimal)``) or
numeric text (``"12000.00"``, Danish ``"33,5"``). A ``float`` has already lost exactness and is
refused. Dates are ISO ``YYYY-MM-DD``. Unknown keys are ignored so that newer files still load.

>>> scenario, problems = parse_scenario({"departments": [], "cases": [], "interventions": "x"})
>>> scenario, [(p.code, p.where) for p in problems]
(None, [('not_list', 'interventions')])
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from finans.allocation.accounts import read_account
from finans.allocation.money import ORE_PER_KRONE, Ore
from finans.allocation.problems import Problem
from finans.allocation.records import (
    Case,
    CaseRef,
    CostSchedule,
    Decision,
    Department,
    DepartmentCode,
    Intervention,
    Method,
    Per,
    Period,
    Scenario,
    SplitVersion,
    Status,
    Weights,
)

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
Reader = Callable[[object, str], tuple[T | None, list[Problem]]]

DEFAULT_ALPHA = Decimal("0.5")
"""Weight on responsibility when a weighted split does not say (design §4.3)."""

LARGEST_NUMBER = Decimal(10) ** 12
"""No amount or weight is larger; it also keeps every sum exact in the default decimal context."""

ALPHA_PLACES = 6
"""``alpha`` is ``Vægt ansvar %`` / 100, and percentages carry at most four decimals."""

DECISIONS = ("approve", "reject")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_ÆØÅæøå-]+")
_CPR_LIKE = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])[0-9]{2}[- ]?[0-9]{4}(?![0-9])")
_SHOWN_LENGTH = 40


# --- how problems show user input -------------------------------------------------------------


def _is_cpr(match: re.Match[str]) -> bool:
    try:
        date(2000, int(match.group(2)), int(match.group(1)))
    except ValueError:
        return False
    return True


def _has_cpr(text: str) -> bool:
    return any(_is_cpr(match) for match in _CPR_LIKE.finditer(text))


def _masked(text: str) -> str:
    """``text`` cut short, with anything that looks like a CPR number replaced, fit to echo."""
    if _CPR_LIKE.search(text):
        text = _CPR_LIKE.sub(lambda m: "<CPR-lignende tal>" if _is_cpr(m) else m.group(0), text)
    if not text.isprintable():
        text = "".join(char if char.isprintable() else "?" for char in text)
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"


def _shown(text: str) -> str:
    return f"'{_masked(text)}'"


def _at(where: str, key: str) -> str:
    """The JSON path of ``key`` inside the object at ``where`` (``""`` is the whole document)."""
    key = _masked(key)
    if not _PLAIN_KEY.fullmatch(key):
        return f"{where}[{json.dumps(key, ensure_ascii=False)}]"
    return f"{where}.{key}" if where else key


def _item(where: str, index: int) -> str:
    return f"{where}[{index}]"


def _danish_number(value: Decimal) -> str:
    """``Decimal("1234.50")`` → ``"1.234,5"``: Danish grouping, decimal comma, no trailing zeros."""
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def _danish_date(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def _or_list(words: Iterable[str]) -> str:
    *rest, last = list(words)
    return f"{', '.join(rest)} eller {last}" if rest else last


# --- single values ------------------------------------------------------------------------------


def _read_object(value: object, where: str) -> tuple[Mapping[str, object] | None, list[Problem]]:
    if not isinstance(value, Mapping):
        return None, [Problem("not_object", "Skal være et objekt ({…})", where)]
    if not all(isinstance(key, str) for key in value):
        return None, [Problem("wrong_type", "Alle nøgler skal være tekst", where)]
    return value, []


def _read_list(value: object, where: str) -> tuple[list[object] | None, list[Problem]]:
    if not isinstance(value, list | tuple):
        return None, [Problem("not_list", "Skal være en liste ([…])", where)]
    return list(value), []


def check_no_cpr(text: str, where: str) -> list[Problem]:
    """A problem when free text holds something shaped like a CPR number (finans never stores
    one); every text a person types passes here, also outside scenario JSON."""
    if _has_cpr(text):
        message = "Teksten ligner et CPR-nummer; CPR-numre må ikke registreres"
        return [Problem("cpr_like", message, where)]
    return []


def _read_text(value: object, where: str) -> tuple[str | None, list[Problem]]:
    if not isinstance(value, str):
        return None, [Problem("wrong_type", "Skal være tekst", where)]
    problems = check_no_cpr(value, where)
    return (None if problems else value), problems


def _read_required_text(value: object, where: str) -> tuple[str | None, list[Problem]]:
    text, problems = _read_text(value, where)
    if text is not None and not text.strip():
        return None, [Problem("empty", "Må ikke være tom", where)]
    return text, problems


def _read_code(value: object, where: str) -> tuple[str | None, list[Problem]]:
    """A department code: non-empty text without whitespace."""
    code, problems = _read_required_text(value, where)
    if code is not None and any(char.isspace() for char in code):
        message = f"Afdelingskoden {_shown(code)} må ikke indeholde mellemrum"
        return None, [Problem("whitespace_in_code", message, where)]
    return code, problems


def _read_bool(value: object, where: str) -> tuple[bool | None, list[Problem]]:
    if not isinstance(value, bool):
        return None, [Problem("wrong_type", "Skal være true eller false", where)]
    return value, []


def _read_date(value: object, where: str) -> tuple[date | None, list[Problem]]:
    if not isinstance(value, str):
        return None, [Problem("bad_date", "Datoen skal være tekst på formen ÅÅÅÅ-MM-DD", where)]
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value), []
        except ValueError:
            pass
    message = f"{_shown(value)} er ikke en gyldig dato på formen ÅÅÅÅ-MM-DD"
    return None, [Problem("bad_date", message, where)]


def _read_timestamp(value: object, where: str) -> tuple[str | None, list[Problem]]:
    text, problems = _read_text(value, where)
    if text is None:
        return None, problems
    try:
        datetime.fromisoformat(text)
    except ValueError:
        message = f"{_shown(text)} er ikke et tidspunkt på formen ÅÅÅÅ-MM-DDTtt:mm:ss"
        return None, [Problem("bad_timestamp", message, where)]
    return text, []


def _read_number(value: object, where: str) -> tuple[Decimal | None, list[Problem]]:
    """An exact, finite, not absurdly large decimal from an int, ``Decimal`` or numeric text."""
    if isinstance(value, float):
        message = 'Tallet er et binært kommatal og ikke eksakt; skriv det som tekst, fx "12.50"'
        return None, [Problem("float_not_exact", message, where)]
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        number = Decimal(value.strip().replace(",", "."))
    elif isinstance(value, str):
        return None, [Problem("not_number", f"{_shown(value)} er ikke et tal", where)]
    else:
        return None, [Problem("not_number", "Skal være et tal", where)]
    if not number.is_finite():
        return None, [Problem("not_number", "Skal være et endeligt tal", where)]
    if number.copy_abs() > LARGEST_NUMBER:
        message = f"Tallet er for stort (højst {_danish_number(LARGEST_NUMBER)})"
        return None, [Problem("too_large", message, where)]
    return (number.copy_abs() if number == 0 else number), []


def _decimal_places(value: Decimal) -> int:
    """How many decimals a finite ``value`` really has; trailing zeros do not count."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    text = "".join(map(str, digits))
    significant = text.rstrip("0")
    if not significant:
        return 0
    return max(0, -(exponent + len(text) - len(significant)))


def _read_amount(value: object, where: str) -> tuple[Ore | None, list[Problem]]:
    """Kroner → øre; negative amounts and fractions of an øre are problems, never rounded."""
    amount, problems = _read_number(value, where)
    if amount is None:
        return None, problems
    if amount < 0:
        return None, [Problem("negative", "Beløbet må ikke være negativt", where)]
    if _decimal_places(amount) > 2:
        message = "Beløbet har mere end to decimaler (brøkdele af en øre)"
        return None, [Problem("sub_ore", message, where)]
    return int(amount * ORE_PER_KRONE), []


def _read_alpha(value: object, where: str) -> tuple[Decimal | None, list[Problem]]:
    alpha, problems = _read_number(value, where)
    if alpha is None:
        return None, problems
    if _decimal_places(alpha) > ALPHA_PLACES:
        message = f"Vægten på ansvar har mere end {ALPHA_PLACES} decimaler"
        return None, [Problem("too_many_decimals", message, where)]
    if not 0 <= alpha <= 1:
        message = f"Vægten på ansvar skal ligge mellem 0 og 1, ikke {_danish_number(alpha)}"
        return None, [Problem("alpha_range", message, where)]
    return alpha, []


def _choice_reader(kind: type[E], code: str, noun: str) -> Reader[E]:
    """A reader for one of the JSON values of the enum ``kind``."""
    values = {member.value for member in kind}
    allowed = _or_list(member.value for member in kind)

    def read(value: object, where: str) -> tuple[E | None, list[Problem]]:
        if isinstance(value, str) and value in values:
            return kind(value), []
        given = f" {_shown(value)}" if isinstance(value, str) else ""
        return None, [Problem(code, f"Ukendt {noun}{given}; brug {allowed}", where)]

    return read


_read_per = _choice_reader(Per, "unknown_per", "betalingsperiode (per)")
_read_method = _choice_reader(Method, "unknown_method", "fordelingsmetode")
_read_status = _choice_reader(Status, "unknown_status", "status")


def _read_decision_value(value: object, where: str) -> tuple[str | None, list[Problem]]:
    if isinstance(value, str) and value in DECISIONS:
        return value, []
    given = f" {_shown(value)}" if isinstance(value, str) else ""
    message = f"Ukendt beslutning{given}; brug {_or_list(DECISIONS)}"
    return None, [Problem("unknown_decision", message, where)]


# --- references and uniqueness ------------------------------------------------------------------


def _check_known_department(
    code: str, where: str, departments: Collection[DepartmentCode]
) -> list[Problem]:
    if code in departments:
        return []
    return [Problem("unknown_department", f"Afdelingen {_shown(code)} findes ikke", where)]


def _check_unique(declared: Iterable[tuple[str, str]], code: str, noun: str) -> list[Problem]:
    """One problem for every repeat of a value; ``declared`` holds (value, where) pairs."""
    first: dict[str, str] = {}
    problems = []
    for value, where in declared:
        if value in first:
            message = f"{noun} {_shown(value)} er brugt mere end én gang (også i {first[value]})"
            problems.append(Problem(code, message, where))
        else:
            first[value] = where
    return problems


def _declared(items: Iterable[object], where: str, key: str) -> list[tuple[str, str]]:
    """The text values of ``key`` in the objects of a list, with their paths, valid or not."""
    found = []
    for index, item in enumerate(items):
        if isinstance(item, Mapping) and isinstance(item.get(key), str):
            found.append((item[key], _at(_item(where, index), key)))
    return found


def _read_codes(
    value: object, where: str, departments: Collection[DepartmentCode]
) -> tuple[tuple[DepartmentCode, ...] | None, list[Problem]]:
    """A list of distinct, known department codes, returned sorted."""
    items, problems = _read_list(value, where)
    if items is None:
        return None, problems
    declared = []
    for index, item in enumerate(items):
        path = _item(where, index)
        if isinstance(item, str):
            declared.append((item, path))
            problems += _check_known_department(item, path, departments)
        else:
            problems.append(Problem("wrong_type", "Skal være en afdelingskode (tekst)", path))
    problems += _check_unique(declared, "duplicate_department", "Afdelingen")
    return (None if problems else tuple(sorted(code for code, _ in declared))), problems


# --- the fields of one object -------------------------------------------------------------------


class _Fields:
    """The fields of one JSON object; each read records its problems at the field's path.

    Absent and ``null`` are the same. A read returns ``None`` when the field is absent or wrong.
    """

    def __init__(self, data: Mapping[str, object], where: str) -> None:
        self.data = data
        self.where = where
        self.problems: list[Problem] = []

    def path(self, key: str) -> str:
        return _at(self.where, key)

    def raw(self, key: str, *, required: bool = False) -> object | None:
        value = self.data.get(key)
        if value is None and required:
            self.problems.append(Problem("missing", f"Feltet '{key}' mangler", self.path(key)))
        return value

    def read(self, key: str, reader: Reader[T], *, required: bool = False) -> T | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        result, problems = reader(value, self.path(key))
        self.problems += problems
        return result

    def text(self, key: str, *, required: bool = False) -> str | None:
        return self.read(key, _read_required_text if required else _read_text, required=required)

    def department(self, key: str, departments: Collection[DepartmentCode]) -> str | None:
        code = self.text(key, required=True)
        if code is not None:
            self.problems += _check_known_department(code, self.path(key), departments)
        return code

    def check(self, problems: list[Problem]) -> None:
        self.problems += problems


# --- departments and cases ----------------------------------------------------------------------


def parse_department(data: object, where: str) -> tuple[Department | None, list[Problem]]:
    """One department: ``{"code", "name", "account"?, "active"?}`` (``active`` is only checked)."""
    obj, problems = _read_object(data, where)
    if obj is None:
        return None, problems
    fields = _Fields(obj, where)
    code = fields.read("code", _read_code, required=True)
    name = fields.text("name", required=True)
    account = _read_account_field(fields)
    fields.read("active", _read_bool)
    if fields.problems or code is None or name is None:
        return None, fields.problems
    return Department(code=code, name=name, account=account or ""), []


def _read_account_field(fields: _Fields) -> str | None:
    """The object's ``account``: ``None`` when absent, ``""`` when empty, else a valid string."""
    account = fields.read("account", read_account)
    if account:
        fields.check(check_no_cpr(account, fields.path("account")))
    return account


def _check_no_cpr_keys(data: Mapping[str, object], where: str) -> list[Problem]:
    """Every key naming a CPR number, at any depth; the values are never looked at or shown."""
    problems = []
    pending: list[tuple[object, str]] = [(data, where)]
    while pending:
        value, path = pending.pop()
        if isinstance(value, Mapping):
            for key, inner in value.items():
                inner_path = _at(path, str(key))
                if "cpr" in str(key).lower():
                    message = "CPR-numre må ikke registreres; sagen kendes på sit journalnummer"
                    problems.append(Problem("cpr_field", message, inner_path))
                else:
                    pending.append((inner, inner_path))
        elif isinstance(value, list | tuple):
            pending.extend((inner, _item(path, i)) for i, inner in enumerate(value))
    return sorted(problems, key=lambda problem: problem.where)


def parse_case(
    data: object, where: str, departments: Collection[DepartmentCode]
) -> tuple[Case | None, list[Problem]]:
    """One case: ``{"ref", "family"?, "coordinator"?, "consent"?, "assessed_on"?, "core_team"?}``.

    A key naming a CPR number is a problem wherever it sits in the case.
    """
    obj, problems = _read_object(data, where)
    if obj is None:
        return None, problems
    fields = _Fields(obj, where)
    ref = fields.text("ref", required=True)
    family = fields.text("family")
    coordinator = fields.text("coordinator")
    consent = fields.read("consent", _read_bool)
    assessed_on = fields.read("assessed_on", _read_date)
    core_team = fields.read("core_team", lambda value, path: _read_codes(value, path, departments))
    fields.check(_check_no_cpr_keys(obj, where))
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


# --- split versions -----------------------------------------------------------------------------


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


def _check_weight(value: Decimal, code: str, where: str, kind: _Kind) -> list[Problem]:
    noun = kind.noun.capitalize()
    if _decimal_places(value) > kind.places:
        detail = " (brøkdele af en øre)" if kind.decimals_code == "sub_ore" else ""
        message = f"{noun} for {_masked(code)} har mere end {kind.places} decimaler{detail}"
        return [Problem(kind.decimals_code, message, where)]
    if value < 0:
        shown = f"{_danish_number(value)}{kind.unit}"
        message = f"{noun} for {_masked(code)} må ikke være negativ ({shown})"
        return [Problem("negative", message, where)]
    return []


def _read_weights(
    fields: _Fields, kind: _Kind, departments: Collection[DepartmentCode], *, required: bool
) -> Weights | None:
    """A department → number object, sorted by code.

    The numbers come back whenever each one is an exact decimal within the allowed decimals, even
    if a department is unknown or a number negative, so that sums can still be checked.
    """
    value = fields.raw(kind.key, required=required)
    where = fields.path(kind.key)
    if value is None:
        return None if required else ()
    obj, problems = _read_object(value, where)
    fields.check(problems)
    if obj is None:
        return None
    weights: list[tuple[DepartmentCode, Decimal]] = []
    complete = True
    for code, raw in obj.items():
        path = _at(where, code)
        number, number_problems = _read_number(raw, path)
        fields.check(_check_known_department(code, path, departments))
        fields.check(number_problems)
        if number is None:
            complete = False
            continue
        weight_problems = _check_weight(number, code, path, kind)
        fields.check(weight_problems)
        complete = complete and all(p.code != kind.decimals_code for p in weight_problems)
        weights.append((code, number))
    return tuple(sorted(weights)) if complete else None


def _split_label(intervention: str | None, effective_from: date | None) -> str:
    """``indsats I-17 fra 01-07-2026``, or as much of it as is known."""
    label = f"indsats {_masked(intervention)}" if intervention else "fordelingen"
    return f"{label} fra {_danish_date(effective_from)}" if effective_from else label


def _total(weights: Weights) -> Decimal:
    return sum((value for _, value in weights), Decimal(0))


def _check_shares_sum(shares: Weights, where: str, label: str) -> list[Problem]:
    total = _total(shares)
    if total == 100:
        return []
    message = f"Andelene for {label} summerer til {_danish_number(total)} %, ikke 100 %"
    return [Problem("shares_sum", message, where)]


def _check_positive_total(weights: Weights, where: str, message: str) -> list[Problem]:
    if any(value > 0 for _, value in weights):
        return []
    return [Problem("zero_weights", message, where)]


def _check_weighted_sides(
    alpha: Decimal, responsibility: Weights | None, benefit: Weights | None, where: str, label: str
) -> list[Problem]:
    """A side with weight above 0 needs a department with more than 0 on that side."""
    problems = []
    sides = (
        ("responsibility", "ansvar", alpha > 0, responsibility),
        ("benefit", "gevinst", alpha < 1, benefit),
    )
    for key, noun, weighed, weights in sides:
        if weighed and weights is not None:
            message = (
                f"Mindst én afdeling skal have {noun} over 0 for {label}, "
                f"når vægten på {noun} er over 0"
            )
            problems += _check_positive_total(weights, _at(where, key), message)
    return problems


@dataclass(frozen=True, slots=True)
class _Inputs:
    """The inputs of a split version's method; those of the other methods stay empty."""

    shares: Weights = ()
    departments: tuple[DepartmentCode, ...] = ()
    alpha: Decimal = DEFAULT_ALPHA
    responsibility: Weights = ()
    benefit: Weights = ()
    savings: Weights = ()


def _fixed_inputs(fields: _Fields, departments: Collection[DepartmentCode], label: str) -> _Inputs:
    shares = _read_weights(fields, _SHARES, departments, required=True)
    if shares is not None:
        fields.check(_check_shares_sum(shares, fields.path("shares"), label))
    return _Inputs(shares=shares or ())


def _equal_inputs(fields: _Fields, departments: Collection[DepartmentCode], label: str) -> _Inputs:
    codes = fields.read(
        "departments", lambda value, where: _read_codes(value, where, departments), required=True
    )
    if codes == ():
        message = f"En lige fordeling skal have mindst én afdeling ({label})"
        fields.check([Problem("no_departments", message, fields.path("departments"))])
    return _Inputs(departments=codes or ())


def _weighted_inputs(
    fields: _Fields, departments: Collection[DepartmentCode], label: str
) -> _Inputs:
    given = fields.raw("alpha") is not None
    alpha = fields.read("alpha", _read_alpha) if given else DEFAULT_ALPHA
    responsibility = _read_weights(fields, _RESPONSIBILITY, departments, required=False)
    benefit = _read_weights(fields, _BENEFIT, departments, required=False)
    if alpha is not None:
        fields.check(_check_weighted_sides(alpha, responsibility, benefit, fields.where, label))
    return _Inputs(
        alpha=alpha if alpha is not None else DEFAULT_ALPHA,
        responsibility=responsibility or (),
        benefit=benefit or (),
    )


def _savings_inputs(
    fields: _Fields, departments: Collection[DepartmentCode], label: str
) -> _Inputs:
    savings = _read_weights(fields, _SAVINGS, departments, required=True)
    if savings is not None:
        message = f"Mindst én afdeling skal have en besparelse over 0 for {label}"
        fields.check(_check_positive_total(savings, fields.path("savings"), message))
    return _Inputs(savings=savings or ())


_METHOD_INPUTS: dict[Method, Callable[[_Fields, Collection[DepartmentCode], str], _Inputs]] = {
    Method.FIXED: _fixed_inputs,
    Method.EQUAL: _equal_inputs,
    Method.WEIGHTED: _weighted_inputs,
    Method.SAVINGS: _savings_inputs,
}


def _parse_decision(
    data: object, where: str, departments: Collection[DepartmentCode]
) -> tuple[Decision | None, list[Problem]]:
    obj, problems = _read_object(data, where)
    if obj is None:
        return None, problems
    fields = _Fields(obj, where)
    department = fields.department("department", departments)
    decision = fields.read("decision", _read_decision_value, required=True)
    by = fields.text("by")
    at = fields.read("at", _read_timestamp)
    at_meeting = fields.read("at_meeting", _read_bool)
    reason = fields.text("reason")
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


def _read_all(
    value: object, where: str, parse: Callable[[object, str], tuple[T | None, list[Problem]]]
) -> tuple[tuple[T, ...] | None, list[Problem]]:
    """Parse every item of a list; the tuple only when all of them are valid."""
    items, problems = _read_list(value, where)
    if items is None:
        return None, problems
    records = []
    for index, item in enumerate(items):
        record, item_problems = parse(item, _item(where, index))
        problems += item_problems
        if record is not None:
            records.append(record)
    return (None if problems else tuple(records)), problems


def parse_split(
    data: object,
    where: str,
    departments: Collection[DepartmentCode],
    *,
    intervention: str | None = None,
) -> tuple[SplitVersion | None, list[Problem]]:
    """One split version (design §4.3); ``intervention`` is its id, used in messages only.

    Only the inputs of the version's ``method`` are read; those of other methods are ignored.
    """
    obj, problems = _read_object(data, where)
    if obj is None:
        return None, problems
    fields = _Fields(obj, where)
    effective_from = fields.read("effective_from", _read_date, required=True)
    method = fields.read("method", _read_method, required=True)
    status = fields.read("status", _read_status, required=True)
    rationale = fields.text("rationale")
    decisions = fields.read(
        "decisions",
        lambda value, path: _read_all(
            value, path, lambda item, at: _parse_decision(item, at, departments)
        ),
    )
    label = _split_label(intervention, effective_from)
    inputs = _METHOD_INPUTS[method](fields, departments, label) if method is not None else None
    if fields.problems or effective_from is None or method is None or status is None:
        return None, fields.problems
    if inputs is None:
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


def _check_agreed_dates(splits: list[object], where: str, intervention: str) -> list[Problem]:
    """Two agreed versions from the same day leave the split in force undefined (design §4.2)."""
    first: dict[date, str] = {}
    problems = []
    for index, split in enumerate(splits):
        if not isinstance(split, Mapping) or split.get("status") != Status.AGREED.value:
            continue
        day, _ = _read_date(split.get("effective_from"), "")
        if day is None:
            continue
        path = _at(_item(where, index), "effective_from")
        if day in first:
            message = (
                f"Indsats {_masked(intervention)} har to aftalte fordelinger fra "
                f"{_danish_date(day)} ({first[day]} og {_item(where, index)})"
            )
            problems.append(Problem("duplicate_agreed_version", message, path))
        else:
            first[day] = _item(where, index)
    return problems


# --- interventions ------------------------------------------------------------------------------


def _check_end_after_start(start: date, end: date, where: str) -> list[Problem]:
    if end >= start:
        return []
    message = f"Slutdatoen {_danish_date(end)} ligger før startdatoen {_danish_date(start)}"
    return [Problem("end_before_start", message, where)]


def _parse_cost(data: object, where: str) -> tuple[CostSchedule | None, list[Problem]]:
    obj, problems = _read_object(data, where)
    if obj is None:
        return None, problems
    fields = _Fields(obj, where)
    amount = fields.read("amount", _read_amount, required=True)
    per = fields.read("per", _read_per, required=True)
    start = fields.read("start", _read_date, required=True)
    end = fields.read("end", _read_date)
    if start is not None and end is not None and per is not Per.ONCE:
        # A one-off falls whole on its start day; its end is ignored (design §4.1).
        fields.check(_check_end_after_start(start, end, fields.path("end")))
    if fields.problems or amount is None or per is None or start is None:
        return None, fields.problems
    return CostSchedule(amount=amount, per=per, start=start, end=end), []


def parse_intervention(
    data: object,
    where: str,
    departments: Collection[DepartmentCode],
    cases: Collection[CaseRef],
) -> tuple[Intervention | None, list[Problem]]:
    """One intervention with its cost schedule, split versions and optional account string."""
    obj, problems = _read_object(data, where)
    if obj is None:
        return None, problems
    fields = _Fields(obj, where)
    ident = fields.text("id", required=True)
    case = fields.text("case", required=True)
    if case is not None and case not in cases:
        message = f"Sagen {_shown(case)} findes ikke"
        fields.check([Problem("unknown_case", message, fields.path("case"))])
    title = fields.text("title", required=True)
    legal_basis = fields.text("legal_basis")
    granted_by = fields.department("granted_by", departments)
    paid_by = fields.department("paid_by", departments)
    cost = fields.read("cost", _parse_cost, required=True)
    account = _read_account_field(fields)
    splits = fields.read(
        "splits",
        lambda value, path: _read_all(
            value, path, lambda item, at: parse_split(item, at, departments, intervention=ident)
        ),
    )
    raw_splits = obj.get("splits")
    if isinstance(raw_splits, list | tuple):
        fields.check(_check_agreed_dates(list(raw_splits), fields.path("splits"), ident or ""))
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
        account=account,
    )
    return record, []


# --- the whole scenario and the calculator's period ---------------------------------------------


def parse_scenario(data: object) -> tuple[Scenario | None, list[Problem]]:
    """A scenario JSON value (design §5) → ``(Scenario, [])``, or ``(None, every problem)``.

    Departments and case references are known to the rest of the scenario even when their own
    entries have problems, so one mistake is reported once, not again at every reference.
    """
    obj, problems = _read_object(data, "")
    if obj is None:
        return None, problems
    fields = _Fields(obj, "")
    raw_departments = fields.read("departments", _read_list, required=True) or []
    raw_cases = fields.read("cases", _read_list, required=True) or []
    raw_interventions = fields.read("interventions", _read_list, required=True) or []

    department_codes = _declared(raw_departments, "departments", "code")
    case_refs = _declared(raw_cases, "cases", "ref")
    known_departments = frozenset(code for code, _ in department_codes)
    known_cases = frozenset(ref for ref, _ in case_refs)

    departments, department_problems = _read_all(raw_departments, "departments", parse_department)
    cases, case_problems = _read_all(
        raw_cases, "cases", lambda item, at: parse_case(item, at, known_departments)
    )
    interventions, intervention_problems = _read_all(
        raw_interventions,
        "interventions",
        lambda item, at: parse_intervention(item, at, known_departments, known_cases),
    )
    fields.check(department_problems)
    fields.check(_check_unique(department_codes, "duplicate_department", "Afdelingskoden"))
    fields.check(case_problems)
    fields.check(_check_unique(case_refs, "duplicate_case", "Sagsnummeret"))
    fields.check(intervention_problems)
    ids = _declared(raw_interventions, "interventions", "id")
    fields.check(_check_unique(ids, "duplicate_intervention", "Indsats-id'et"))
    if fields.problems or departments is None or cases is None or interventions is None:
        return None, fields.problems
    return Scenario(departments=departments, cases=cases, interventions=interventions), []


def parse_period(start: object, end: object) -> tuple[Period | None, list[Problem]]:
    """The calculator's period from two ISO dates, both inclusive; ``None`` means not given."""
    fields = _Fields({"from": start, "to": end}, "period")
    first = fields.read("from", _read_date, required=True)
    last = fields.read("to", _read_date, required=True)
    if first is not None and last is not None:
        fields.check(_check_end_after_start(first, last, fields.path("to")))
    if fields.problems or first is None or last is None:
        return None, fields.problems
    return Period(start=first, end=last), []
