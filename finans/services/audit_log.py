"""Reading the audit log: newest first, filtered and a page at a time, for managers and
administrators. Each entry comes with what changed, field by field, in Danish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from finans.services import audit
from finans.services.actor import Actor
from finans.services.policy import Action, require_somewhere
from finans.store.models import AuditEntry

PAGE_SIZE = 50
ENTITY_NAMES = {
    "department": "Afdeling",
    "user": "Bruger",
    "token": "API-nøgle",
    "case": "Sag",
    "intervention": "Indsats",
    "split": "Fordeling",
    "settings": "Kriterier",
    "budget": "Budget",
    "refund_rate": "Refusionssatser",
    "period": "Bogføring",
}
"""Danish names of the kinds of record in the log."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a record, before and after (``None`` where it had no value)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class LogEntry:
    """An audit entry for people."""

    entry: AuditEntry
    summary: str
    changes: list[FieldChange]


@dataclass(frozen=True, slots=True)
class LogPage:
    """One page of the log and how many entries match in all."""

    entries: list[LogEntry]
    page: int
    pages: int
    total: int


def _changes(entry: AuditEntry) -> list[FieldChange]:
    before, after = entry.before or {}, entry.after or {}
    return [
        FieldChange(audit.FIELD_NAMES.get(name, name), before.get(name), after.get(name))
        for name in audit.changed_fields(before, after)
    ]


def read_log(
    session: Session,
    *,
    actor: Actor,
    entity: str | None = None,
    text: str = "",
    page: int = 1,
) -> LogPage:
    """Entries of one kind of record (or all) whose key or author contains ``text``, newest
    first, page ``page`` of :data:`PAGE_SIZE` entries."""
    require_somewhere(actor, Action.READ_AUDIT)
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    needle = text.strip().casefold()
    if needle:
        pattern = f"%{needle}%"
        key, author = func.lower(AuditEntry.key), func.lower(AuditEntry.actor)
        query = query.where(or_(key.like(pattern), author.like(pattern)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.exec(
        query.order_by(col(AuditEntry.id).desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )
    entries = [LogEntry(row, audit.describe(row), _changes(row)) for row in rows]
    return LogPage(entries, page, pages, total)
