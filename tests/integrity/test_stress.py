"""A busy office: twenty people at once propose, edit, approve, reject and record meeting
approvals through the real app (the API and the screens, each with its own client) for a fixed
number of rounds, on SQLite and on PostgreSQL. Afterwards the record of decisions must hold:

- no answer was a server error;
- no intervention has two agreed versions, or two drafts and proposals, from one day;
- every version's status is the one its answers give;
- every change left an audit entry (a record's entries number its ``version``; every answer has
  its own, or came with its version's creation by a load);
- ``finans dump`` loaded by ``finans load --apply`` into an empty database dumps the same again.

How long a run takes is printed (``-s``), never asserted.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from finans.cli.db import dump, load
from finans.store import models
from finans.store.mapping import parties
from tests.integrity.town import ANNA, CONTROLLER_BFH, CONTROLLER_JOB
from tests.web.webclient import Client

pytestmark = pytest.mark.stress

ROUNDS = 10
INTERVENTIONS = ("I-1", "I-4", "I-5")
DAYS = tuple(f"2027-{month:02d}-01" for month in range(1, 7))
"""Few enough that requests meet on the same intervention and day, enough that work goes on."""
EXPECTED = {200, 201, 302, 409, 422}
"""Done, done (created), done (a form's redirect), refused as a conflict, refused by a rule."""


class Office:
    """What the people send and what they get back."""

    def __init__(self, app: Flask, bearer: Callable[[str], dict[str, str]],
                 login: Callable[[str], Client]) -> None:
        self.app = app
        self.bearer = bearer
        self.login = login
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def note(self, what: str, response: Any) -> Any:
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code not in EXPECTED:
                self.failures.append(f"{what}: {response.status_code} "
                                     f"{response.get_data(as_text=True)[:300]}")
        return response


class Person:
    """One of the twenty: an API client, and a logged-in browser for the screens."""

    def __init__(self, office: Office, username: str, seed: int) -> None:
        self.office = office
        self.username = username
        self.rng = random.Random(seed)
        self.api = office.app.test_client()
        self.headers = office.bearer(username)
        self.web = office.login(username)

    def get(self, path: str) -> Any:
        return self.office.note(f"GET {path}", self.api.get(path, headers=self.headers)).json

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.api.open(path, method=method, headers=self.headers, json=body)
        return self.office.note(f"{method} {path}", response)

    def form(self, path: str, data: dict[str, Any]) -> Any:
        return self.office.note(f"POST {path} (form)", self.web.post(path, data))

    def versions(self, intervention: str) -> list[dict[str, Any]]:
        return list(self.get(f"/api/v1/interventions/{intervention}")["splits"])


def _split_body(rng: random.Random) -> dict[str, Any]:
    share = rng.randint(10, 90)
    return {"effective_from": rng.choice(DAYS), "method": "fixed",
            "shares": {"BFH": str(share), "JOB": str(100 - share)}, "rationale": f"{share}"}


def coordinator(person: Person) -> None:
    """Proposes (API or form), edits open versions, records approvals given at the meeting."""
    proposer(person, meetings=True)


def workbook_side(person: Person) -> None:
    """A controller proposing and editing versions (a caseworker's meeting is not theirs)."""
    proposer(person, meetings=False)


def proposer(person: Person, *, meetings: bool) -> None:
    rng = person.rng
    for _ in range(ROUNDS):
        intervention = rng.choice(INTERVENTIONS)
        choice = rng.random()
        if choice < 0.35:
            person.send("POST", f"/api/v1/interventions/{intervention}/splits", _split_body(rng))
            continue
        if choice < 0.5:
            body = _split_body(rng)
            day = date.fromisoformat(body["effective_from"])
            person.web.get(f"/indsatser/{intervention}/fordeling/ny")
            person.form(f"/indsatser/{intervention}/fordeling/ny", {
                "action": "propose", "effective_from": f"{day:%d-%m-%Y}", "method": "fixed",
                "shares.BFH": body["shares"]["BFH"], "shares.JOB": body["shares"]["JOB"],
            })
            continue
        versions = [v for v in person.versions(intervention) if v["status"] in ("draft",
                                                                                "proposed")]
        if not versions:
            continue
        chosen = rng.choice(versions)
        if choice < 0.85 or not meetings:
            share = rng.randint(10, 90)
            person.send("PATCH", f"/api/v1/splits/{chosen['id']}", {
                "version": chosen["version"],
                "shares": {"BFH": str(share), "JOB": str(100 - share)}})
        elif chosen["awaiting"]:
            code = chosen["awaiting"][0]
            person.web.get(f"/indsatser/{intervention}")
            person.form(f"/fordelinger/{chosen['id']}/moede", {
                "version": str(chosen["version"]), f"meeting.{code}": "Repræsentant"})


def controller(code: str) -> Callable[[Person], None]:
    """Answers the proposals waiting for the department, mostly approving, through the API or
    the approval form."""

    def work(person: Person) -> None:
        rng = person.rng
        for _ in range(ROUNDS):
            intervention = rng.choice(INTERVENTIONS)
            waiting = [v for v in person.versions(intervention) if code in v["awaiting"]]
            if not waiting:
                continue
            chosen = rng.choice(waiting)
            decision = "approve" if rng.random() < 0.8 else "reject"
            if rng.random() < 0.5:
                person.send("POST", f"/api/v1/splits/{chosen['id']}/{decision}",
                            {"version": chosen["version"], "reason": "For stor andel"})
            else:
                person.web.get(f"/godkendelser/{chosen['id']}")
                person.form(f"/godkendelser/{chosen['id']}", {
                    "version": str(chosen["version"]), "decision": decision,
                    "reason": "For stor andel"})

    return work


def case_editor(person: Person) -> None:
    """Edits the case and its interventions with the versions it read."""
    rng = person.rng
    for round_ in range(ROUNDS):
        if rng.random() < 0.5:
            case = person.get("/api/v1/cases/S-1")
            person.send("PATCH", "/api/v1/cases/S-1", {
                "version": case["version"], "family": f"Familie {person.username} {round_}"})
        else:
            intervention = rng.choice(INTERVENTIONS)
            found = person.get(f"/api/v1/interventions/{intervention}")
            person.send("PATCH", f"/api/v1/interventions/{intervention}", {
                "version": found["version"], "title": f"Indsats {round_}"})


CREW: tuple[tuple[str, Callable[[Person], None]], ...] = (
    *((ANNA.username, coordinator),) * 8,
    *((CONTROLLER_BFH.username, controller("BFH")),) * 4,
    *((CONTROLLER_JOB.username, controller("JOB")),) * 4,
    *((CONTROLLER_JOB.username, workbook_side),) * 2,
    *((CONTROLLER_BFH.username, case_editor),) * 2,
)
"""Twenty people: coordinators, controllers answering for BFH and JOB (which take part in S-1),
a JOB controller proposing from the workbook's side, and two editing the case."""


def _run(office: Office) -> float:
    people = [Person(office, username, seed) for seed, (username, _) in enumerate(CREW)]
    barrier = threading.Barrier(len(people))
    errors: list[str] = []

    def run(person: Person, work: Callable[[Person], None]) -> None:
        barrier.wait()
        try:
            work(person)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(f"{person.username}: {error!r}")

    threads = [threading.Thread(target=run, args=(person, work))
               for person, (_, work) in zip(people, CREW, strict=True)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return time.perf_counter() - started


def _check_days(session: Session) -> None:
    for kind, statuses in (("agreed", ("agreed",)), ("open", ("draft", "proposed"))):
        query = (
            select(models.SplitVersion.intervention_id, models.SplitVersion.effective_from,
                   func.count())
            .where(col(models.SplitVersion.status).in_(statuses))
            .group_by(col(models.SplitVersion.intervention_id),
                      col(models.SplitVersion.effective_from))
            .having(func.count() > 1)
        )
        assert list(session.exec(query)) == [], f"two {kind} versions of one day"


def _check_statuses(session: Session) -> int:
    """Every version's status follows from its answers; returns how many versions there are."""
    rows = list(session.exec(select(models.SplitVersion)))
    for row in rows:
        answers = {d.department: d.decision for d in session.exec(
            select(models.Decision).where(models.Decision.split_id == row.id))}
        if "reject" in answers.values():
            expected = "rejected"
        elif answers and set(answers) >= set(parties(row)):
            expected = "agreed"
        else:
            expected = "draft" if row.status == "draft" and not answers else "proposed"
        assert (row.id, row.status) == (row.id, expected), answers
    return len(rows)


def _check_audit(session: Session) -> None:
    entries = Counter(
        (entity, key) for entity, key in session.exec(
            select(models.AuditEntry.entity, models.AuditEntry.key))
    )
    for model, entity, key in ((models.SplitVersion, "split", "id"),
                               (models.Case, "case", "ref"),
                               (models.Intervention, "intervention", "public_id")):
        for row in session.exec(select(model)):
            assert entries[(entity, str(getattr(row, key)))] == row.version, (entity, row)
    answered = set()
    for entry in session.exec(select(models.AuditEntry).where(models.AuditEntry.entity == "split")):
        after = entry.after or {}
        if entry.action in ("approve", "reject"):
            answered.add((entry.key, after.get("department")))
        for loaded in after.get("decisions", []):
            answered.add((entry.key, loaded["department"]))
    for decision in session.exec(select(models.Decision)):
        assert (str(decision.split_id), decision.department) in answered, decision


def _round_trip(url: str, another: str, folder: Path) -> None:
    def run(command: Any, *args: str, database: str) -> str:
        env = {"FINANS_DATABASE_URL": database, "FINANS_INSTANCE": str(folder)}
        result = CliRunner().invoke(command, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    first, second = folder / "first.json", folder / "second.json"
    run(dump, str(first), database=url)
    run(load, str(first), "--apply", database=another)
    run(dump, str(second), database=another)
    assert json.loads(second.read_text()) == json.loads(first.read_text())


def test_twenty_people_at_once_leave_a_record_that_holds(
    app: Flask, engine: Engine, database_url: str, another_database_url: str,
    bearer: Callable[[str], dict[str, str]], login: Callable[[str], Client], tmp_path: Path,
) -> None:
    office = Office(app, bearer, login)
    seconds = _run(office)
    assert office.failures == []
    assert set(office.statuses) <= EXPECTED
    with Session(engine) as session:
        _check_days(session)
        versions = _check_statuses(session)
        _check_audit(session)
    _round_trip(database_url, another_database_url, tmp_path)
    requests = sum(office.statuses.values())
    print(f"\n{engine.dialect.name}: {len(CREW)} people × {ROUNDS} rounds, {requests} requests "
          f"in {seconds:.1f} s ({dict(sorted(office.statuses.items()))}), {versions} versions")
    assert office.statuses[200] + office.statuses[201] + office.statuses[302] > 0
