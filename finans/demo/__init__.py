"""A realistic, made-up demo municipality as scenario JSON (docs/scenario.md), with its demo users
and budgets.

Used by ``finans demo``, ``finans serve --demo``, the shipped workbooks, the benchmarks and the
tests. Everything is invented: family labels are labels, not identities, and no person named here
exists. The data comes from a fixed seed and every date is counted from the ``today`` you pass in,
so the same day always gives the same municipality and the demo always looks current. Its shape does
not depend on ``today``: only the dates move.

The demo holds 9 departments, 40 drawn cases (about 70 % eligible for joint financing) and 120
interventions whose split versions are in every state: agreed, re-assessed, proposed (a queue for
every department's controller), draft and rejected; then three expensive households that pass the
state refund's thresholds, and the refund rates of last year and this year.

- :mod:`~finans.demo.people`: departments, who works where, the demo users;
- :mod:`~finans.demo.kinds`: the kinds of help a family gets, with their legal basis and cost;
- :mod:`~finans.demo.cases`: cases and their interventions, drawn in a fixed order;
- :mod:`~finans.demo.splits` and :mod:`~finans.demo.decisions`: split versions and the
  departments' answers to them;
- :mod:`~finans.demo.households`: the expensive households and the demo's refund rates;
- :mod:`~finans.demo.budgets`: a budget per department sized from the forecast.
"""

from __future__ import annotations

from datetime import date

from finans.demo.budgets import demo_budgets
from finans.demo.cases import DemoBuilder
from finans.demo.people import DEMO_MAIL_DOMAIN, DEMO_PASSWORD, Json, demo_users

__all__ = ["DEMO_MAIL_DOMAIN", "DEMO_PASSWORD", "demo_budgets", "demo_scenario", "demo_users"]


def demo_scenario(today: date) -> Json:
    """The demo municipality as scenario JSON, with every date counted back from ``today``."""
    return DemoBuilder(today).build()
