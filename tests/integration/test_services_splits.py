"""The lagkage workflow: proposals, approvals and rejections, meetings, re-assessment, the queue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from finans.allocation.records import Period
from finans.services import figures
from finans.services.errors import Forbidden, ServiceError
from finans.services.interventions import get_intervention
from finans.services.splits import (
    decide,
    pending_approvals,
    propose_split,
    record_meeting_approvals,
    update_split,
)
from finans.store.timestamps import local, now
from tests.integration.municipality import (
    CASEWORKER,
    FIXED_60_40,
    MANAGER,
    OUTSIDER,
    WEIGHTED_JULY,
    controller,
)

MEETING = {"BFH": "Lone Thomsen", "JOB": "Mette Koch"}


def propose(session: Session, data: dict[str, object] = FIXED_60_40, **options: object) -> dict:
    return propose_split(session, actor=CASEWORKER, intervention="I-1", data=data, **options)


def approve(session: Session, split: dict, code: str) -> dict:
    return decide(session, actor=controller(code), split_id=split["id"], decision="approve")


def codes(error: pytest.ExceptionInfo[ServiceError]) -> list[str]:
    return [problem.code for problem in error.value.problems]


def test_a_proposal_waits_for_every_department_with_a_share(seeded: Session) -> None:
    split = propose(seeded)
    assert split["status"] == "proposed"
    assert split["awaiting"] == ["BFH", "JOB"]
    assert split["resolved"] == {"BFH": "3/5", "JOB": "2/5"}
    assert split["proposed_by"] == "anna"


def test_the_version_is_agreed_once_every_department_with_a_share_approved(
    seeded: Session,
) -> None:
    split = propose(seeded)
    halfway = approve(seeded, split, "BFH")
    assert (halfway["status"], halfway["awaiting"]) == ("proposed", ["JOB"])
    agreed = approve(seeded, split, "JOB")
    assert agreed["status"] == "agreed"
    assert [(d["department"], d["by"]) for d in agreed["decisions"]] == [
        ("BFH", "controller.bfh"), ("JOB", "controller.job"),
    ]


def test_one_rejection_rejects_the_version_and_needs_a_reason(seeded: Session) -> None:
    split = propose(seeded)
    with pytest.raises(ServiceError) as missing:
        decide(seeded, actor=controller("JOB"), split_id=split["id"], decision="reject",
               reason="  ")
    assert [p.where for p in missing.value.problems] == ["reason"]
    rejected = decide(seeded, actor=controller("JOB"), split_id=split["id"], decision="reject",
                      reason="Andelen står ikke mål med vores ansvar")
    assert rejected["status"] == "rejected"
    assert rejected["decisions"][0]["reason"] == "Andelen står ikke mål med vores ansvar"


def test_a_department_cannot_approve_twice(seeded: Session) -> None:
    split = propose(seeded)
    approve(seeded, split, "BFH")
    with pytest.raises(ServiceError) as twice:
        approve(seeded, split, "BFH")
    assert codes(twice) == ["already_decided"]
    assert "BFH har allerede godkendt" in twice.value.message


def test_a_department_without_a_share_cannot_decide(seeded: Session) -> None:
    split = propose(seeded, {**FIXED_60_40, "shares": {"BFH": "60", "JOB": "40", "SKO": "0"}})
    assert split["awaiting"] == ["BFH", "JOB"]
    with pytest.raises(ServiceError) as outside:
        approve(seeded, split, "SKO")
    assert codes(outside) == ["no_share"]
    assert "SKO har ingen andel" in outside.value.message


def test_a_department_dropped_from_an_edited_proposal_can_no_longer_decide(
    seeded: Session,
) -> None:
    split = propose(seeded, {**FIXED_60_40, "shares": {"BFH": "50", "JOB": "30", "SKO": "20"}})
    edited = update_split(seeded, actor=CASEWORKER, split_id=split["id"],
                          version=split["version"], data={"shares": {"BFH": "60", "JOB": "40"}})
    with pytest.raises(ServiceError) as dropped:
        decide(seeded, actor=controller("SKO"), split_id=edited["id"], decision="approve")
    assert codes(dropped) == ["no_share"]


def test_agreed_and_rejected_versions_take_no_more_decisions(seeded: Session) -> None:
    agreed = propose(seeded, meeting=MEETING)
    with pytest.raises(ServiceError) as on_agreed:
        approve(seeded, agreed, "JOB")
    assert codes(on_agreed) == ["immutable_split"]
    assert "er aftalt og kan ikke ændres" in on_agreed.value.message
    rejected = propose(seeded, WEIGHTED_JULY)
    decide(seeded, actor=controller("JOB"), split_id=rejected["id"], decision="reject",
           reason="For stor andel")
    with pytest.raises(ServiceError) as on_rejected:
        approve(seeded, rejected, "BFH")
    assert codes(on_rejected) == ["immutable_split"]


def test_agreed_and_rejected_versions_cannot_be_edited(seeded: Session) -> None:
    agreed = propose(seeded, meeting=MEETING)
    with pytest.raises(ServiceError) as edit:
        update_split(seeded, actor=CASEWORKER, split_id=agreed["id"], version=agreed["version"],
                     data={"rationale": "Ny begrundelse"})
    assert codes(edit) == ["immutable_split"]
    assert "tilføj en ny version med en senere 'Gælder fra'" in edit.value.message


def test_a_draft_takes_decisions_only_once_proposed(seeded: Session) -> None:
    draft = propose(seeded, {**FIXED_60_40, "status": "draft"})
    with pytest.raises(ServiceError) as early:
        approve(seeded, draft, "BFH")
    assert codes(early) == ["draft_split"]
    proposed = update_split(seeded, actor=CASEWORKER, split_id=draft["id"],
                            version=draft["version"], data={"status": "proposed"})
    assert approve(seeded, proposed, "BFH")["awaiting"] == ["JOB"]


def test_editing_a_proposal_clears_the_approvals_given_so_far(seeded: Session) -> None:
    split = propose(seeded)
    approved = approve(seeded, split, "BFH")
    edited = update_split(seeded, actor=CASEWORKER, split_id=split["id"],
                          version=approved["version"], data={"shares": {"BFH": "70", "JOB": "30"}})
    assert "decisions" not in edited
    assert edited["awaiting"] == ["BFH", "JOB"]
    assert edited["shares"] == {"BFH": "70", "JOB": "30"}


def test_only_a_controller_of_the_department_decides(seeded: Session) -> None:
    split = propose(seeded)
    for actor in (CASEWORKER, MANAGER):
        with pytest.raises(Forbidden):
            decide(seeded, actor=actor, split_id=split["id"], decision="approve")


def test_the_coordinator_records_approvals_given_at_the_meeting(seeded: Session) -> None:
    split = propose(seeded)
    agreed = record_meeting_approvals(seeded, actor=CASEWORKER, split_id=split["id"],
                                      representatives=MEETING)
    assert agreed["status"] == "agreed"
    assert [(d["by"], d["at_meeting"]) for d in agreed["decisions"]] == [
        ("Lone Thomsen", True), ("Mette Koch", True),
    ]


def test_some_departments_approve_at_the_meeting_and_the_rest_later(seeded: Session) -> None:
    split = propose(seeded)
    partly = record_meeting_approvals(seeded, actor=CASEWORKER, split_id=split["id"],
                                      representatives={"BFH": "Lone Thomsen"})
    assert partly["awaiting"] == ["JOB"]
    assert approve(seeded, split, "JOB")["status"] == "agreed"


def test_a_proposal_is_saved_as_agreed_at_the_meeting(seeded: Session) -> None:
    split = propose(seeded, meeting=MEETING)
    assert split["status"] == "agreed"
    assert {d["department"] for d in split["decisions"] if d["at_meeting"]} == {"BFH", "JOB"}


def test_saving_as_agreed_at_the_meeting_needs_every_department_with_a_share(
    seeded: Session,
) -> None:
    with pytest.raises(ServiceError) as incomplete:
        propose(seeded, meeting={"BFH": "Lone Thomsen", "SKO": "Anders Kirk"})
    assert sorted(p.where for p in incomplete.value.problems) == ["meeting.JOB", "meeting.SKO"]
    assert get_intervention(seeded, actor=CASEWORKER, id="I-1")["splits"] == []


def test_meeting_approvals_for_departments_that_answered_are_refused(seeded: Session) -> None:
    split = propose(seeded)
    approve(seeded, split, "JOB")
    with pytest.raises(ServiceError) as answered:
        record_meeting_approvals(seeded, actor=CASEWORKER, split_id=split["id"],
                                 representatives={"JOB": "Mette Koch"})
    assert [p.where for p in answered.value.problems] == ["representatives.JOB"]


def test_only_caseworkers_on_the_case_and_controllers_taking_part_propose(
    seeded: Session,
) -> None:
    for actor in (OUTSIDER, controller("SUN"), MANAGER):
        with pytest.raises(Forbidden):
            propose_split(seeded, actor=actor, intervention="I-1", data=FIXED_60_40)


def test_an_invalid_proposal_is_refused_with_every_problem_located(seeded: Session) -> None:
    with pytest.raises(ServiceError) as invalid:
        propose(seeded, {"effective_from": "2026-13-01", "method": "fixed",
                         "shares": {"BFH": "60", "XXX": "30"}, "decisions": []})
    wheres = {p.where for p in invalid.value.problems}
    assert {"effective_from", "shares.XXX", "decisions"} <= wheres
    assert any("summerer til 90 %" in p.message for p in invalid.value.problems)


def test_a_new_version_cannot_be_agreed_from_the_start(seeded: Session) -> None:
    with pytest.raises(ServiceError) as agreed:
        propose(seeded, {**FIXED_60_40, "status": "agreed"})
    assert [p.where for p in agreed.value.problems] == ["status"]


def test_reassessment_adds_a_later_version_and_keeps_the_history(seeded: Session) -> None:
    first = propose(seeded, meeting=MEETING)
    second = propose(seeded, WEIGHTED_JULY)
    approve(seeded, second, "BFH")
    approve(seeded, second, "JOB")
    splits = get_intervention(seeded, actor=CASEWORKER, id="I-1")["splits"]
    assert [(s["effective_from"], s["status"]) for s in splits] == [
        ("2026-01-15", "agreed"), ("2026-07-01", "agreed"),
    ]
    assert splits[0]["decisions"] == first["decisions"]
    assert splits[1]["resolved"] == {"BFH": "7/12", "JOB": "5/12"}
    lines = figures.allocation(seeded, period=Period(date(2026, 1, 1), date(2026, 12, 31)),
                               intervention="I-1").lines
    amounts = {(line.month, line.department): line.amount for line in lines}
    assert amounts[("2026-01", "BFH")] == 394839
    assert amounts[("2026-07", "BFH")] == 700000
    assert amounts[("2026-07", "JOB")] == 500000


def test_a_second_agreed_version_from_the_same_day_is_refused(seeded: Session) -> None:
    propose(seeded, meeting=MEETING)
    with pytest.raises(ServiceError) as same_day:
        propose(seeded, {**FIXED_60_40, "shares": {"BFH": "50", "JOB": "50"}})
    assert [p.where for p in same_day.value.problems] == ["effective_from"]


def test_pending_approvals_list_each_waiting_department_with_its_age(seeded: Session) -> None:
    split = propose(seeded)
    approve(seeded, split, "BFH")
    later = local(now()).date() + timedelta(days=5)
    queue = pending_approvals(seeded, actor=controller("JOB"), today=later)
    assert [(item["intervention"], item["department"], item["age_days"]) for item in queue] == [
        ("I-1", "JOB", 5),
    ]
    assert pending_approvals(seeded, actor=controller("BFH"), today=later) == []
    assert [item["department"] for item in pending_approvals(seeded, actor=MANAGER)] == ["JOB"]
    assert pending_approvals(seeded, actor=OUTSIDER) == []


def test_a_second_open_version_from_the_same_day_is_refused_naming_the_first(
    seeded: Session,
) -> None:
    first = propose(seeded)
    for status in ("proposed", "draft"):
        with pytest.raises(ServiceError) as same_day:
            propose(seeded, {**FIXED_60_40, "shares": {"BFH": "50", "JOB": "50"},
                             "status": status})
        assert [(p.code, p.where) for p in same_day.value.problems] == [
            ("open_version_exists", "effective_from"),
        ]
        message = same_day.value.problems[0].message
        assert message.startswith(
            f"Indsats I-1 har allerede et forslag fra 15-01-2026 (fordeling {first['id']}, "
            "foreslået af anna "
        )
        assert message.endswith("ret det i stedet for at lave et nyt")
    stored = get_intervention(seeded, actor=MANAGER, id="I-1")["splits"]
    assert [(s["id"], s["shares"]) for s in stored] == [(first["id"], {"BFH": "60", "JOB": "40"})]


def test_a_rejected_version_frees_its_day_for_a_new_proposal(seeded: Session) -> None:
    first = propose(seeded)
    decide(seeded, actor=controller("JOB"), split_id=first["id"], decision="reject",
           reason="For stor andel")
    second = propose(seeded, {**FIXED_60_40, "shares": {"BFH": "70", "JOB": "30"}})
    approve(seeded, second, "BFH")
    agreed = approve(seeded, second, "JOB")
    assert agreed["status"] == "agreed"
    with pytest.raises(ServiceError) as third:
        propose(seeded, {**FIXED_60_40, "shares": {"BFH": "50", "JOB": "50"}})
    assert codes(third) == ["duplicate_agreed_version"]
