"""Results kept per database and data revision, so repeated requests cost nothing.

The revision is the newest audit entry: every change made through the services writes one, so a
result computed at one revision stays right until the revision moves, and a change anywhere is
seen by the next request. Keys are per engine (a process may serve several databases, as the tests
do) and entries of an older revision are dropped as soon as a newer one is stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import func
from sqlmodel import Session, select

from finans.allocation.engine import collector_paused
from finans.store.models import AuditEntry

T = TypeVar("T")


def data_revision(session: Session) -> int:
    """A number that grows with every change made through the services (the newest audit
    entry), so results computed at one revision stay right until it moves."""
    return session.exec(select(func.max(AuditEntry.id))).one() or 0


class RevisionCache:
    """Results per database (engine) and data revision, least recently used dropped first.

    Entries of an older revision are dropped as soon as a newer one is stored: they can never be
    asked for again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: WeakKeyDictionary[object, OrderedDict[Hashable, object]] = (
            WeakKeyDictionary()
        )

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` at the current revision, computed on a miss."""
        bind = session.get_bind()
        revision = data_revision(session)
        full = (revision, key)
        with self._lock:
            entries = self._entries.setdefault(bind, OrderedDict())
            if full in entries:
                entries.move_to_end(full)
                return entries[full]  # type: ignore[return-value]
        with collector_paused():
            value = compute()
        with self._lock:
            for stale in [k for k in entries if k[0] != revision]:  # type: ignore[index]
                del entries[stale]
            entries[full] = value
            while len(entries) > self.size:
                entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
