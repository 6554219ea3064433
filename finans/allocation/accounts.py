"""Municipal account strings (kontostrenge): the shape finans accepts, checked in one place.

A Danish municipal account string starts with the function of the authorised chart of accounts,
``hovedkonto.hovedfunktion.funktion`` (``5.28.21``: one digit, two digits, two digits), and may go
on with the groups a full posting string carries (dranst, gruppering, art, cost centre, activity),
each of digits or letters, separated by a dot or a single space: ``5.28.21``, ``5.57.72.1``,
``5.28.21.1.4.001 1001``. Nothing else is taken, so a posting file never carries a mistyped string.
Departments may leave theirs empty until an administrator sets it; postings then refuse to run.

>>> account_problems("5.28.21 1001", "departments[0].account")
[]
>>> [p.code for p in account_problems("5-28-21", "departments[0].account")]
['bad_account']
"""

from __future__ import annotations

import re

from finans.allocation.problems import Problem

Account = str
"""An account string such as ``5.28.21`` (or ``""`` when none is set)."""

MAX_ACCOUNT_LENGTH = 60
"""Longer strings are refused; a full 16-digit string with cost centre and activity is shorter."""

ACCOUNT_SHAPE = re.compile(r"[0-9]\.[0-9]{2}\.[0-9]{2}(?:[. ][0-9A-Za-z]+)*")
"""``hovedkonto.hovedfunktion.funktion``, then groups of digits or letters after a dot or space."""

ACCOUNT_HINT = "fx 5.28.21 eller 5.28.21.1.4 1001"


def account_problems(text: str, where: str) -> list[Problem]:
    """A problem unless ``text`` has the account-string shape (empty text is for the caller)."""
    if len(text) > MAX_ACCOUNT_LENGTH:
        message = f"Kontostrengen er længere end {MAX_ACCOUNT_LENGTH} tegn"
        return [Problem("bad_account", message, where)]
    if ACCOUNT_SHAPE.fullmatch(text):
        return []
    shown = text if text.isprintable() else "".join(c if c.isprintable() else "?" for c in text)
    message = (
        f"Kontostrengen '{shown}' skal begynde med hovedkonto.hovedfunktion.funktion og kan "
        f"fortsætte med grupper af tal eller bogstaver adskilt af punktum eller mellemrum "
        f"({ACCOUNT_HINT})"
    )
    return [Problem("bad_account", message, where)]


def read_account(value: object, where: str) -> tuple[Account | None, list[Problem]]:
    """An account string from JSON text: trimmed; ``""`` (none set) is returned as it is."""
    if not isinstance(value, str):
        return None, [Problem("wrong_type", "Skal være tekst", where)]
    text = value.strip()
    if not text:
        return "", []
    problems = account_problems(text, where)
    return (None if problems else text), problems
