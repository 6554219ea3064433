"""Finding rows by the keys people use (code, journal number, intervention id, split id)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

from sqlmodel import Session, col, select

from finans.services.errors import NotFound
from finans.services.policy import CaseParties, parties
from finans.store import models
from finans.store.rows import DecisionRow, columns, fetch, fetch_where_in

_DIGIT_RUNS = re.compile(r"([0-9]+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ``I-2`` before ``I-10``: digit runs compare as numbers."""
    return tuple([
        (1, int(part)) if part.isdigit() else (0, part)
        for part in _DIGIT_RUNS.split(text)
        if part
    ])


def department(session: Session, code: str) -> models.Department:
    row = session.exec(select(models.Department).where(models.Department.code == code)).first()
    if row is None:
        raise NotFound(f"Afdelingen {code} findes ikke.")
    return row


def department_codes(session: Session, *, active_only: bool = False) -> set[str]:
    query = select(models.Department.code)
    if active_only:
        query = query.where(col(models.Department.active).is_(True))
    return set(session.exec(query))


def case(session: Session, ref: str) -> models.Case:
    row = session.exec(select(models.Case).where(models.Case.ref == ref)).first()
    if row is None:
        raise NotFound(f"Sagen {ref} findes ikke.")
    return row


def case_by_id(session: Session, case_id: int) -> models.Case:
    row = session.get(models.Case, case_id)
    assert row is not None, "an intervention's case exists (foreign key)"
    return row


def core_team(session: Session, case_id: int | None) -> list[str]:
    query = (
        select(models.CaseDepartment.department)
        .where(models.CaseDepartment.case_id == case_id)
        .order_by(col(models.CaseDepartment.department))
    )
    return list(session.exec(query))


def core_teams(session: Session) -> dict[int, list[str]]:
    """Case row id → core team codes, sorted, for every case."""
    teams: dict[int, list[str]] = defaultdict(list)
    query = select(models.CaseDepartment.case_id, models.CaseDepartment.department).order_by(
        col(models.CaseDepartment.department)
    )
    for case_id, code in session.exec(query):
        teams[case_id].append(code)
    return teams


def involved_departments(session: Session, case_id: int | None) -> set[str]:
    """Departments granting or paying one of the case's interventions, or with a share in one
    of their split versions (the core team is added by :func:`case_parties`)."""
    query = select(
        models.Intervention.id, models.Intervention.granted_by, models.Intervention.paid_by
    ).where(models.Intervention.case_id == case_id)
    rows = list(session.exec(query))
    codes = {code for _, granted, paid in rows for code in (granted, paid)}
    ids = [row_id for row_id, _, _ in rows]
    if ids:
        shares = select(models.SplitVersion.shares).where(
            col(models.SplitVersion.intervention_id).in_(ids)
        )
        for stored in session.exec(shares):
            codes.update(stored)
    return codes


def case_parties(
    session: Session, row: models.Case, *, involved: bool = False
) -> CaseParties:
    """Who is on the case, for the access policy; ``involved`` also reads who takes part."""
    team = core_team(session, row.id)
    taking_part = involved_departments(session, row.id) if involved else None
    return parties(row.ref, row.coordinator, team, taking_part)


def intervention(session: Session, public_id: str) -> models.Intervention:
    query = select(models.Intervention).where(models.Intervention.public_id == public_id)
    row = session.exec(query).first()
    if row is None:
        raise NotFound(f"Indsatsen {public_id} findes ikke.")
    return row


def intervention_by_id(session: Session, intervention_id: int) -> models.Intervention:
    row = session.get(models.Intervention, intervention_id)
    assert row is not None, "a split's intervention exists (foreign key)"
    return row


def split(session: Session, split_id: int) -> models.SplitVersion:
    row = session.get(models.SplitVersion, split_id)
    if row is None:
        raise NotFound(f"Fordelingen {split_id} findes ikke.")
    return row


def splits_of(session: Session, intervention_id: int | None) -> list[models.SplitVersion]:
    """An intervention's split versions by ``effective_from``, then in the order they were made."""
    query = (
        select(models.SplitVersion)
        .where(models.SplitVersion.intervention_id == intervention_id)
        .order_by(col(models.SplitVersion.effective_from), col(models.SplitVersion.id))
    )
    return list(session.exec(query))


def decisions_of(session: Session, split_id: int | None) -> list[models.Decision]:
    """A split version's decisions in the order they were given."""
    query = (
        select(models.Decision)
        .where(models.Decision.split_id == split_id)
        .order_by(col(models.Decision.id))
    )
    return list(session.exec(query))


def decisions_by_split(
    session: Session, split_ids: Collection[int] | None = None
) -> dict[int, list[DecisionRow]]:
    """Split row id → its decisions in order (as column tuples, to read), for the given splits
    (default all)."""
    query = columns(models.Decision).order_by(col(models.Decision.id))
    if split_ids is None:
        rows = fetch(session, query)
    else:
        rows = fetch_where_in(session, query, models.Decision.split_id, split_ids)
    found: dict[int, list[DecisionRow]] = defaultdict(list)
    for row in rows:
        found[row.split_id].append(row)
    return found


def user(session: Session, username: str) -> models.User:
    row = session.exec(select(models.User).where(models.User.username == username)).first()
    if row is None:
        raise NotFound(f"Brugeren {username} findes ikke.")
    return row
