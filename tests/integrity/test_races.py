"""Requests at the same moment, through the services, on real SQLite and PostgreSQL databases:
threads with their own sessions start together at a barrier, and the workflow's rules hold —
one agreed and one open version per intervention and day, one winner and clear refusals for the
rest, never a second agreement and never an unexpected error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from finans.services import lookup
from finans.services.errors import Conflict, Refusal, ServiceError
from finans.services.splits import decide, get_split, propose_split, update_split
from finans.store import models
from tests.integrity.town import ANNA, CONTROLLER_BFH, CONTROLLER_JOB, ROOT, Person

THREADS = 8
FIXED = {"effective_from": "2027-01-01", "method": "fixed", "shares": {"BFH": "60", "JOB": "40"}}


def together(engine: Engine, calls: list[Callable[[Session], Any]]) -> list[Any]:
    """Run each call in its own thread and session, all released at once; what each returned,
    or the refusal it raised (anything else fails the test)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        with Session(engine) as session:
            barrier.wait()
            try:
                results[index] = calls[index](session)
            except Refusal as refusal:
                results[index] = refusal
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                results[index] = ("unexpected", repr(error))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r for r in results if isinstance(r, tuple)] == []
    return results


def versions_of(engine: Engine, intervention: str) -> list[models.SplitVersion]:
    with Session(engine) as session:
        return lookup.splits_of(session, lookup.intervention(session, intervention).id)


def propose(person: Person, data: dict[str, Any] = FIXED, **options: Any) -> Callable[..., Any]:
    return lambda session: propose_split(session, actor=person.actor, intervention="I-1",
                                         data=data, **options)


def test_proposals_for_one_day_at_the_same_moment_leave_one_and_name_it_to_the_rest(
    engine: Engine, town_loaded: None
) -> None:
    results = together(engine, [
        propose(ANNA, {**FIXED, "rationale": f"Forslag {i}"}) for i in range(THREADS)
    ])
    saved = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, Refusal)]
    assert len(saved) == 1 and len(refused) == THREADS - 1
    for refusal in refused:
        assert isinstance(refusal, ServiceError | Conflict)
        assert f"fordeling {saved[0]['id']}" in refusal.message
    assert [(v.id, v.status) for v in versions_of(engine, "I-1")] == [(saved[0]["id"], "proposed")]


def test_a_meeting_agreement_racing_a_proposal_for_the_same_day_leaves_one_version(
    engine: Engine, town_loaded: None
) -> None:
    meeting = {"BFH": "Lone Thomsen", "JOB": "Mette Koch"}
    results = together(engine, [
        propose(ANNA, meeting=meeting) if i % 2 else propose(ANNA) for i in range(THREADS)
    ])
    assert len([r for r in results if isinstance(r, dict)]) == 1
    assert len(versions_of(engine, "I-1")) == 1


def test_the_last_two_approvals_at_the_same_moment_agree_the_version_once(
    engine: Engine, town_loaded: None
) -> None:
    for round_ in range(4):
        with Session(engine) as session:
            split = propose_split(session, actor=ANNA.actor, intervention="I-1",
                                  data={**FIXED, "effective_from": f"2027-0{round_ + 1}-01"})
        results = together(engine, [
            lambda session, who=who, split=split: decide(
                session, actor=who.actor, split_id=split["id"], decision="approve",
                version=split["version"])
            for who in (CONTROLLER_BFH, CONTROLLER_JOB)
        ])
        assert all(isinstance(result, dict) for result in results), results
        with Session(engine) as session:
            stored = get_split(session, actor=ROOT, split_id=split["id"])
        assert stored["status"] == "agreed"
        assert sorted(d["department"] for d in stored["decisions"]) == ["BFH", "JOB"]


def test_an_approval_and_a_rejection_at_the_same_moment_leave_the_status_their_answers_give(
    engine: Engine, town_loaded: None
) -> None:
    for round_ in range(4):
        with Session(engine) as session:
            split = propose_split(session, actor=ANNA.actor, intervention="I-1",
                                  data={**FIXED, "effective_from": f"2027-0{round_ + 1}-01"})
        approved, rejected = together(engine, [
            lambda session, split=split: decide(
                session, actor=CONTROLLER_BFH.actor, split_id=split["id"], decision="approve",
                version=split["version"]),
            lambda session, split=split: decide(
                session, actor=CONTROLLER_JOB.actor, split_id=split["id"], decision="reject",
                reason="For stor andel", version=split["version"]),
        ])
        assert isinstance(rejected, dict), "a rejection never waits for anyone"
        with Session(engine) as session:
            stored = get_split(session, actor=ROOT, split_id=split["id"])
        assert stored["status"] == "rejected"
        answers = sorted(d["department"] for d in stored["decisions"])
        if isinstance(approved, Conflict):
            assert approved.message.startswith("JOB afviste fordelingen af I-1 fra ")
            assert answers == ["JOB"]
        else:
            assert answers == ["BFH", "JOB"]


def test_edits_of_one_split_with_the_same_version_give_one_save_and_conflicts(
    engine: Engine, town_loaded: None
) -> None:
    with Session(engine) as session:
        split = propose_split(session, actor=ANNA.actor, intervention="I-1", data=FIXED)
    results = together(engine, [
        lambda session, i=i: update_split(
            session, actor=ANNA.actor, split_id=split["id"], version=split["version"],
            data={"shares": {"BFH": str(50 + i), "JOB": str(50 - i)}})
        for i in range(1, THREADS + 1)
    ])
    saved = [r for r in results if isinstance(r, dict)]
    assert len(saved) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, dict))
    with Session(engine) as session:
        stored = get_split(session, actor=ROOT, split_id=split["id"])
        entries = session.scalar(select(func.count()).select_from(models.AuditEntry).where(
            models.AuditEntry.entity == "split", models.AuditEntry.key == str(split["id"]),
        ))
    assert (stored["shares"], stored["version"]) == (saved[0]["shares"], split["version"] + 1)
    assert entries == 2, "the proposal and the one edit that was saved"


def _insert_open_version(connection: Any, intervention_id: int, day: str) -> None:
    connection.execute(text(
        "INSERT INTO split_versions (version, intervention_id, effective_from, method, status, "
        "inputs, shares, rationale, proposed_by, proposed_at) VALUES (1, :iv, :day, 'equal', "
        "'proposed', '{\"departments\": [\"BFH\", \"JOB\"]}', '{\"BFH\": \"1/2\", \"JOB\": "
        "\"1/2\"}', '', 'bent', CURRENT_TIMESTAMP)"
    ), {"iv": intervention_id, "day": day})


def test_the_database_refuses_a_second_agreed_or_open_version_of_a_day(
    engine: Engine, town_loaded: None
) -> None:
    with Session(engine) as session:
        intervention_id = lookup.intervention(session, "I-1").id
    assert intervention_id is not None
    for status in ("proposed", "agreed"):
        with engine.begin() as connection:
            _insert_open_version(connection, intervention_id, "2027-05-01")
            connection.execute(text("UPDATE split_versions SET status = :s WHERE "
                                    "effective_from = '2027-05-01'"), {"s": status})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            _insert_open_version(connection, intervention_id, "2027-05-01")
            connection.execute(text("UPDATE split_versions SET status = :s WHERE id = "
                                    "(SELECT MAX(id) FROM split_versions)"), {"s": status})
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM split_versions WHERE effective_from = "
                                    "'2027-05-01'"))


def test_a_proposal_racing_a_writer_that_skipped_the_rules_is_told_what_was_saved(
    engine: Engine, town_loaded: None
) -> None:
    """A writer that takes no lock (another program; on PostgreSQL one that even skips the
    foreign-key check's lock) inserts a proposal and commits while a proposal for the same day is
    under way. SQLite's write lock holds the request back until the writer is done, and its rule
    then names what was saved; on PostgreSQL the request gets as far as its insert, the unique
    index makes it wait for the writer and then refuses it, and the refusal becomes a conflict
    that names what was saved."""
    with Session(engine) as session:
        intervention_id = lookup.intervention(session, "I-1").id
    assert intervention_id is not None
    postgres = engine.dialect.name == "postgresql"
    outside = engine.connect()
    transaction = outside.begin()
    if postgres:
        outside.execute(text("SET LOCAL session_replication_role = replica"))
    _insert_open_version(outside, intervention_id, "2027-01-01")
    result: list[Any] = []
    waiting = threading.Thread(target=lambda: result.append(
        together(engine, [propose(ANNA)])[0]))
    waiting.start()
    if postgres:
        _until_someone_waits(engine)
    transaction.commit()
    outside.close()
    waiting.join()
    (refusal,) = result
    assert isinstance(refusal, Conflict if postgres else ServiceError), refusal
    assert "bent" in refusal.message
    assert [v.proposed_by for v in versions_of(engine, "I-1")] == ["bent"]


def _until_someone_waits(engine: Engine) -> None:
    """Return once a PostgreSQL session waits for a lock."""
    with engine.connect() as watcher:
        while not watcher.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
            watcher.execute(text("SELECT pg_sleep(0.01)"))
