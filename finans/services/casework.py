"""What the caseworker's screens need beyond single records: a case's lagkage and figures for a
year, and a preview of a split before it is saved (the case list is in
:mod:`finans.services.case_list`).

Every figure comes from the engine on the database's records (:mod:`finans.services.figures`);
nothing here does arithmetic on money beyond handing records to the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from sqlmodel import Session

from finans.allocation.eligibility import Eligibility, check_eligibility
from finans.allocation.engine import Allocation, allocate
from finans.allocation.periods import year_period
from finans.allocation.postings import last_day
from finans.allocation.problems import Problem
from finans.allocation.records import Period, Scenario, Status
from finans.allocation.shares import resolve_shares
from finans.allocation.validation import parse_split
from finans.services import cases, closing, figures, interventions, lookup, workflow
from finans.services.actor import Actor
from finans.services.refunds import RefundFigures, refund_figures
from finans.services.settings import eligibility_criteria
from finans.services.views import CaseView, InterventionView, SplitView

Shares = tuple[tuple[str, Fraction], ...]


# --- one case's lagkage -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterventionFigures:
    """An intervention on the case page.

    Attributes:
      intervention: its view (with every split version).
      in_force: the agreed version in force on the day asked for, if any.
      shares: the resolved shares of ``in_force``, by code.
      totals: what each department finances of it in the year, øre by code.
      total: its cost in the year.
      unsplit_days: days of the year that no agreed version covers (``paid_by`` pays them).
    """

    intervention: InterventionView
    in_force: SplitView | None
    shares: Shares
    totals: dict[str, int]
    total: int
    unsplit_days: int


@dataclass(frozen=True, slots=True)
class CaseFigures:
    """A case with its eligibility, its interventions' lagkage and figures for ``year``, and
    the year's state refund month by month (docs/refund.md)."""

    case: CaseView
    eligibility: Eligibility
    year: int
    interventions: list[InterventionFigures]
    totals: dict[str, int]
    total: int
    refund: RefundFigures


def in_force(splits: Sequence[SplitView], day: date) -> SplitView | None:
    """The agreed version with the latest ``effective_from`` on or before ``day``
    (docs/calculation.md)."""
    agreed = [
        split for split in splits
        if split.status == "agreed" and split.effective_from <= day
    ]
    return max(agreed, key=lambda split: split.effective_from, default=None)


def resolved(split: SplitView | None) -> Shares:
    """A split view's exact shares, by code."""
    return () if split is None else tuple(sorted(split.resolved.items()))


def _by_intervention(allocation: Allocation) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for line in allocation.lines:
        per_department = totals.setdefault(line.intervention, {})
        per_department[line.department] = per_department.get(line.department, 0) + line.amount
    return {key: dict(sorted(value.items())) for key, value in totals.items()}


def case_figures(session: Session, *, actor: Actor, ref: str, today: date) -> CaseFigures:
    """The case page: eligibility, and per intervention the split in force today and what each
    department finances in today's year."""
    case = cases.get_case(session, actor=actor, ref=ref)
    views = interventions.list_interventions(session, actor=actor, case=ref)
    scenario = figures.scenario_records(session, cases=[ref])
    eligibility = check_eligibility(scenario, eligibility_criteria(session))[ref]
    allocation = allocate(scenario, year_period(today.year))
    by_intervention = _by_intervention(allocation)
    unsplit = {item.intervention: item.days for item in allocation.unsplit}
    rows = []
    for view in views:
        current = in_force(view.splits, today)
        totals = by_intervention.get(view.id, {})
        rows.append(
            InterventionFigures(
                intervention=view,
                in_force=current,
                shares=resolved(current),
                totals=totals,
                total=sum(totals.values()),
                unsplit_days=unsplit.get(view.id, 0),
            )
        )
    return CaseFigures(case, eligibility, today.year, rows, allocation.totals, allocation.total,
                       refund_figures(scenario, allocation))


# --- previewing a split -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SplitPreview:
    """What a split would mean if it were agreed as entered.

    Attributes:
      period: the year shown.
      shares: the resolved shares, by code (empty when the input has problems).
      totals: what each department would finance of the intervention in the period.
      current: what each department finances with the versions agreed today.
      total: the intervention's cost in the period (the same either way).
      unsplit_days: days of the period still without an agreed version.
      problems: what is wrong with the input, located by field.
      correction: when the version takes effect in a month closed for postings, what agreeing
        it would move there per department (posted as a correction in the first open month).
    """

    period: Period
    shares: Shares
    totals: dict[str, int]
    current: dict[str, int]
    total: int
    unsplit_days: int
    problems: list[Problem]
    correction: closing.CorrectionPreview | None = None


def preview_split(
    session: Session,
    *,
    actor: Actor,
    intervention: str,
    data: Mapping[str, object],
    today: date,
) -> SplitPreview:
    """The shares and a year's amounts per department of an intervention if the version in
    ``data`` (split JSON, docs/scenario.md) were agreed, next to the amounts as agreed today.

    The year is today's, or the year the version takes effect if that is later.
    """
    interventions.get_intervention(session, actor=actor, id=intervention)
    scenario = figures.scenario_records(session, interventions=[intervention])
    record = scenario.interventions[0]
    split, problems = parse_split(
        {**data, "status": Status.AGREED.value},
        "",
        lookup.department_codes(session, active_only=True),
        intervention=intervention,
    )
    period = year_period(max(today, split.effective_from if split else today).year)
    now = allocate(scenario, period)
    if split is None:
        return SplitPreview(period, (), now.totals, now.totals, now.total,
                            sum(item.days for item in now.unsplit), problems)
    problems = workflow.agreed_day_problems(record.splits, intervention, split.effective_from)
    kept = tuple(
        other for other in record.splits
        if not (other.status is Status.AGREED and other.effective_from == split.effective_from)
    )
    changed = Scenario(
        scenario.departments, scenario.cases, (replace(record, splits=(*kept, split)),)
    )
    after = allocate(changed, period)
    return SplitPreview(
        period=period,
        shares=tuple(resolve_shares(split).items()),
        totals=after.totals,
        current=now.totals,
        total=after.total,
        unsplit_days=sum(item.days for item in after.unsplit),
        problems=problems,
        correction=_closed_month_correction(session, changed, intervention, split.effective_from),
    )


def _closed_month_correction(
    session: Session, scenario: Scenario, intervention: str, day: date
) -> closing.CorrectionPreview | None:
    """The correction a change from ``day`` would make due, if ``day`` lies in a closed month."""
    through = closing.closed_through(session)
    if through is None or day > last_day(through):
        return None
    return closing.correction_preview(session, scenario, intervention)


def intervention_correction(
    session: Session, *, actor: Actor, intervention: str
) -> closing.CorrectionPreview | None:
    """The correction an intervention's closed months make due as it is now (after an edit of its
    cost or dates), or ``None`` when nothing is closed or nothing differs."""
    interventions.get_intervention(session, actor=actor, id=intervention)
    scenario = figures.scenario_records(session, interventions=[intervention],
                                        with_decisions=False)
    found = closing.correction_preview(session, scenario, intervention)
    return found if found is not None and found.departments else None
