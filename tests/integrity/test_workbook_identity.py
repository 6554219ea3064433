"""An unchanged export imports back with no change, whatever the workflow did before: random
sequences of proposals, drafts, edits, approvals, rejections, meeting approvals and new proposals
on a day after a rejection, then the controller workbook written and read back as a dry run."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from finans.allocation.records import Period
from finans.excel.imports import import_workbook
from finans.excel.writer import write_controller_workbook
from finans.services import figures, interventions, splits
from finans.services.actor import Actor, Role
from finans.services.errors import Refusal
from finans.services.scenario import load_scenario
from finans.store.db import make_engine
from tests.integrity.town import ADMIN, ANNA, CONTROLLER_JOB, ROOT, town

INTERVENTIONS = ("I-1", "I-4")
DAYS = (date(2027, 1, 1), date(2027, 3, 1))
ACTIONS = ("propose", "draft", "meeting", "edit", "approve", "reject", "record_meeting")
PERIOD = Period(date(2026, 1, 1), date(2027, 12, 31))

Step = tuple[str, int, int, int]
"""(action, intervention index, day or version index, a number for the content)."""

steps = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.sampled_from((0, 0, 0, 1)), st.integers(0, 3),
              st.integers(1, 99)),
    min_size=1, max_size=16,
)
"""Mostly one intervention and two days, so that versions pile up on a day."""
SAME_DAY_TWICE_REJECTED: list[Step] = [
    ("propose", 0, 0, 60), ("reject", 0, 0, 1), ("propose", 0, 0, 70), ("reject", 0, 0, 1),
    ("meeting", 0, 1, 55), ("propose", 0, 0, 80), ("approve", 0, 0, 0), ("record_meeting", 0, 0, 1),
    ("draft", 0, 1, 30), ("propose", 0, 0, 90), ("edit", 0, 0, 45),
]
"""Two rejected proposals, then an agreed one and a draft on the same days: the versions a
workbook must tell apart."""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_town(request: pytest.FixtureRequest) -> Iterator[Callable[[], Engine]]:
    """``fresh_town()``: an engine on a database holding only the town, new for every example."""
    engines: list[Engine] = []
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        folder = Path(tempfile.mkdtemp(prefix="finans-identity-"))

        def fresh() -> Engine:
            path = folder / f"{len(engines)}.db"
            shutil.copyfile(template, path)
            return _loaded(make_engine(f"sqlite:///{path}"))
    else:
        url, reset = request.getfixturevalue("postgres_database")

        def fresh() -> Engine:
            reset()
            return _loaded(make_engine(url, poolclass=NullPool))

    def opened() -> Engine:
        engine = fresh()
        engines.append(engine)
        return engine

    yield opened
    for engine in engines:
        engine.dispose()
    if request.param == "sqlite":
        shutil.rmtree(folder, ignore_errors=True)


def _loaded(engine: Engine) -> Engine:
    with Session(engine) as session:
        assert load_scenario(session, actor=ROOT, data=town(), apply=True).applied
    return engine


def _shares(number: int) -> dict[str, str]:
    return {"BFH": str(number), "JOB": str(100 - number)}


def _versions(session: Session, intervention: str) -> list[dict[str, Any]]:
    return list(interventions.get_intervention(session, actor=ROOT, id=intervention)["splits"])


def _act(session: Session, step: Step) -> None:
    """One workflow action; what the workflow refuses is simply not done."""
    action, which, index, number = step
    intervention = INTERVENTIONS[which]
    day = DAYS[index % len(DAYS)].isoformat()
    data = {"effective_from": day, "method": "fixed", "shares": _shares(number),
            "rationale": f"Forslag {number}"}
    versions = _versions(session, intervention)
    open_ = [v for v in versions if v["status"] in ("draft", "proposed")]
    proposed = [v for v in versions if v["status"] == "proposed"]
    try:
        if action in ("propose", "draft"):
            splits.propose_split(session, actor=ANNA.actor, intervention=intervention,
                                 data={**data, "status": "proposed" if action == "propose"
                                       else "draft"})
        elif action == "meeting":
            splits.propose_split(session, actor=ANNA.actor, intervention=intervention, data=data,
                                 meeting={"BFH": "Lone Thomsen", "JOB": "Mette Koch"})
        elif action == "edit" and open_:
            chosen = open_[index % len(open_)]
            splits.update_split(session, actor=ANNA.actor, split_id=chosen["id"],
                                version=chosen["version"],
                                data={"shares": _shares(number), "status": "proposed"})
        elif action in ("approve", "reject") and proposed:
            chosen = proposed[index % len(proposed)]
            code = sorted(chosen["resolved"])[number % len(chosen["resolved"])]
            controller = Actor(f"controller.{code.lower()}", Role.CONTROLLER, code)
            splits.decide(session, actor=controller, split_id=chosen["id"], decision=action,
                          reason="Ikke enig" if action == "reject" else "")
        elif action == "record_meeting" and proposed:
            chosen = proposed[index % len(proposed)]
            splits.record_meeting_approvals(
                session, actor=ANNA.actor, split_id=chosen["id"],
                representatives={code: "Repræsentant" for code in chosen["awaiting"][:1]})
    except Refusal:
        pass


def _round_trip(engine: Engine) -> None:
    with Session(engine) as session:
        scenario, split_ids = figures.records_with_split_ids(session)
        target = BytesIO()
        write_controller_workbook(target, scenario, PERIOD, split_ids=split_ids)
        for importer in (ADMIN.actor, CONTROLLER_JOB.actor):
            result = import_workbook(session, actor=importer, source=target.getvalue())
            assert result.problems == []
            assert result.report is not None
            assert result.changes == 0, result.report.as_dict()


# ``fresh_town`` hands out a new database on every call, so one per example.
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@example(steps=SAME_DAY_TWICE_REJECTED)
@given(steps=steps)
def test_an_unchanged_export_imports_back_with_no_change_after_any_workflow(
    fresh_town: Callable[[], Engine], steps: list[Step]
) -> None:
    engine = fresh_town()
    with Session(engine) as session:
        for step in steps:
            _act(session, step)
    _round_trip(engine)
