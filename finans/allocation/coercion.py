"""Reading single JSON values into Python values: objects, lists, text, numbers, dates, choices.

Every reader has the same shape: ``read(value, where) -> (result or None, problems)``. It never
raises on bad input, and returns a result only when the value had no problem.

Numbers must be exact: JSON integers, ``Decimal`` (``json.loads(text, parse_float=Decimal)``) or
numeric text (``"12000.00"``, Danish ``"33,5"``). A ``float`` has already lost exactness and is
refused. Dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from typing import TypeVar

from finans.allocation.messages import Where, cpr_shaped, danish_number, or_list, problem, shown
from finans.allocation.money import ORE_PER_KRONE, Ore
from finans.allocation.problems import Problem
from finans.allocation.rules import LABEL, REFERENCE_TEXT, TextRule, check_text, within_places

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)
Reader = Callable[[object, Where], tuple[T | None, list[Problem]]]

LARGEST_NUMBER = Decimal(10) ** 12
"""No amount or weight is larger; it also keeps every sum exact in the default decimal context."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def read_object(value: object, where: Where) -> tuple[Mapping[str, object] | None, list[Problem]]:
    if type(value) is not dict and not isinstance(value, Mapping):
        return None, [problem("not_object", "Skal være et objekt ({…})", where)]
    if not all(map(isinstance, value, repeat(str))):
        return None, [problem("wrong_type", "Alle nøgler skal være tekst", where)]
    return value, []


def read_list(value: object, where: Where) -> tuple[list[object] | None, list[Problem]]:
    if not isinstance(value, list | tuple):
        return None, [problem("not_list", "Skal være en liste ([…])", where)]
    return list(value), []


def text_reader(rule: TextRule, *, required: bool = False) -> Reader[str]:
    """A reader of text kept by ``rule``; ``required`` text may not be blank."""
    limit, reference = rule.limit, rule.reference

    def read(value: object, where: Where) -> tuple[str | None, list[Problem]]:
        # Most text is printable, short, not blank and has nothing shaped like a CPR number: it is
        # accepted in one step, and everything else is judged by the rules one by one.
        if (
            type(value) is str
            and value.isprintable()
            and len(value) <= limit
            and (not reference or REFERENCE_TEXT.fullmatch(value))
            and not (required and (not value or value.isspace()))
            and not cpr_shaped(value)
        ):
            return value, []
        if not isinstance(value, str):
            return None, [problem("wrong_type", "Skal være tekst", where)]
        problems = check_text(value, where, rule)
        if problems:
            return None, problems
        if required and not value.strip():
            return None, [problem("empty", "Må ikke være tom", where)]
        return value, []

    return read


def code_reader(rule: TextRule) -> Reader[str]:
    """A reader of a department code: non-empty text without whitespace, in capitals (``BFH``),
    so that ``bfh`` never becomes a second department beside ``BFH``."""
    read_text = text_reader(rule, required=True)

    def read(value: object, where: Where) -> tuple[str | None, list[Problem]]:
        code, problems = read_text(value, where)
        if code is not None and code.split() != [code]:
            message = f"Afdelingskoden {shown(code)} må ikke indeholde mellemrum"
            return None, [problem("whitespace_in_code", message, where)]
        if code is not None and code != code.upper():
            message = (f"Afdelingskoden {shown(code)} skal skrives med store bogstaver: "
                       f"{shown(code.upper())}")
            return None, [problem("lowercase_code", message, where)]
        return code, problems

    return read


def read_bool(value: object, where: Where) -> tuple[bool | None, list[Problem]]:
    if not isinstance(value, bool):
        return None, [problem("wrong_type", "Skal være true eller false", where)]
    return value, []


def read_date(value: object, where: Where) -> tuple[date | None, list[Problem]]:
    if not isinstance(value, str):
        return None, [problem("bad_date", "Datoen skal være tekst på formen ÅÅÅÅ-MM-DD", where)]
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value), []
        except ValueError:
            pass
    message = f"{shown(value)} er ikke en gyldig dato på formen ÅÅÅÅ-MM-DD"
    return None, [problem("bad_date", message, where)]


_read_label = text_reader(LABEL)


def read_timestamp(value: object, where: Where) -> tuple[str | None, list[Problem]]:
    text, problems = _read_label(value, where)
    if text is None:
        return None, problems
    try:
        datetime.fromisoformat(text)
    except ValueError:
        message = f"{shown(text)} er ikke et tidspunkt på formen ÅÅÅÅ-MM-DDTtt:mm:ss"
        return None, [problem("bad_timestamp", message, where)]
    return text, []


def read_number(value: object, where: Where) -> tuple[Decimal | None, list[Problem]]:
    """An exact, finite, not absurdly large decimal from an int, ``Decimal`` or numeric text."""
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER_TEXT.fullmatch(text):
            return None, [problem("not_number", f"{shown(value)} er ikke et tal", where)]
        number = Decimal(text.replace(",", ".") if "," in text else text)
    elif isinstance(value, Decimal):
        number = value
        if not number.is_finite():
            return None, [problem("not_number", "Skal være et endeligt tal", where)]
    elif isinstance(value, float):
        message = 'Tallet er et binært kommatal og ikke eksakt; skriv det som tekst, fx "12.50"'
        return None, [problem("float_not_exact", message, where)]
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        return None, [problem("not_number", "Skal være et tal", where)]
    if not -LARGEST_NUMBER <= number <= LARGEST_NUMBER:
        message = f"Tallet er for stort (højst {danish_number(LARGEST_NUMBER)})"
        return None, [problem("too_large", message, where)]
    return (number if number else number.copy_abs()), []


def read_amount(value: object, where: Where) -> tuple[Ore | None, list[Problem]]:
    """Kroner → øre; negative amounts and fractions of an øre are problems, never rounded."""
    amount, problems = read_number(value, where)
    if amount is None:
        return None, problems
    if amount < 0:
        return None, [problem("negative", "Beløbet må ikke være negativt", where)]
    if not within_places(amount, 2):
        message = "Beløbet har mere end to decimaler (brøkdele af en øre)"
        return None, [problem("sub_ore", message, where)]
    return int(amount * ORE_PER_KRONE), []


def choice_reader(choices: tuple[str, ...], code: str, noun: str) -> Reader[str]:
    """A reader for one of ``choices``."""
    allowed = or_list(choices)

    def read(value: object, where: Where) -> tuple[str | None, list[Problem]]:
        if isinstance(value, str) and value in choices:
            return value, []
        given = f" {shown(value)}" if isinstance(value, str) else ""
        return None, [problem(code, f"Ukendt {noun}{given}; brug {allowed}", where)]

    return read


def enum_reader(kind: type[E], code: str, noun: str) -> Reader[E]:
    """A reader for one of the JSON values of the enum ``kind``."""
    members = {member.value: member for member in kind}
    read_value = choice_reader(tuple(members), code, noun)

    def read(value: object, where: Where) -> tuple[E | None, list[Problem]]:
        member = members.get(value) if isinstance(value, str) else None
        if member is not None:
            return member, []
        return None, read_value(value, where)[1]

    return read


def read_all(
    value: object, where: Where, parse: Callable[[object, Where], tuple[T | None, list[Problem]]]
) -> tuple[tuple[T, ...] | None, list[Problem]]:
    """Parse every item of a list; the tuple only when all of them are valid."""
    items, problems = read_list(value, where)
    if items is None:
        return None, problems
    records = []
    for index, item in enumerate(items):
        record, item_problems = parse(item, (where, index))
        problems += item_problems
        if record is not None:
            records.append(record)
    return (None if problems else tuple(records)), problems


class Fields:
    """The fields of one JSON object; each read records its problems at the field's path.

    Absent and ``null`` are the same. A read returns ``None`` when the field is absent or wrong.
    """

    __slots__ = ("data", "where", "problems")

    def __init__(self, data: Mapping[str, object], where: Where) -> None:
        self.data = data
        self.where = where
        self.problems: list[Problem] = []

    def path(self, key: str) -> Where:
        return (self.where, key)

    def raw(self, key: str, *, required: bool = False) -> object | None:
        value = self.data.get(key)
        if value is None and required:
            self.problems.append(problem("missing", f"Feltet '{key}' mangler", (self.where, key)))
        return value

    def read(self, key: str, reader: Reader[T], *, required: bool = False) -> T | None:
        value = self.data.get(key)
        if value is None:
            if required:
                message = f"Feltet '{key}' mangler"
                self.problems.append(problem("missing", message, (self.where, key)))
            return None
        result, problems = reader(value, (self.where, key))
        if problems:
            self.problems += problems
        return result

    def check(self, problems: list[Problem]) -> None:
        if problems:
            self.problems += problems
