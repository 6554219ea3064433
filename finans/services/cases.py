"""Families' joint cases: caseworkers on the case create and edit them; others read.

A case is known by its journal number, which never changes; no CPR number is ever stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, delete, select

from finans.allocation.validation import parse_case
from finans.services import audit, lookup, versions
from finans.services.actor import Actor
from finans.services.errors import ServiceError, problem
from finans.services.policy import (
    Action,
    actions_on,
    everywhere,
    parties,
    permits,
    refusal,
    require,
    require_somewhere,
)
from finans.services.transactions import atomic
from finans.services.views import Listing, case_view
from finans.store import models
from finans.store.mapping import Json, case_columns, case_json
from finans.store.rows import columns, fetch, fetch_where_in

ENTITY = "case"


def listing(session: Session, *, actor: Actor) -> Listing[int]:
    """The cases the actor may see, by journal number.

    Only the order and who may see what are read up front; a slice reads just its own rows.
    """
    teams = lookup.core_teams(session)
    query = select(models.Case.id, models.Case.ref, models.Case.coordinator).order_by(
        col(models.Case.id)
    )
    sees_all = everywhere(actor, Action.READ_CASE)
    visible = sorted(
        (
            row for row in fetch(session, query)
            if sees_all or permits(actor, Action.READ_CASE,
                                   case=parties(row.ref, row.coordinator, teams.get(row.id, [])))
        ),
        key=lambda row: lookup.natural_key(row.ref),
    )

    def views(ids: list[int]) -> list[Json]:
        rows = {
            row.id: row
            for row in fetch_where_in(session, columns(models.Case), models.Case.id, ids)
        }
        return [case_view(rows[case_id], teams.get(case_id, [])) for case_id in ids]

    return Listing([row.id for row in visible], views)


def list_cases(session: Session, *, actor: Actor) -> list[Json]:
    """The cases the actor may see, by journal number."""
    return listing(session, actor=actor)[:]


def get_case(session: Session, *, actor: Actor, ref: str) -> Json:
    row = lookup.case(session, ref)
    case = lookup.case_parties(session, row)
    require(actor, Action.READ_CASE, case=case)
    return case_view(row, sorted(case.core_team))


def case_rights(session: Session, *, actor: Actor, ref: str) -> frozenset[Action]:
    """What the actor may do on the case (which of a case page's buttons to offer); the
    services check again on every change."""
    return actions_on(actor, lookup.case_parties(session, lookup.case(session, ref), involved=True))


def require_on_case(session: Session, *, actor: Actor, ref: str, action: Action) -> None:
    """Refuse (:class:`~finans.services.errors.Forbidden`) unless the actor may do ``action`` on
    the case: a page offering a change checks before it shows its form."""
    require(actor, action, case=lookup.case_parties(session, lookup.case(session, ref),
                                                    involved=True))


def _set_core_team(session: Session, row: models.Case, codes: tuple[str, ...]) -> None:
    session.exec(delete(models.CaseDepartment).where(col(models.CaseDepartment.case_id) == row.id))
    assert row.id is not None
    session.add_all(models.CaseDepartment(case_id=row.id, department=code) for code in codes)


@atomic
def create_case(session: Session, *, actor: Actor, data: Mapping[str, object]) -> Json:
    """Open a case from ``{"ref", "family"?, "coordinator"?, "consent"?, "assessed_on"?,
    "core_team"?}``; the caseworker is coordinator unless another one is named."""
    require_somewhere(actor, Action.CREATE_CASE)
    data = {"coordinator": actor.username, **data}
    record, problems = parse_case(data, "", lookup.department_codes(session))
    if record is None:
        raise ServiceError(problems)
    if session.exec(select(models.Case.id).where(models.Case.ref == record.ref)).first():
        raise problem("duplicate_case", f"Sagsnummeret {record.ref} findes allerede", "ref")
    reason = refusal(
        actor, Action.CREATE_CASE, case=parties(record.ref, record.coordinator, record.core_team)
    )
    if reason is not None:
        raise problem("not_on_case", reason, "core_team")
    row = models.Case(**case_columns(record))
    session.add(row)
    session.flush()
    _set_core_team(session, row, record.core_team)
    after = audit.snapshot(row, core_team=list(record.core_team))
    audit.record(session, actor, "create", ENTITY, row.ref, after=after)
    versions.commit(session, label=f"Sagen {row.ref}")
    return case_view(row, record.core_team)


@atomic
def update_case(
    session: Session, *, actor: Actor, ref: str, version: int, data: Mapping[str, object]
) -> Json:
    """Change a case's fields given in ``data`` (the journal number stays)."""
    row = lookup.case(session, ref)
    team = lookup.core_team(session, row.id)
    require(actor, Action.EDIT_CASE, case=lookup.case_parties(session, row, involved=True))
    label = f"Sagen {ref}"
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=ref)
    merged = {**case_json(row, team), **data}
    if merged["ref"] != ref:
        raise problem("ref_fixed", "Sagsnummeret kan ikke ændres", "ref")
    record, problems = parse_case(merged, "", lookup.department_codes(session))
    if record is None:
        raise ServiceError(problems)
    before = audit.snapshot(row, core_team=team)
    for name, value in case_columns(record).items():
        setattr(row, name, value)
    if list(record.core_team) != team:
        _set_core_team(session, row, record.core_team)
        versions.touch(row, "ref")
    versions.flush(session, label=label, entity=ENTITY, key=ref, version=version)
    after = audit.snapshot(row, core_team=list(record.core_team))
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, ref, before, after)
    versions.commit(session, label=label)
    return case_view(row, record.core_team)
