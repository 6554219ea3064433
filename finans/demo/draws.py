"""The demo's one source of chance and its calendar: every draw comes from one seeded generator in a
fixed order, and ``today`` only turns day offsets into dates."""

from __future__ import annotations

import random
from datetime import date, timedelta

SEED = 2026


class Draws:
    """The seeded generator and the day the demo is dated from."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(SEED)

    def day(self, offset: int) -> date:
        """The date ``offset`` days from today (negative is the past)."""
        return self.today + timedelta(days=offset)

    def stamp(self, offset: int) -> str:
        """An office-hours timestamp on day ``offset``, never after today."""
        hour, minute = self.rng.randint(8, 15), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50))
        return f"{self.day(min(offset, 0)).isoformat()}T{hour:02d}:{minute:02d}:00"

    def first_of_next_month(self, offset: int) -> date:
        """The first day of the month after day ``offset``."""
        d = self.day(offset)
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)

    def month_end(self, offset: int) -> date:
        """The last day of the month of day ``offset``."""
        return self.first_of_next_month(offset) - timedelta(days=1)
