"""One reader of periods for every door: two dates, a year, a month ``YYYY-MM``, a quarter
``2026Q2``; and the whole calendar units as periods.

The calculator, the API, the dashboard and the workbook export all read the periods people ask
for here, so a period means the same everywhere and a bad one is reported the same way, located
at the field it came from.

>>> parse_quarter("2026Q2", "quarter")
(Period(start=datetime.date(2026, 4, 1), end=datetime.date(2026, 6, 30)), [])
>>> [(p.code, p.where) for p in parse_period("2026-02-01", "2026-01-31")[1]]
[('end_before_start', 'period.to')]
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from finans.allocation.messages import danish_date, problem, shown
from finans.allocation.problems import Problem
from finans.allocation.records import Period

FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a period may lie in."""

MAX_DAYS = 3660
"""The longest period the screens and the API compute: ten years (and a leap day or three)."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})[Qq]([1-4])")


def year_period(year: int) -> Period:
    """1 January to 31 December of ``year``."""
    return Period(date(year, 1, 1), date(year, 12, 31))


def month_period(year: int, month: int) -> Period:
    """The whole calendar month."""
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def quarter_period(year: int, quarter: int) -> Period:
    """The quarter's three whole months (quarter 1 is January–March)."""
    return Period(date(year, 3 * quarter - 2, 1), month_period(year, 3 * quarter).end)


def quarter_of(day: date) -> int:
    """1–4: the quarter ``day`` falls in."""
    return (day.month - 1) // 3 + 1


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _year_in_range(year: int, where: str, name: str) -> list[Problem]:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return []
    message = f"{name} skal ligge mellem år {FIRST_YEAR} og {LAST_YEAR}"
    return [problem("year_range", message, where)]


def parse_day(value: object, where: str, name: str = "Datoen") -> tuple[date | None,
                                                                        list[Problem]]:
    """An ISO date ``YYYY-MM-DD`` in the years a period may lie in; absent is a problem."""
    text = _text(value)
    if value is None or text == "":
        return None, [problem("missing", f"{name} mangler", where)]
    day = None
    if text is not None and _ISO_DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            pass
    if day is None:
        given = f"{shown(text)} er ikke" if text is not None else f"{name} skal være"
        message = f"{given} en gyldig dato på formen ÅÅÅÅ-MM-DD"
        return None, [problem("bad_date", message, where)]
    problems = _year_in_range(day.year, where, name)
    return (None if problems else day), problems


def parse_period(
    start: object, end: object, where: str = "period", *, max_days: int | None = None
) -> tuple[Period | None, list[Problem]]:
    """A period from two ISO dates, both inclusive, at ``where.from`` and ``where.to`` (``from``
    and ``to`` when ``where`` is empty); ``max_days`` bounds its length."""
    prefix = f"{where}." if where else ""
    first, problems = parse_day(start, f"{prefix}from", "Fra-datoen")
    last, last_problems = parse_day(end, f"{prefix}to", "Til-datoen")
    problems += last_problems
    if first is None or last is None:
        return None, problems
    if last < first:
        dates = f"{danish_date(last)} før {danish_date(first)}"
        message = f"Til-datoen ligger før fra-datoen ({dates})"
        return None, [problem("end_before_start", message, f"{prefix}to")]
    if max_days is not None and (last - first).days >= max_days:
        message = f"Perioden må højst være {max_days // 366} år lang"
        return None, [problem("period_too_long", message, f"{prefix}to")]
    return Period(first, last), []


def parse_period_in_year(
    start: str | None, end: str | None, year: int, where: str = "period"
) -> tuple[Period | None, list[Problem]]:
    """Like :func:`parse_period`, with 1 January and 31 December of ``year`` for a bound that is
    not given (the command line's ``--from`` and ``--to``)."""
    return parse_period(start or f"{year:04d}-01-01", end or f"{year:04d}-12-31", where)


def parse_whole(
    value: object, where: str, low: int, high: int, name: str
) -> tuple[int | None, list[Problem]]:
    """A whole number from ``low`` to ``high`` written in digits (a year, quarter or month
    number of a form); ``None`` without a problem when absent."""
    text = _text(value)
    if value is None or text == "":
        return None, []
    if text is None or not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        message = f"{name} skal være et helt tal fra {low} til {high}"
        return None, [problem("bad_number", message, where)]
    return int(text), []


def parse_year(value: object, where: str) -> tuple[int | None, list[Problem]]:
    """A year in digits, from :data:`FIRST_YEAR` to :data:`LAST_YEAR`; ``None`` without a problem
    when absent."""
    return parse_whole(value, where, FIRST_YEAR, LAST_YEAR, "Året")


def parse_month(value: object, where: str) -> tuple[Period | None, list[Problem]]:
    """A whole month written ``YYYY-MM``."""
    match = _MONTH.fullmatch(_text(value) or "")
    if match is None or not 1 <= int(match.group(2)) <= 12:
        message = "Måneden skal skrives ÅÅÅÅ-MM, fx 2026-03"
        return None, [problem("bad_month", message, where)]
    year, month = int(match.group(1)), int(match.group(2))
    problems = _year_in_range(year, where, "Måneden")
    return (None if problems else month_period(year, month)), problems


def parse_quarter(value: object, where: str) -> tuple[Period | None, list[Problem]]:
    """A whole quarter written ``YYYYQn``, fx ``2026Q2``."""
    match = _QUARTER.fullmatch(_text(value) or "")
    if match is None:
        message = "Kvartalet skal skrives som året, Q og kvartalets nummer, fx 2026Q2"
        return None, [problem("bad_quarter", message, where)]
    year, quarter = int(match.group(1)), int(match.group(2))
    problems = _year_in_range(year, where, "Kvartalet")
    return (None if problems else quarter_period(year, quarter)), problems
