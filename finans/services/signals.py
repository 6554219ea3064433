"""What waits for someone: answers a controller's department owes, and rejected proposals a
caseworker must act on. The navigation shows them as counts, the case list and the case page show
the rejections with their reason and who gave it.

A rejection is *open* while it is its intervention's newest version: a new version (draft,
proposal or agreement) answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from finans.services import lookup, splits
from finans.services.actor import Actor
from finans.services.policy import Action, Scope, everywhere, parties, permits, scope_of
from finans.store import models


@dataclass(frozen=True, slots=True)
class Rejection:
    """A rejected proposal that no newer version has answered yet.

    Attributes:
      department, by, reason, at: who rejected it (department, user name and name), why and when.
    """

    split: int
    intervention: str
    title: str
    case: str
    family: str
    effective_from: date
    department: str
    by: str
    by_name: str
    reason: str
    at: datetime | None


def open_rejections(
    session: Session, *, actor: Actor, case: str | None = None
) -> list[Rejection]:
    """Open rejections on the cases the actor may read (or on one case), newest first."""
    newest = (
        select(models.SplitVersion.intervention_id,
               func.max(models.SplitVersion.id).label("newest"))
        .group_by(col(models.SplitVersion.intervention_id))
        .subquery()
    )
    query = (
        select(models.SplitVersion, models.Intervention, models.Case, models.Decision)
        .join(newest, col(newest.c.newest) == col(models.SplitVersion.id))
        .join(models.Intervention,
              col(models.Intervention.id) == col(models.SplitVersion.intervention_id))
        .join(models.Case, col(models.Case.id) == col(models.Intervention.case_id))
        .join(models.Decision, col(models.Decision.split_id) == col(models.SplitVersion.id))
        .where(models.SplitVersion.status == "rejected", models.Decision.decision == "reject")
        .order_by(col(models.Decision.decided_at).desc(), col(models.SplitVersion.id).desc())
    )
    if case is not None:
        query = query.where(models.Case.ref == case)
    teams = lookup.core_teams(session)
    sees_all = everywhere(actor, Action.READ_CASE)
    rows = [
        (split, intervention, row_case, decision)
        for split, intervention, row_case, decision in session.exec(query)
        if sees_all or permits(actor, Action.READ_CASE, case=parties(
            row_case.ref, row_case.coordinator, teams.get(row_case.id or 0, [])
        ))
    ]
    names = dict(session.exec(select(models.User.username, models.User.name)).all())
    return [
        Rejection(
            split=split.id or 0,
            intervention=intervention.public_id,
            title=intervention.title,
            case=row_case.ref,
            family=row_case.family,
            effective_from=split.effective_from,
            department=decision.department,
            by=decision.decided_by,
            by_name=names.get(decision.decided_by, ""),
            reason=decision.reason,
            at=decision.decided_at,
        )
        for split, intervention, row_case, decision in rows
    ]


@dataclass(frozen=True, slots=True)
class Counts:
    """The navigation's counts: answers awaited from the actor's department, and open
    rejections on the cases the actor works on."""

    waiting: int
    rejected: int


def counts(session: Session, *, actor: Actor) -> Counts:
    """``waiting`` for those who answer for their department (controllers); ``rejected`` for
    those who read only the cases they work on (caseworkers), whose every rejection is theirs to
    answer with a new version."""
    waiting = rejected = 0
    if scope_of(actor, Action.DECIDE_SHARE) is not None:
        waiting = len(splits.pending_approvals(session, actor=actor))
    if scope_of(actor, Action.READ_CASE) is Scope.CASE_TEAM:
        rejected = len(open_rejections(session, actor=actor))
    return Counts(waiting, rejected)
