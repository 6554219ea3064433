"""Why a posting file could not be written."""

from __future__ import annotations

from collections.abc import Iterable

from finans.allocation.problems import Problem


class LedgerError(Exception):
    """A value cannot be written in the file's format; ``problems`` say which and where."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))
