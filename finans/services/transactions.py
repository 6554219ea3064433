"""Each change through the services is one transaction: committed by the service when it succeeds,
rolled back when it refuses or fails, so a refusal never leaves half a change pending in the
caller's session.

A change starts on fresh data: whatever the session read before (a page showing the record) is
forgotten, and on SQLite the database's write lock is taken before the first read
(``BEGIN IMMEDIATE``), so two changes at the same moment run one after the other and the later one
checks its rules against what the earlier one saved. (PostgreSQL changes lock the rows they guard
instead, see :func:`finans.services.workflow.lock`.) A clash the database still refuses — a stale
``version`` or a unique index — becomes a :class:`~finans.services.errors.Conflict`, never an
error page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from finans.services.errors import Conflict

P = ParamSpec("P")
R = TypeVar("R")

CLASH_MESSAGE = (
    "Nogen ændrede de samme oplysninger samtidig med dig. Intet af dit er gemt; hent siden igen, "
    "og prøv på ny."
)


def begin_write(session: Session) -> None:
    """Start a change: forget what the session read, and on SQLite hold the write lock from now.

    Python's sqlite3 starts a transaction only at the first write, so reads before it see no lock
    and a check made on them may be stale by the time of the write; ``BEGIN IMMEDIATE`` closes
    that gap. A transaction that already wrote keeps going.
    """
    session.expire_all()
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def atomic(service: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Run ``service`` as one change (see the module); roll the session back if it raises."""

    @wraps(service)
    def run(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        begin_write(session)
        try:
            return service(session, *args, **kwargs)
        except (StaleDataError, IntegrityError):
            session.rollback()
            raise Conflict(CLASH_MESSAGE) from None
        except BaseException:
            session.rollback()
            raise

    return run
