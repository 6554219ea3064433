"""Every change made through the services leaves an entry in the append-only audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, col, select

from finans.services import audit
from finans.services.cases import create_case, update_case
from finans.services.departments import create_department, update_department
from finans.services.interventions import create_intervention, update_intervention
from finans.services.scenario import load_scenario
from finans.services.settings import update_criteria
from finans.services.splits import decide, propose_split, record_meeting_approvals, update_split
from finans.services.tokens import create_token
from finans.services.users import create_user, set_password, update_user
from finans.store.models import AuditEntry
from tests.integration.municipality import ADMIN, CASEWORKER, FIXED_60_40, controller, small

Mutation = Callable[[Session], None]


def _propose(session: Session) -> int:
    split = propose_split(session, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    return int(split["id"])


def _user(session: Session) -> None:
    create_user(session, actor=ADMIN, username="karen", role="manager", password="hemmelig-kode")


MUTATIONS: dict[str, tuple[Mutation | None, Mutation, str, str]] = {
    # name: (preparation, the change, entity, key of the entry it must write)
    "create_department": (None, lambda s: create_department(
        s, actor=ADMIN, data={"code": "VOK", "name": "Voksenhandicap"}), "department", "VOK"),
    "update_department": (None, lambda s: update_department(
        s, actor=ADMIN, code="JOB", version=1, data={"account": "5.68.91"}), "department", "JOB"),
    "create_case": (None, lambda s: create_case(
        s, actor=CASEWORKER, data={"ref": "S-2026-0009", "core_team": ["BFH"]}), "case",
        "S-2026-0009"),
    "update_case": (None, lambda s: update_case(
        s, actor=CASEWORKER, ref="S-2026-0001", version=1, data={"consent": False}), "case",
        "S-2026-0001"),
    "create_intervention": (None, lambda s: create_intervention(s, actor=CASEWORKER, data={
        "case": "S-2026-0001", "title": "Ledsagelse", "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "100", "per": "week", "start": "2026-01-01"}}), "intervention", "I-3"),
    "update_intervention": (None, lambda s: update_intervention(
        s, actor=CASEWORKER, id="I-1", version=1, data={"title": "Aflastning i weekender"}),
        "intervention", "I-1"),
    "propose_split": (None, _propose, "split", "1"),
    "update_split": (_propose, lambda s: update_split(
        s, actor=CASEWORKER, split_id=1, version=1, data={"rationale": "Ny"}), "split", "1"),
    "decide": (_propose, lambda s: decide(
        s, actor=controller("JOB"), split_id=1, decision="approve"), "split", "1"),
    "record_meeting_approvals": (_propose, lambda s: record_meeting_approvals(
        s, actor=CASEWORKER, split_id=1, representatives={"JOB": "Mette Koch"}), "split", "1"),
    "create_user": (None, _user, "user", "karen"),
    "update_user": (_user, lambda s: update_user(
        s, actor=ADMIN, username="karen", version=1, data={"name": "Karen Bro"}), "user",
        "karen"),
    "set_password": (_user, lambda s: set_password(
        s, actor=ADMIN, username="karen", password="en-anden-kode"), "user", "karen"),
    "create_token": (_user, lambda s: create_token(s, actor=ADMIN, username="karen"), "token", ""),
    "update_criteria": (None, lambda s: update_criteria(
        s, actor=ADMIN, version=1, data={"min_departments": 3}), "settings", "criteria"),
    "load_scenario": (None, lambda s: load_scenario(s, actor=ADMIN, data={
        **small(), "departments": [*small()["departments"], {"code": "VOK", "name": "Voksen"}]},
        apply=True), "department", "VOK"),
}


def _entries(session: Session) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_every_change_through_the_services_writes_an_audit_entry(
    seeded: Session, name: str
) -> None:
    prepare, change, entity, key = MUTATIONS[name]
    if prepare is not None:
        prepare(seeded)
    before = len(_entries(seeded))
    change(seeded)
    new = _entries(seeded)[before:]
    assert len(new) == 1
    assert new[0].entity == entity and new[0].key.startswith(key)
    assert new[0].actor in {ADMIN.username, CASEWORKER.username, "controller.job"}
    assert new[0].after


def test_an_entry_holds_the_record_before_and_after(seeded: Session) -> None:
    update_case(seeded, actor=CASEWORKER, ref="S-2026-0001", version=1,
                data={"family": "Familie Aa"})
    entry = audit.history(seeded, "case", "S-2026-0001")[-1]
    assert (entry.before or {})["family"] == "Familie A"
    assert (entry.after or {})["family"] == "Familie Aa"
    assert audit.changed_fields(entry.before, entry.after) == ["family"]


def test_a_save_without_changes_writes_no_entry(seeded: Session) -> None:
    before = len(_entries(seeded))
    update_case(seeded, actor=CASEWORKER, ref="S-2026-0001", version=1,
                data={"family": "Familie A"})
    assert len(_entries(seeded)) == before


def test_the_audit_log_cannot_be_changed(seeded: Session) -> None:
    entry = _entries(seeded)[0]
    entry.actor = "someone else"
    with pytest.raises(RuntimeError, match="append-only"):
        seeded.commit()
