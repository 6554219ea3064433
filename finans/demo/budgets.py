"""The demo departments' yearly joint-financing budgets, sized from the demo's own forecast."""

from __future__ import annotations

from datetime import date

from finans.allocation.engine import allocate
from finans.allocation.money import format_ore, round_half_up
from finans.allocation.records import Period
from finans.allocation.validation import parse_scenario
from finans.demo.people import Json

BUDGET_PERCENT = {"BFA": 96, "BFH": 108, "DAG": 110, "HJM": 90, "JOB": 115, "SKO": 104,
                  "SUN": 112, "UNG": 97, "VOK": 106}
"""Each demo department's joint-financing budget as a percentage of its forecast for the year:
most keep within budget, a few overspend, so the budget follow-up has something to show."""

BUDGET_ROUNDING_ORE = 1_000_000
"""Budgets are round figures: whole 10.000 kr."""


def demo_budgets(scenario: Json, year: int) -> list[Json]:
    """Yearly budgets ``{"department", "year", "amount"}`` sized from the scenario's forecast."""
    records, problems = parse_scenario(scenario)
    if records is None:
        raise ValueError(f"the demo scenario is invalid: {problems[:3]}")
    forecast = allocate(records, Period(date(year, 1, 1), date(year, 12, 31))).totals
    budgets = []
    for code, percent in BUDGET_PERCENT.items():
        ore = round_half_up(forecast.get(code, 0) * percent, 100 * BUDGET_ROUNDING_ORE)
        amount = format_ore(ore * BUDGET_ROUNDING_ORE)
        budgets.append({"department": code, "year": year, "amount": amount})
    return budgets
