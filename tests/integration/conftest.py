"""Fixtures for the store and service tests: a database holding a small municipality."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from finans.services.scenario import load_scenario
from tests.integration.municipality import ADMIN, small


@pytest.fixture
def seeded(session: Session) -> Session:
    """A session on a database holding :data:`SMALL`."""
    report = load_scenario(session, actor=ADMIN, data=small(), apply=True)
    assert report.applied and not report.problems
    return session

