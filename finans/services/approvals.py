"""What a controller decides on: per proposal awaiting their department, its share and what it
costs the department, against the version in force.

For each answer awaited the engine computes the intervention's year twice, as agreed today and
with the proposal agreed, so the controller sees the department's share and amount (the year and
each month), the change from the version in force (share and kroner), the whole pie, who proposed
it, why, and how long it has waited. The year is today's, or the year the proposal takes effect if
that is later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction

from sqlmodel import Session, col, select

from finans.allocation.engine import Allocation, allocate
from finans.allocation.periods import year_period
from finans.allocation.records import Period, Scenario, SplitVersion, Status
from finans.allocation.shares import resolve_shares
from finans.services import figures, lookup, splits
from finans.services.actor import Actor
from finans.services.policy import Action, require_somewhere
from finans.services.views import AwaitedAnswer
from finans.store import models
from finans.store.mapping import split_record

Shares = tuple[tuple[str, Fraction], ...]


@dataclass(frozen=True, slots=True)
class MonthAmount:
    """One month of the department's amount: ``month`` is ``YYYY-MM``."""

    month: str
    amount: int
    before: int


@dataclass(frozen=True, slots=True)
class ApprovalItem:
    """One answer a department owes, with what it means in money.

    Attributes:
      split, version: the proposed version (its row id, and the version to answer).
      department: the department that must answer.
      share: the department's share in the proposal; ``share_before`` in the version in force on
        the day the proposal takes effect (the paying department carries all of an unsplit day).
      amount: what the department finances of the intervention in ``year`` with the proposal
        agreed; ``amount_before`` as agreed today. ``months`` has both per month.
      shares: the proposal's whole pie.
    """

    split: int
    version: int
    intervention: str
    title: str
    case: str
    family: str
    effective_from: date
    department: str
    share: Fraction
    share_before: Fraction
    year: int
    amount: int
    amount_before: int
    months: tuple[MonthAmount, ...]
    shares: Shares
    proposed_by: str
    proposer_name: str
    proposed_at: datetime
    rationale: str
    age_days: int

    @property
    def share_change(self) -> Fraction:
        return self.share - self.share_before

    @property
    def amount_change(self) -> int:
        return self.amount - self.amount_before


def _in_force_share(
    splits_of: Sequence[SplitVersion], day: date, department: str, paid_by: str
) -> Fraction:
    """The department's share in the agreed version in force on ``day`` (the paying department
    has all of a day without one)."""
    agreed = [s for s in splits_of if s.status is Status.AGREED and s.effective_from <= day]
    if not agreed:
        return Fraction(1) if department == paid_by else Fraction(0)
    current = max(agreed, key=lambda split: split.effective_from)
    return resolve_shares(current).get(department, Fraction(0))


def _by_month(allocation: Allocation, department: str) -> dict[str, int]:
    months: dict[str, int] = {}
    for line in allocation.lines:
        if line.department == department:
            months[line.month] = months.get(line.month, 0) + line.amount
    return months


def _months(period: Period) -> list[str]:
    return [f"{period.start.year:04d}-{month:02d}" for month in range(1, 13)]


def _names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    query = select(models.User.username, models.User.name).where(
        col(models.User.username).in_(set(usernames))
    )
    return {username: name for username, name in session.exec(query) if name}


def describe(
    session: Session, pending: Sequence[AwaitedAnswer], today: date
) -> list[ApprovalItem]:
    """The figures of pending answers (items of :func:`finans.services.splits.pending_approvals`),
    in the same order."""
    if not pending:
        return []
    scenario = figures.scenario_records(
        session, interventions={item.intervention for item in pending}, with_decisions=False
    )
    records = {intervention.id: intervention for intervention in scenario.interventions}
    rows = {
        row.id: row
        for row in session.exec(
            select(models.SplitVersion).where(
                col(models.SplitVersion.id).in_({item.split for item in pending})
            )
        )
    }
    names = _names(session, (item.proposed_by for item in pending))
    now_cache: dict[tuple[str, int], Allocation] = {}
    after_cache: dict[tuple[int, int], Allocation] = {}
    items = []
    for item in pending:
        record = records[item.intervention]
        proposal = split_record(rows[item.split])
        period = year_period(max(today, proposal.effective_from).year)
        alone = Scenario(scenario.departments, scenario.cases, (record,))
        key = (record.id, period.start.year)
        if key not in now_cache:
            now_cache[key] = allocate(alone, period)
        split_key = (item.split, period.start.year)
        if split_key not in after_cache:
            kept = tuple(
                other for other in record.splits
                if not (other.status is Status.AGREED
                        and other.effective_from == proposal.effective_from)
            )
            agreed = replace(proposal, status=Status.AGREED)
            changed = replace(record, splits=(*kept, agreed))
            after_cache[split_key] = allocate(
                Scenario(scenario.departments, scenario.cases, (changed,)), period
            )
        before, after = now_cache[key], after_cache[split_key]
        code = item.department
        months_after, months_before = _by_month(after, code), _by_month(before, code)
        shares = tuple(sorted(resolve_shares(proposal).items()))
        items.append(ApprovalItem(
            split=item.split,
            version=item.version,
            intervention=item.intervention,
            title=item.title,
            case=item.case,
            family=item.family,
            effective_from=proposal.effective_from,
            department=code,
            share=dict(shares).get(code, Fraction(0)),
            share_before=_in_force_share(record.splits, proposal.effective_from, code,
                                         record.paid_by),
            year=period.start.year,
            amount=after.totals.get(code, 0),
            amount_before=before.totals.get(code, 0),
            months=tuple(
                MonthAmount(month, months_after.get(month, 0), months_before.get(month, 0))
                for month in _months(period)
            ),
            shares=shares,
            proposed_by=item.proposed_by,
            proposer_name=names.get(item.proposed_by, ""),
            proposed_at=item.proposed_at,
            rationale=rows[item.split].rationale,
            age_days=item.age_days,
        ))
    return items


def queue(session: Session, *, actor: Actor, today: date) -> list[ApprovalItem]:
    """The actor's queue (their department's answers, oldest first), with figures."""
    require_somewhere(actor, Action.DECIDE_SHARE)
    return describe(session, splits.pending_approvals(session, actor=actor, today=today), today)


def awaiting_answer(
    session: Session, *, actor: Actor, split_id: int, today: date
) -> ApprovalItem | None:
    """The figures of one proposal for the actor's department, when it awaits their answer."""
    require_somewhere(actor, Action.DECIDE_SHARE)
    lookup.split(session, split_id)
    pending = [
        item for item in splits.pending_approvals(session, actor=actor, today=today)
        if item.split == split_id
    ]
    return next(iter(describe(session, pending, today)), None)


def selected(
    session: Session, *, actor: Actor, wanted: Iterable[int], today: date
) -> list[ApprovalItem]:
    """The items of the actor's queue among ``wanted`` split ids, in queue order."""
    require_somewhere(actor, Action.DECIDE_SHARE)
    ids = set(wanted)
    pending = [
        item for item in splits.pending_approvals(session, actor=actor, today=today)
        if item.split in ids
    ]
    return describe(session, pending, today)
