"""Each change through the services is one transaction: committed by the service when it succeeds,
rolled back when it refuses or fails, so a refusal never leaves half a change pending in the
caller's session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from sqlmodel import Session

P = ParamSpec("P")
R = TypeVar("R")


def atomic(service: Callable[Concatenate[Session, P], R]) -> Callable[Concatenate[Session, P], R]:
    """Roll the session back if ``service`` raises."""

    @wraps(service)
    def run(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return service(session, *args, **kwargs)
        except BaseException:
            session.rollback()
            raise

    return run
