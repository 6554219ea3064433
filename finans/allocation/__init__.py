"""The pure allocation core: exact money, split versions, month-by-month allocation, settlement,
state refunds.

Stdlib only. Everything else in finans (store, web, Excel, charts, CLI) is an adapter around it.
"""

from finans.allocation.eligibility import Eligibility, EligibilityCriteria, check_eligibility
from finans.allocation.engine import Allocation, Line, Unsplit, allocate
from finans.allocation.problems import Problem
from finans.allocation.records import (
    Case,
    CostSchedule,
    Decision,
    Department,
    Intervention,
    Method,
    Per,
    Period,
    RefundRates,
    Scenario,
    SplitVersion,
    Status,
)
from finans.allocation.refund import Refund, Refunds, refunds
from finans.allocation.settlement import Transfer, settle
from finans.allocation.shares import resolve_shares

__all__ = [
    "Allocation",
    "Case",
    "CostSchedule",
    "Decision",
    "Department",
    "Eligibility",
    "EligibilityCriteria",
    "Intervention",
    "Line",
    "Method",
    "Per",
    "Period",
    "Problem",
    "Refund",
    "RefundRates",
    "Refunds",
    "Scenario",
    "SplitVersion",
    "Status",
    "Transfer",
    "Unsplit",
    "allocate",
    "check_eligibility",
    "refunds",
    "resolve_shares",
    "settle",
]
