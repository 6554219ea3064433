"""The scenario's ``refund`` block → :class:`RefundRates` per year (docs/scenario.md).

``{"years": {"2022": {"thresholds": ["860000", "1680000", "2120000"], "percents": ["25", "50",
"75"]}}}``: per year the tiers' lower bounds in kroner per year, strictly ascending, and the
percent refunded inside each tier (0–100, at most four decimals).
"""

from __future__ import annotations

import re
from decimal import Decimal

from finans.allocation.coercion import Fields, read_amount, read_list, read_number, read_object
from finans.allocation.messages import Where, danish_number, masked, problem
from finans.allocation.money import Ore
from finans.allocation.problems import Problem
from finans.allocation.records import RefundRates
from finans.allocation.rules import within_places

PERCENT_PLACES = 4
_YEAR_KEY = re.compile(r"[1-9][0-9]{3}")


def _read_threshold_list(value: object, where: Where) -> tuple[list[Ore] | None, list[Problem]]:
    """Amounts in kroner per year, each ≥ 0 and above the one before."""
    items, problems = read_list(value, where)
    if items is None:
        return None, problems
    thresholds: list[Ore] = []
    for index, item in enumerate(items):
        path = (where, index)
        amount, item_problems = read_amount(item, path)
        problems += item_problems
        if amount is None:
            continue
        if thresholds and amount <= thresholds[-1]:
            message = "Grænserne skal stige: hver grænse skal være større end den før"
            problems.append(problem("thresholds_order", message, path))
        thresholds.append(amount)
    return (None if problems else thresholds), problems


def _read_percent_list(
    value: object, where: Where
) -> tuple[list[Decimal] | None, list[Problem]]:
    """Percents from 0 to 100 with at most four decimals."""
    items, problems = read_list(value, where)
    if items is None:
        return None, problems
    percents: list[Decimal] = []
    for index, item in enumerate(items):
        path = (where, index)
        percent, item_problems = read_number(item, path)
        problems += item_problems
        if percent is None:
            continue
        if not within_places(percent, PERCENT_PLACES):
            message = f"Procentsatsen har mere end {PERCENT_PLACES} decimaler"
            problems.append(problem("too_many_decimals", message, path))
        elif not 0 <= percent <= 100:
            message = f"Procentsatsen skal ligge mellem 0 og 100, ikke {danish_number(percent)}"
            problems.append(problem("percent_range", message, path))
        percents.append(percent)
    return (None if problems else percents), problems


def _parse_year(year: int, data: object, where: Where) -> tuple[RefundRates | None, list[Problem]]:
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    thresholds = fields.read("thresholds", _read_threshold_list, required=True)
    percents = fields.read("percents", _read_percent_list, required=True)
    if thresholds is not None and percents is not None:
        if not thresholds:
            message = "Der skal være mindst ét trin (en grænse og en procentsats)"
            fields.check([problem("no_tiers", message, fields.path("thresholds"))])
        elif len(thresholds) != len(percents):
            message = (
                f"Der er {len(thresholds)} grænser men {len(percents)} procentsatser; "
                "hvert trin skal have begge"
            )
            fields.check([problem("tiers_mismatch", message, fields.path("percents"))])
    if fields.problems or thresholds is None or percents is None:
        return None, fields.problems
    return RefundRates(year, tuple(thresholds), tuple(percents)), []


def _read_years(value: object, where: Where) -> tuple[tuple[RefundRates, ...] | None,
                                                       list[Problem]]:
    obj, problems = read_object(value, where)
    if obj is None:
        return None, problems
    rates = []
    for key, data in obj.items():
        path = (where, key)
        if not _YEAR_KEY.fullmatch(key):
            message = f"'{masked(key)}' er ikke et år; skriv året med fire cifre, fx \"2026\""
            problems.append(problem("bad_year", message, path))
            continue
        record, year_problems = _parse_year(int(key), data, path)
        problems += year_problems
        if record is not None:
            rates.append(record)
    return (None if problems else tuple(sorted(rates, key=lambda r: r.year))), problems


def parse_refund(
    data: object, where: Where
) -> tuple[tuple[RefundRates, ...] | None, list[Problem]]:
    """The ``refund`` block: ``{"years": {"YYYY": {"thresholds": […], "percents": […]}}}``."""
    obj, problems = read_object(data, where)
    if obj is None:
        return None, problems
    fields = Fields(obj, where)
    years = fields.read("years", _read_years, required=True)
    if fields.problems or years is None:
        return None, fields.problems
    return years, []
