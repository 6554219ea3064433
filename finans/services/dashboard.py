"""The managers' overview: period choice, per-department figures, pending approvals, drill-down.

Every amount comes from the engine (:func:`finans.allocation.engine.allocate`) run on the database's
records; this module only sums engine lines by department and month and counts cases. Spend so far
uses a property the calculator guarantees (docs/calculation.md): a month's total is the same
whatever period is asked, so a month lying wholly inside two periods has the same lines in both.
The budget year's full months before the reference day are therefore read from one allocation of
the year, which is also the forecast, and only the month holding the reference day is allocated
again up to that day.

The state refund comes from the engine too (:func:`finans.allocation.refund.refunds` on the same
allocations): each department's part of it in the period and over the budget year, so the page
shows gross, refund and net cost, and the budget follow-up measures the net forecast.

Results are cached per data revision (:mod:`finans.services.caching`) and period, so a warm
dashboard does no arithmetic at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from finans.allocation import periods
from finans.allocation.eligibility import EligibilityCriteria, check_eligibility
from finans.allocation.engine import Allocation, allocate
from finans.allocation.postings import correction_totals
from finans.allocation.problems import Problem
from finans.allocation.records import Period, Scenario, Status
from finans.allocation.refund import refunds
from finans.allocation.settlement import net_positions
from finans.formatting import format_date
from finans.services import budgets, closing, figures, lookup, splits
from finans.services.actor import Actor
from finans.services.caching import RevisionCache
from finans.services.policy import OWN, Action, require, require_somewhere, scope_of
from finans.services.refunds import RefundFigures, refund_figures
from finans.services.settings import eligibility_criteria
from finans.store.timestamps import local

KINDS = ("year", "quarter", "month", "range")

# --- the period -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodChoice:
    """A period as chosen on the dashboard, with the fields to show it again in the form."""

    kind: str
    year: int
    quarter: int
    month: int
    period: Period

    @property
    def label(self) -> str:
        """The period for people: ``2026``, ``2. kvartal 2026``, ``marts 2026`` or a date range."""
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.quarter}. kvartal {self.year}"
        if self.kind == "month":
            return MONTH_NAMES[self.month - 1] + f" {self.year}"
        return f"{format_date(self.period.start)} – {format_date(self.period.end)}"

    @property
    def budget_year(self) -> int:
        """The year followed up against its budget: the year the period ends in."""
        return self.period.end.year

    def query(self) -> dict[str, str]:
        """The query parameters that choose this period again (for links and chart URLs)."""
        if self.kind == "range":
            return {"kind": self.kind, "from": self.period.start.isoformat(),
                    "to": self.period.end.isoformat()}
        args = {"kind": self.kind, "year": str(self.year)}
        if self.kind == "quarter":
            args["quarter"] = str(self.quarter)
        if self.kind == "month":
            args["month"] = str(self.month)
        return args


MONTH_NAMES = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)


PERIOD_WORDS = {
    "aar": {"kind": "year"},
    **{f"k{number}": {"kind": "quarter", "quarter": str(number)} for number in range(1, 5)},
    **{f"m{number}": {"kind": "month", "month": str(number)} for number in range(1, 13)},
    "fra-til": {"kind": "range"},
}
"""The period form's one choice (``periode``): the whole year, a quarter, a month, or the dates."""


def period_word(choice: PeriodChoice) -> str:
    """The ``periode`` value that chooses ``choice`` again in the form."""
    if choice.kind == "quarter":
        return f"k{choice.quarter}"
    if choice.kind == "month":
        return f"m{choice.month}"
    return "fra-til" if choice.kind == "range" else "aar"


def _from_period_word(args: Mapping[str, str]) -> tuple[dict[str, str], list[Problem]]:
    """The query with ``periode`` spelled out: choosing a quarter or a month is choosing that
    kind of period (no second field to set), and dates typed with "the whole year" left chosen
    mean those dates."""
    query = dict(args)
    word = query.pop("periode", "").strip().casefold()
    if not word:
        return query, []
    chosen = PERIOD_WORDS.get(word)
    if chosen is None:
        return query, [Problem("invalid_choice", "Vælg hele året, et kvartal, en måned eller "
                                                 "fra–til", "periode")]
    if word == "aar" and (query.get("from") or "").strip() and (query.get("to") or "").strip():
        chosen = PERIOD_WORDS["fra-til"]
    return {**query, **chosen}, []


def choose_period(args: Mapping[str, str], today: date) -> tuple[PeriodChoice | None,
                                                               list[Problem]]:
    """The period from the dashboard's query (``kind``, ``year``, ``quarter``, ``month``,
    ``from``, ``to``, or the form's single ``periode`` choice); nothing given means the current
    year. Problems name the query field."""
    args, word_problems = _from_period_word(args)
    if word_problems:
        return None, word_problems
    kind = (args.get("kind") or "").strip() or ("range" if args.get("from") else "year")
    if kind not in KINDS:
        return None, [Problem("invalid_choice", "Vælg år, kvartal, måned eller periode", "kind")]
    if kind == "range":
        period, problems = periods.parse_period(
            args.get("from"), args.get("to"), "", max_days=periods.MAX_DAYS
        )
        if period is None:
            return None, problems
        return PeriodChoice(kind, period.end.year, 0, 0, period), []
    year, problems = periods.parse_year(args.get("year"), "year")
    year = year or today.year
    if kind == "quarter":
        quarter, quarter_problems = periods.parse_whole(
            args.get("quarter"), "quarter", 1, 4, "Kvartalet"
        )
        problems += quarter_problems
        quarter = quarter or periods.quarter_of(today)
        period = periods.quarter_period(year, quarter)
        return (None, problems) if problems else (PeriodChoice(kind, year, quarter, 0, period), [])
    if kind == "month":
        month, month_problems = periods.parse_whole(args.get("month"), "month", 1, 12, "Måneden")
        problems += month_problems
        month = month or today.month
        period = periods.month_period(year, month)
        return (None, problems) if problems else (PeriodChoice(kind, year, 0, month, period), [])
    return (None, problems) if problems else (
        PeriodChoice(kind, year, 0, 0, periods.year_period(year)), []
    )


def months_of(period: Period) -> tuple[str, ...]:
    """Every ``YYYY-MM`` the period touches, in order (months without spend included)."""
    first = period.start.year * 12 + period.start.month - 1
    last = period.end.year * 12 + period.end.month - 1
    return tuple(f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, last + 1))


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingApproval:
    """A department's open decision on a proposed split version, waiting since ``since``."""

    split_id: int
    intervention: str
    case: str
    department: str
    since: date

    def age(self, today: date) -> int:
        """Whole days waited, as of ``today``."""
        return max(0, (today - self.since).days)


@dataclass(frozen=True, slots=True)
class DepartmentFigures:
    """One department's row of the overview; amounts in øre.

    Attributes:
      allocated: the department's share of the costs in the period.
      paid: what it paid providers in the period (as ``paid_by``).
      net: paid − allocated: what it receives (positive) or sends (negative) in the settlement.
      budget: its joint-financing budget for the budget year, if one is entered.
      spent: its allocated cost from 1 January of the budget year to the reference day.
      forecast: the whole budget year's allocation: ``spent`` plus the agreed schedules for
        the rest of the year.
      refund: its part of the state refund in the period (docs/refund.md).
      forecast_refund: its part of the state refund over the whole budget year.
      joint_cases: cases financed jointly in the period in which it takes a share.
      eligible_without_split: eligible cases involving it that have no agreed split at all.
      pending: proposed split versions waiting for its decision.
      oldest_pending_days: how long the oldest of those has waited.
      correction: what corrections of months closed for postings move onto it (positive) or
        off it (negative) in the first open month.
    """

    code: str
    name: str
    allocated: int
    paid: int
    net: int
    budget: int | None
    spent: int
    forecast: int
    joint_cases: int
    eligible_without_split: int
    pending: int
    oldest_pending_days: int | None
    refund: int = 0
    forecast_refund: int = 0

    @property
    def net_cost(self) -> int:
        """Allocated cost in the period less its part of the refund."""
        return self.allocated - self.refund

    @property
    def forecast_net(self) -> int:
        """The year's forecast less its part of the year's refund."""
        return self.forecast - self.forecast_refund
    correction: int = 0

    @property
    def remaining(self) -> int | None:
        """Budget left after the forecast net of refund (negative: it exceeds the budget)."""
        return None if self.budget is None else self.budget - self.forecast_net


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything the dashboard shows for one period, computed once per data revision."""

    period: Period
    budget_year: int
    today: date
    departments: tuple[DepartmentFigures, ...]
    totals: tuple[tuple[str, int], ...]
    total: int
    months: tuple[str, ...]
    monthly: tuple[tuple[str, tuple[int, ...]], ...]
    joint_cases: int
    eligible_without_split: int
    unsplit_interventions: int
    pending: tuple[PendingApproval, ...]
    refund_total: int = 0
    refund_missing_years: tuple[int, ...] = ()
    correction_month: str | None = None
    """The first open month, where corrections of closed months are posted (``None`` while no
    month is closed)."""

    def pie(self) -> tuple[tuple[str, int], ...]:
        """Input for :func:`finans.charts.department_pie`: allocated cost per department."""
        return self.totals

    def bars(self) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[int, ...]], ...]]:
        """Input for :func:`finans.charts.monthly_bars`: months and a series per department."""
        return self.months, self.monthly

    def budget_rows(self) -> tuple[tuple[str, int | None, int, int], ...]:
        """Input for :func:`finans.charts.budget_chart`: budget, spend so far and forecast."""
        return tuple(
            (row.code, row.budget, row.spent, row.forecast)
            for row in self.departments
            if row.budget is not None or row.forecast
        )

    def for_department(self, code: str) -> Figures:
        """One department's row and pending approvals; the charts still show every department
        (the cross-department picture is what the department is measured against)."""
        return Figures(
            period=self.period,
            budget_year=self.budget_year,
            today=self.today,
            departments=tuple(row for row in self.departments if row.code == code),
            totals=self.totals,
            total=self.total,
            months=self.months,
            monthly=self.monthly,
            joint_cases=self.joint_cases,
            eligible_without_split=self.eligible_without_split,
            unsplit_interventions=self.unsplit_interventions,
            pending=tuple(item for item in self.pending if item.department == code),
            refund_total=self.refund_total,
            refund_missing_years=self.refund_missing_years,
            correction_month=self.correction_month,
        )


def _sum_by(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    result: dict[str, int] = {}
    for code, amount in items:
        result[code] = result.get(code, 0) + amount
    return result


def spend_and_forecast(
    year: int, today: date, allocation: Callable[[Period], Allocation]
) -> tuple[dict[str, int], dict[str, int]]:
    """Per department: allocated cost from 1 January to ``today``, and the forecast to year end.

    The forecast is the allocation of the whole budget year: what is spent plus the agreed
    schedules for the rest of the year (unsplit days on the paying department, as the engine
    does), each month rounded once, so it equals ``finans calc`` for the year to the øre.
    """
    whole = allocation(periods.year_period(year))
    forecast = dict(whole.totals)
    if today < date(year, 1, 1):
        return {}, forecast
    if today >= date(year, 12, 31):
        return forecast, forecast
    current = f"{today:%Y-%m}"
    month = periods.month_period(today.year, today.month)
    before = ((line.department, line.amount) for line in whole.lines if line.month < current)
    head = allocation(Period(month.start, today)).totals
    return _sum_by([*before, *head.items()]), forecast


def _joint_cases(allocation: Allocation) -> dict[str, set[str]]:
    """Case → departments, for cases with an intervention financed by two or more departments
    in the period."""
    by_intervention: dict[str, tuple[str, set[str]]] = {}
    for line in allocation.lines:
        by_intervention.setdefault(line.intervention, (line.case, set()))[1].add(line.department)
    cases: dict[str, set[str]] = {}
    for case, codes in by_intervention.values():
        if len(codes) > 1:
            cases.setdefault(case, set()).update(codes)
    return cases


def _eligible_without_split(
    scenario: Scenario, criteria: EligibilityCriteria
) -> dict[str, tuple[str, ...]]:
    """Eligible case → its departments, for cases with no agreed split version at all."""
    agreed = {
        intervention.case
        for intervention in scenario.interventions
        if any(split.status is Status.AGREED for split in intervention.splits)
    }
    return {
        ref: result.departments
        for ref, result in check_eligibility(scenario, criteria).items()
        if result.eligible and ref not in agreed
    }


def compute_figures(
    scenario: Scenario,
    period: Period,
    *,
    today: date,
    budget_amounts: Mapping[str, int],
    pending: Sequence[PendingApproval],
    criteria: EligibilityCriteria | None = None,
    allocator: Callable[[Period], Allocation] | None = None,
    corrections: Mapping[str, int] | None = None,
    correction_month: str | None = None,
) -> Figures:
    """The overview of ``period``; the budget year is the year the period ends in.

    ``allocator`` runs the engine for a period (a cached one in the service); by default it is
    :func:`allocate` on ``scenario``. ``corrections`` are the departments' corrections of closed
    months due in ``correction_month``.
    """
    run = allocator or (lambda wanted: allocate(scenario, wanted))
    current = run(period)
    year = period.end.year
    spent, forecast = spend_and_forecast(year, today, run)
    whole_year = periods.year_period(year)
    year_refunds = refunds(scenario, run(whole_year))
    refunded = year_refunds if period == whole_year else refunds(scenario, current)
    year_refund = year_refunds.totals
    positions = net_positions(current)
    joint = _joint_cases(current)
    unagreed = _eligible_without_split(scenario, criteria or EligibilityCriteria())
    months = months_of(period)
    position = {month: index for index, month in enumerate(months)}
    monthly: dict[str, list[int]] = {}
    for line in current.lines:
        monthly.setdefault(line.department, [0] * len(months))[position[line.month]] += line.amount
    waiting = sorted(pending, key=lambda item: (item.since, item.department, item.split_id))
    rows = []
    for department in sorted(scenario.departments, key=lambda d: d.code):
        code = department.code
        own = [item for item in waiting if item.department == code]
        rows.append(
            DepartmentFigures(
                code=code,
                name=department.name,
                allocated=current.totals.get(code, 0),
                paid=current.paid.get(code, 0),
                net=positions.get(code, 0),
                budget=budget_amounts.get(code),
                spent=spent.get(code, 0),
                forecast=forecast.get(code, 0),
                joint_cases=sum(1 for codes in joint.values() if code in codes),
                eligible_without_split=sum(1 for codes in unagreed.values() if code in codes),
                pending=len(own),
                oldest_pending_days=own[0].age(today) if own else None,
                refund=refunded.totals.get(code, 0),
                forecast_refund=year_refund.get(code, 0),
                correction=(corrections or {}).get(code, 0),
            )
        )
    return Figures(
        period=period,
        budget_year=year,
        today=today,
        departments=tuple(rows),
        totals=tuple((code, amount) for code, amount in current.totals.items() if amount),
        total=current.total,
        months=months,
        monthly=tuple((code, tuple(monthly[code])) for code in sorted(monthly)),
        joint_cases=len(joint),
        eligible_without_split=len(unagreed),
        unsplit_interventions=len(current.unsplit),
        pending=tuple(waiting),
        refund_total=sum(refunded.totals.values()),
        refund_missing_years=refunded.missing_years,
        correction_month=correction_month,
    )


# --- drill-down -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterventionShare:
    """What one department finances of one intervention in the period, out of its total."""

    id: str
    case: str
    title: str
    paid_by: str
    amount: int
    total: int


@dataclass(frozen=True, slots=True)
class CaseShare:
    """What one department finances of one case's interventions in the period."""

    ref: str
    family: str
    amount: int
    total: int
    interventions: int


@dataclass(frozen=True, slots=True)
class DepartmentDetail:
    """A department's cases and interventions in a period, largest amounts first."""

    code: str
    name: str
    period: Period
    amount: int
    cases: tuple[CaseShare, ...]
    interventions: tuple[InterventionShare, ...]


def compute_detail(scenario: Scenario, allocation: Allocation, code: str) -> DepartmentDetail:
    """The drill-down of one department from the period's allocation (codes are known ones)."""
    totals: dict[str, int] = {}
    own: dict[str, int] = {}
    for line in allocation.lines:
        totals[line.intervention] = totals.get(line.intervention, 0) + line.amount
        if line.department == code:
            own[line.intervention] = own.get(line.intervention, 0) + line.amount
    interventions = {iv.id: iv for iv in scenario.interventions}
    families = {case.ref: case.family for case in scenario.cases}
    shares = sorted(
        (
            InterventionShare(ident, interventions[ident].case, interventions[ident].title,
                              interventions[ident].paid_by, amount, totals[ident])
            for ident, amount in own.items()
        ),
        key=lambda share: (-share.amount, share.id),
    )
    cases: dict[str, list[InterventionShare]] = {}
    for share in shares:
        cases.setdefault(share.case, []).append(share)
    case_shares = sorted(
        (
            CaseShare(ref, families.get(ref, ""), sum(s.amount for s in items),
                      sum(s.total for s in items), len(items))
            for ref, items in cases.items()
        ),
        key=lambda share: (-share.amount, share.ref),
    )
    name = next((d.name for d in scenario.departments if d.code == code), code)
    return DepartmentDetail(
        code=code,
        name=name,
        period=allocation.period,
        amount=sum(own.values()),
        cases=tuple(case_shares),
        interventions=tuple(shares),
    )


# --- from the database, cached ------------------------------------------------------------------


_scenarios = RevisionCache(1)
_workbooks = RevisionCache(1)
_allocations = RevisionCache(4)
_figures = RevisionCache(32)
_refunds = RevisionCache(4)


def cached_scenario(session: Session) -> Scenario:
    """The database's records for the engine (without the approvals, which no figure reads),
    read once per revision."""
    return _scenarios.get(
        session, "scenario", lambda: figures.scenario_records(session, with_decisions=False)
    )


def cached_workbook_records(session: Session) -> tuple[Scenario, figures.SplitIds]:
    """The records for the controller workbook (with each version's id), read once per
    revision."""
    return _workbooks.get(
        session, "workbook", lambda: figures.records_with_split_ids(session, with_decisions=False)
    )


def cached_allocation(session: Session, period: Period) -> Allocation:
    """The engine's allocation of everything for ``period``, computed once per revision."""
    return _allocations.get(session, period, lambda: allocate(cached_scenario(session), period))


def cached_refunds(session: Session, period: Period) -> RefundFigures:
    """The refund of everything in ``period`` with every month's basis, once per revision."""
    return _refunds.get(session, period, lambda: refund_figures(
        cached_scenario(session), cached_allocation(session, period)))


def _pending(session: Session, actor: Actor, today: date) -> list[PendingApproval]:
    return [
        PendingApproval(
            split_id=item.split,
            intervention=item.intervention,
            case=item.case,
            department=item.department,
            since=local(item.proposed_at).date(),
        )
        for item in splits.pending_approvals(session, actor=actor, today=today)
    ]


def _scope(actor: Actor) -> str | None:
    """Controllers follow their own department; managers and administrators all of them."""
    own = scope_of(actor, Action.READ_DEPARTMENT_FIGURES) is OWN
    return actor.department if own else None


def overview(session: Session, *, actor: Actor, period: Period, today: date) -> Figures:
    """The dashboard's figures for ``period`` (controllers: their department's row)."""
    require_somewhere(actor, Action.READ_FIGURES)
    scope = _scope(actor)

    def compute() -> Figures:
        month, due = closing.pending_corrections(session, cached_scenario(session))
        result = compute_figures(
            cached_scenario(session),
            period,
            today=today,
            budget_amounts=budgets.budgets_by_department(session, year=period.end.year),
            pending=_pending(session, actor, today),
            criteria=eligibility_criteria(session),
            allocator=lambda wanted: cached_allocation(session, wanted),
            corrections=correction_totals(due),
            correction_month=month,
        )
        return result if scope is None else result.for_department(scope)

    return _figures.get(session, ("overview", period, today, scope), compute)


def department_detail(
    session: Session, *, actor: Actor, code: str, period: Period
) -> DepartmentDetail:
    """One department's cases and interventions in ``period`` (controllers: their own)."""
    require_somewhere(actor, Action.READ_FIGURES)
    require(actor, Action.READ_DEPARTMENT_FIGURES, department=code)
    lookup.department(session, code)
    return _figures.get(
        session,
        ("detail", period, code),
        lambda: compute_detail(cached_scenario(session), cached_allocation(session, period), code),
    )
