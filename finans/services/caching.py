"""Results kept per database and data revision, so repeated requests cost nothing.

The revision is the newest audit entry: every change made through the services writes one, so a
result computed at one revision stays right until the revision moves, and a change anywhere is
seen by the next request. Keys are per engine (a process may serve several databases, as the tests
do) and entries of an older revision are dropped as soon as a newer one is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from cachetools import LRUCache
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
    """Results per database (engine) at its current data revision, least recently used dropped
    first (:class:`cachetools.LRUCache`).

    An engine's entries all belong to one revision: when the revision moves they are dropped
    together, since they can never be asked for again.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._caches: WeakKeyDictionary[object, tuple[int, LRUCache[Hashable, Any]]] = (
            WeakKeyDictionary()
        )

    def _at(self, bind: object, revision: int) -> LRUCache[Hashable, Any]:
        """The engine's entries at ``revision``; those of another revision are dropped."""
        stored = self._caches.get(bind)
        if stored is None or stored[0] != revision:
            stored = (revision, LRUCache(maxsize=self.size))
            self._caches[bind] = stored
        return stored[1]

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key`` at the current revision, computed on a miss."""
        bind = session.get_bind()
        revision = data_revision(session)
        with self._lock:
            entries = self._at(bind, revision)
            if key in entries:
                found: T = entries[key]
                return found
        with collector_paused():
            value = compute()
        with self._lock:
            self._at(bind, revision)[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._caches.clear()
