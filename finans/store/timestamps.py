"""Points in time: stored as aware UTC, shown and written to JSON as Danish local time.

Scenario JSON carries timestamps without an offset (``"2026-01-12T10:03:00"``); they mean the
municipality's local time. Converting local → UTC → local gives back the same text, so a dump loaded
and dumped again is unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Copenhagen")


def now() -> datetime:
    """The current time, aware, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def to_text(moment: datetime) -> str:
    """``2026-01-12T10:03:00``: local time without offset, as scenario JSON writes it."""
    return moment.astimezone(LOCAL).replace(tzinfo=None).isoformat()


def from_text(text: str) -> datetime:
    """The aware moment an ISO timestamp names; without an offset it is local time."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored moment as aware UTC (SQLite hands stored moments back without a zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local(moment: datetime) -> datetime:
    """The local wall-clock time of ``moment`` (aware, Europe/Copenhagen), for people."""
    return moment.astimezone(LOCAL)
