""""Til godkendelse": the controller's queue with the share, amount and change of each proposal,
approving one or several after a confirmation that states the amount, rejecting with a reason,
and a proposal that becomes agreed when every department has approved."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from finans.services import interventions
from tests.web.webclient import CASEWORKER, YEAR, Client, DemoFacts, weighted


def _propose(session: Session, login: Callable[[str], Client], case: str, title: str) -> dict:
    """A weighted split (BFH 7/12, JOB 5/12) of 12.000 kr. a month from 1 January, proposed
    through the page; BFH pays and (without an agreed version) carries it all today."""
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": case, "title": title, "legal_basis": "SEL § 85",
        "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "12000.00", "per": "month", "start": f"{YEAR}-01-01"},
    })
    caseworker = login("raadgiver.bfh")
    caseworker.get(f"/indsatser/{created['id']}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{created['id']}/fordeling/ny",
                               {**weighted(), "action": "propose"})
    assert response.status_code == 302
    splits = interventions.get_intervention(session, actor=CASEWORKER, id=created["id"])["splits"]
    return {**splits[0], "case": case}


@pytest.fixture
def proposed(session: Session, facts: DemoFacts, login: Callable[[str], Client]) -> dict:
    return _propose(session, login, facts.case, "Støttekontaktperson")


def _row(queue: str, split: dict) -> str:
    """The queue's row of the proposal (up to the next proposal's row)."""
    marker = f'<tr data-split="{split["id"]}">'
    assert marker in queue, "the queue lists the proposal"
    return queue.split(marker, 1)[1].split("<tr data-split=", 1)[0]


def _approve_from_queue(client: Client, split: dict) -> None:
    row = _row(client.get("/godkendelser").text, split)
    value = re.search(r'name="only" value="([0-9]+:[0-9]+)"', row)
    assert value is not None
    confirm = client.post("/godkendelser/godkend", {"only": value.group(1)})
    assert confirm.status_code == 200 and "Bekræft godkendelse" in confirm.text
    response = client.post("/godkendelser/godkend", {"split": value.group(1), "confirmed": "ja"})
    assert response.status_code == 302


def _status(session: Session, split: dict) -> tuple[str, list[str]]:
    session.expire_all()
    stored = interventions.get_intervention(session, actor=CASEWORKER,
                                            id=split["intervention"])["splits"][0]
    return stored["status"], stored["awaiting"]


def test_the_queue_shows_each_proposal_with_the_departments_share_amount_and_change(
    login: Callable[[str], Client], proposed: dict
) -> None:
    job = _row(login("controller.job").get("/godkendelser").text, proposed)
    assert "Støttekontaktperson" in job and proposed["intervention"] in job
    assert "41,7 %" in job and "+41,7 %-point" in job
    assert "60.000,00 kr." in job and f"+60.000,00 kr. i {YEAR}" in job
    assert "Anne Møller" in job, "the queue names who proposed it"
    assert "Begrundelse: Ansvar og gevinst" in job
    assert 'alt="Lagkage: BFH 58,3 %, JOB 41,7 %"' in job
    assert "5.000,00 kr." in job, "the month table shows JOB's 5.000 kr. a month"
    bfh = _row(login("controller.bfh").get("/godkendelser").text, proposed)
    assert "58,3 %" in bfh and "−41,7 %-point" in bfh
    assert "84.000,00 kr." in bfh and f"−60.000,00 kr. i {YEAR}" in bfh
    assert "Støttekontaktperson" not in login("controller.sko").get("/godkendelser").text


def test_approving_asks_for_a_confirmation_that_states_the_amount_before_anything_changes(
    login: Callable[[str], Client], proposed: dict, session: Session
) -> None:
    controller = login("controller.job")
    controller.get("/godkendelser")
    confirm = controller.post(f"/godkendelser/{proposed['id']}",
                              {"version": str(proposed["version"]), "decision": "approve"})
    assert confirm.status_code == 200
    assert "i alt" in confirm.text and f"60.000,00 kr.</strong> i {YEAR}" in confirm.text
    assert _status(session, proposed) == ("proposed", ["BFH", "JOB"])
    done = controller.post("/godkendelser/godkend", {
        "split": f"{proposed['id']}:{proposed['version']}", "confirmed": "ja"})
    assert done.status_code == 302
    assert _status(session, proposed) == ("proposed", ["BFH"])


def test_several_proposals_are_approved_together_after_one_confirmation_of_their_total(
    login: Callable[[str], Client], proposed: dict, facts: DemoFacts, session: Session
) -> None:
    second = _propose(session, login, facts.case, "Ledsagelse")
    controller = login("controller.job")
    controller.get("/godkendelser")
    chosen = [f"{split['id']}:{split['version']}" for split in (proposed, second)]
    confirm = controller.post("/godkendelser/godkend", {"split": chosen})
    assert confirm.status_code == 200
    assert f"120.000,00 kr.</strong> i {YEAR}" in confirm.text
    assert "Ledsagelse" in confirm.text and "Støttekontaktperson" in confirm.text
    assert _status(session, proposed)[1] == ["BFH", "JOB"]
    done = controller.post("/godkendelser/godkend", {"split": chosen, "confirmed": "ja"})
    assert done.status_code == 302
    assert _status(session, proposed)[1] == ["BFH"]
    assert _status(session, second)[1] == ["BFH"]
    queue = controller.get("/godkendelser").text
    assert "Du har godkendt JOBs andel af 2 forslag" in queue
    assert f"i alt 120.000,00 kr. i {YEAR}" in queue


def test_approving_with_nothing_selected_says_so(login: Callable[[str], Client]) -> None:
    controller = login("controller.job")
    controller.get("/godkendelser")
    response = controller.post("/godkendelser/godkend", {})
    assert response.status_code == 302
    assert "Vælg de forslag, du vil godkende" in controller.get("/godkendelser").text


def test_both_departments_approving_makes_the_split_agreed_and_the_case_shows_its_pie(
    login: Callable[[str], Client], proposed: dict, session: Session
) -> None:
    _approve_from_queue(login("controller.bfh"), proposed)
    assert _status(session, proposed) == ("proposed", ["JOB"])
    _approve_from_queue(login("controller.job"), proposed)
    assert _status(session, proposed)[0] == "agreed"
    case_page = login("raadgiver.bfh").get(f"/sager/{proposed['case']}").text
    assert "Lagkage: BFH 58,3 %, JOB 41,7 %" in case_page


def test_a_rejection_needs_a_reason(
    login: Callable[[str], Client], proposed: dict, session: Session
) -> None:
    controller = login("controller.job")
    page = controller.get(f"/godkendelser/{proposed['id']}").text
    assert "Afvis JOBs andel" in page
    response = controller.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "reject", "reason": "  ",
    })
    assert response.status_code == 422
    assert "Skriv en begrundelse for afvisningen" in response.text
    response = controller.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "reject",
        "reason": "Jobcentret har ingen indsats i familien",
    })
    assert response.status_code == 302
    assert _status(session, proposed)[0] == "rejected"
    history = login("raadgiver.bfh").get(f"/indsatser/{proposed['intervention']}").text
    assert "begrundelse: Jobcentret har ingen indsats i familien" in history


def test_the_decision_page_shows_the_share_the_amount_per_month_and_the_change(
    login: Callable[[str], Client], proposed: dict
) -> None:
    page = login("controller.job").get(f"/godkendelser/{proposed['id']}").text
    assert "60.000,00 kr." in page and "+60.000,00 kr." in page
    assert "+41,7 %-point" in page and "Ansvar og gevinst" in page
    assert page.count("5.000,00 kr.") >= 12, "every month of the year shows JOB's amount"


def test_another_departments_approval_since_the_page_was_read_does_not_block_an_answer(
    login: Callable[[str], Client], proposed: dict, session: Session
) -> None:
    controller = login("controller.job")
    controller.get(f"/godkendelser/{proposed['id']}")
    _approve_from_queue(login("controller.bfh"), proposed)
    response = controller.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "approve", "confirmed": "ja",
    })
    assert response.status_code == 302
    session.expire_all()
    split = interventions.get_intervention(session, actor=CASEWORKER,
                                           id=proposed["intervention"])["splits"][0]
    assert split["status"] == "agreed"


def test_an_answer_to_a_version_rejected_since_it_was_read_is_refused_with_409(
    login: Callable[[str], Client], proposed: dict
) -> None:
    controller = login("controller.job")
    controller.get(f"/godkendelser/{proposed['id']}")
    rejecting = login("controller.bfh")
    rejecting.get(f"/godkendelser/{proposed['id']}")
    response = rejecting.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "reject", "reason": "For stor andel",
    })
    assert response.status_code == 302
    response = controller.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "approve", "confirmed": "ja",
    })
    assert response.status_code == 409
    assert "En anden har gemt først" in response.text
    assert "BFH afviste fordelingen af" in response.text
    assert "samtidig (controller.bfh," in response.text
    assert "controller.bfh afviste for BFH" in response.text
