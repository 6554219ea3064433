"""Departments (budget holders): everyone reads them, administrators keep them.

A department's code never changes (cases, interventions, splits and users refer to it); a
department that stops is set inactive and keeps its history.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, col, select

from finans.allocation.validation import parse_department
from finans.services import audit, lookup, versions
from finans.services.actor import Actor
from finans.services.errors import ServiceError, problem
from finans.services.policy import Action, require_somewhere
from finans.services.transactions import atomic
from finans.services.views import department_view
from finans.store import models
from finans.store.mapping import Json, department_columns, department_json

ENTITY = "department"


def list_departments(session: Session, *, active_only: bool = False) -> list[Json]:
    """Every department (or only the active ones), by code."""
    query = select(models.Department).order_by(col(models.Department.code))
    if active_only:
        query = query.where(col(models.Department.active).is_(True))
    return [department_view(row) for row in session.exec(query)]


def get_department(session: Session, *, code: str) -> Json:
    return department_view(lookup.department(session, code))


def _read(data: Mapping[str, object]) -> tuple[Json, bool]:
    """Validated columns and the ``active`` flag of department JSON."""
    record, problems = parse_department(data, "")
    if record is None:
        raise ServiceError(problems)
    active = data.get("active")
    return department_columns(record), True if active is None else bool(active)


@atomic
def create_department(session: Session, *, actor: Actor, data: Mapping[str, object]) -> Json:
    """Add a department from ``{"code", "name", "account"?, "active"?}``."""
    require_somewhere(actor, Action.MANAGE_DEPARTMENTS)
    columns, active = _read(data)
    if columns["code"] in lookup.department_codes(session):
        raise problem(
            "duplicate_department", f"Afdelingskoden {columns['code']} findes allerede", "code"
        )
    row = models.Department(**columns, active=active)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", ENTITY, row.code, after=audit.snapshot(row))
    versions.commit(session, label=f"Afdelingen {row.code}")
    return department_view(row)


@atomic
def update_department(
    session: Session, *, actor: Actor, code: str, version: int, data: Mapping[str, object]
) -> Json:
    """Change a department's name, account string or ``active``; the code stays."""
    require_somewhere(actor, Action.MANAGE_DEPARTMENTS)
    row = lookup.department(session, code)
    label = f"Afdelingen {code}"
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=code)
    merged = {**department_json(row), **data}
    if merged["code"] != code:
        raise problem("code_fixed", "Afdelingskoden kan ikke ændres", "code")
    columns, active = _read(merged)
    before = audit.snapshot(row)
    row.name, row.account, row.active = columns["name"], columns["account"], active
    versions.flush(session, label=label, entity=ENTITY, key=code, version=version)
    after = audit.snapshot(row)
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, code, before, after)
    versions.commit(session, label=label)
    return department_view(row)
