"""A small in-process limit on failed log-ins, per user name and client address.

Five failures within five minutes lock that user name from that address until the oldest failure
is five minutes old; a successful log-in clears the count. The limit lives in the process: with
several server processes each keeps its own count, which still slows guessing by the same factor.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 300.0
SWEEP_ABOVE = 10_000
"""Above this many tracked keys, expired ones are swept: guessing many names cannot fill memory."""


class LoginLimiter:
    """Counts failed log-ins per key within a sliding window."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures.get(key, deque())
        cutoff = self._clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until this user name may try again from this address; 0 when allowed now."""
        key = (username.casefold(), address)
        with self._lock:
            failures = self._recent(key)
            if len(failures) < self.max_failures:
                return 0
            return max(1, int(failures[0] + self.window - self._clock()) + 1)

    def failed(self, username: str, address: str) -> None:
        """Record one failed attempt."""
        key = (username.casefold(), address)
        with self._lock:
            if len(self._failures) > SWEEP_ABOVE:
                for stale in list(self._failures):
                    self._recent(stale)
            self._recent(key)
            self._failures.setdefault(key, deque()).append(self._clock())

    def succeeded(self, username: str, address: str) -> None:
        """Forget the failures of a user name from an address after a correct password."""
        with self._lock:
            self._failures.pop((username.casefold(), address), None)
