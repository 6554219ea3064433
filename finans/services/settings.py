"""The municipality's criteria for joint financing (docs/calculation.md), kept by administrators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from finans.allocation.eligibility import EligibilityCriteria
from finans.allocation.problems import Problem
from finans.services import audit, versions
from finans.services.actor import Actor
from finans.services.errors import ServiceError
from finans.services.policy import Action, require_somewhere
from finans.services.transactions import atomic
from finans.store import models

ENTITY = "settings"
KEY = "criteria"
_LABEL = "Kriterierne for fælles finansiering"


def _row(session: Session) -> models.Setting:
    row = session.get(models.Setting, 1)
    assert row is not None, "the first migration inserts the settings row"
    return row


@dataclass(frozen=True, slots=True)
class CriteriaView:
    """The criteria a case must meet for joint financing, and their version for the next save."""

    min_departments: int
    require_consent: bool
    version: int


def get_criteria(session: Session) -> CriteriaView:
    row = _row(session)
    return CriteriaView(row.min_departments, row.require_consent, row.version)


def eligibility_criteria(session: Session) -> EligibilityCriteria:
    """The criteria as the engine takes them."""
    row = _row(session)
    return EligibilityCriteria(
        min_departments=row.min_departments, require_consent=row.require_consent
    )


@atomic
def update_criteria(
    session: Session, *, actor: Actor, version: int, data: Mapping[str, object]
) -> CriteriaView:
    """Change ``min_departments`` (a whole number ≥ 1) and/or ``require_consent``."""
    require_somewhere(actor, Action.MANAGE_CRITERIA)
    row = _row(session)
    versions.check_version(session, row, version, label=_LABEL, entity=ENTITY, key=KEY)
    problems = []
    minimum = data.get("min_departments", row.min_departments)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        message = "Mindste antal afdelinger skal være et helt tal på mindst 1"
        problems.append(Problem("min_departments", message, "min_departments"))
        minimum = row.min_departments
    consent = data.get("require_consent", row.require_consent)
    if not isinstance(consent, bool):
        problems.append(Problem("wrong_type", "Skal være true eller false", "require_consent"))
        consent = row.require_consent
    if problems:
        raise ServiceError(problems)
    before = audit.snapshot(row)
    row.min_departments, row.require_consent = minimum, consent
    versions.flush(session, label=_LABEL, entity=ENTITY, key=KEY, version=version)
    after = audit.snapshot(row)
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, KEY, before, after)
    versions.commit(session, label=_LABEL)
    return get_criteria(session)
