"""What any text people type must satisfy: no control characters, and a length limit.

NUL cannot be stored by PostgreSQL and the other control characters only hide text from people,
so they are refused everywhere; multi-line fields (reasons, rationales) may hold tab and line
breaks. Unpaired surrogates cannot be written as UTF-8 and are refused the same way.
"""

from __future__ import annotations

import re

from finans.allocation.problems import Problem
from finans.formatting import format_number

MULTILINE_ALLOWED = "\t\n\r"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_bad_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds a control character (tab and line breaks allowed if multi-line)."""
    pattern = _CONTROL_EXCEPT_LINES if multiline else _CONTROL
    return pattern.search(text) is not None


def bad_characters(where: str) -> Problem:
    return Problem("bad_characters",
                   "Teksten indeholder kontroltegn eller ugyldige tegn, som ikke kan gemmes", where)


def too_long(where: str, limit: int) -> Problem:
    return Problem("too_long", f"Teksten må højst være {format_number(limit)} tegn", where)


def text_problems(text: str, where: str, limit: int, *, multiline: bool = False) -> list[Problem]:
    """The problems of one text field: too long, or holding characters that cannot be kept."""
    problems = []
    if len(text) > limit:
        problems.append(too_long(where, limit))
    if has_bad_characters(text, multiline=multiline):
        problems.append(bad_characters(where))
    return problems
