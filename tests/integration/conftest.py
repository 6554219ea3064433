"""Fixtures for the store and service tests: a database holding a small municipality."""

from __future__ import annotations

import pytest
from municipality import ADMIN, small
from sqlmodel import Session

from finans.services.scenario import load_scenario


@pytest.fixture
def seeded(session: Session) -> Session:
    """A session on a database holding :data:`SMALL`."""
    report = load_scenario(session, actor=ADMIN, data=small(), apply=True)
    assert report.applied and not report.problems
    return session

