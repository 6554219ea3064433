"""Why a service refused: invalid input, missing record, missing permission, or a stale version.

The web UI, the API and the CLI map them the same way: :class:`ServiceError` → 422 / flash / exit
2, :class:`NotFound` → 404, :class:`Forbidden` → 403, :class:`Conflict` → 409. Messages are Danish.
"""

from __future__ import annotations

from collections.abc import Iterable

from finans.allocation.problems import Problem


class Refusal(Exception):
    """A service refused; ``message`` says why, in Danish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServiceError(Refusal):
    """The input has problems, each located (``cost.amount``, ``interventions[2].splits[0]``)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.where}: {p.message}" if p.where else p.message
                                   for p in self.problems))


class NotFound(Refusal):
    """The record does not exist."""


class Forbidden(Refusal):
    """The actor's role or department does not allow this."""


class Conflict(Refusal):
    """Someone else changed the record since the caller read it.

    Attributes:
      changes: what changed since the caller's version and who changed it, for people.
    """

    def __init__(self, message: str, changes: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.changes = list(changes)


def problem(code: str, message: str, where: str = "") -> ServiceError:
    """A :class:`ServiceError` with a single problem."""
    return ServiceError([Problem(code, message, where)])
