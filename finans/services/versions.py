"""Optimistic concurrency: saves name the version they read, and stale saves are refused.

A caller reads a record with its ``version`` and sends that version back with its changes. If the
record has moved on, :func:`check_version` refuses before anything is written; if someone else
saves in between, the database refuses the ``UPDATE … WHERE version = :read`` and :func:`flush`
turns that into the same :class:`Conflict`. Either way the message lists what changed since, and
who changed it, from the audit log.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from finans.services import audit
from finans.services.errors import Conflict
from finans.store.models import Versioned


def _stale(session: Session, label: str, entity: str, key: str, version: int) -> Conflict:
    return Conflict(
        f"{label} er ændret af en anden, siden du hentede den. Hent den igen, og gem dine "
        "ændringer på ny.",
        audit.changes_since(session, entity, key, version),
    )


def check_version(
    session: Session, row: Versioned, version: int, *, label: str, entity: str, key: str
) -> None:
    """Refuse if ``row`` is no longer at the ``version`` the caller read."""
    if row.version != version:
        raise _stale(session, label, entity, key, version)


def flush(session: Session, *, label: str, entity: str, key: str, version: int) -> None:
    """Write pending changes; a concurrent save of the record becomes a :class:`Conflict`."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _stale(session, label, entity, key, version) from None
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{label} blev ændret af en anden samtidig. Prøv igen.") from None


def commit(session: Session, *, label: str) -> None:
    """Commit; a uniqueness clash with a concurrent save becomes a :class:`Conflict`."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{label} blev ændret af en anden samtidig. Prøv igen.") from None


def touch(row: Versioned, column: str) -> None:
    """Count a change kept in other rows (a core team, a decision) as a change of ``row``, so
    that its version moves on the next flush; ``column`` is any of its plain columns."""
    flag_modified(row, column)
