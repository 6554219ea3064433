""""Til godkendelse": the controller's queue, approving in one click, rejecting with a reason,
and a proposal that becomes agreed when every department has approved."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from finans.services import interventions
from tests.web.webclient import CASEWORKER, YEAR, Client, DemoFacts, weighted


@pytest.fixture
def proposed(session: Session, facts: DemoFacts, login: Callable[[str], Client]) -> dict:
    """A weighted split (BFH 7/12, JOB 5/12) proposed through the page, awaiting both."""
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": facts.case, "title": "Støttekontaktperson", "legal_basis": "SEL § 85",
        "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "12000.00", "per": "month", "start": f"{YEAR}-01-01"},
    })
    caseworker = login("raadgiver.bfh")
    caseworker.get(f"/indsatser/{created['id']}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{created['id']}/fordeling/ny",
                               {**weighted(), "action": "propose"})
    assert response.status_code == 302
    splits = interventions.get_intervention(session, actor=CASEWORKER, id=created["id"])["splits"]
    return {**splits[0], "case": facts.case}


def _approve_from_queue(client: Client, split: dict) -> None:
    queue = client.get("/godkendelser").text
    match = re.search(rf'action="/godkendelser/{split["id"]}">\s*<input[^>]*>\s*'
                      r'<input type="hidden" name="version" value="(\d+)">', queue)
    assert match is not None, "the queue offers the proposal"
    response = client.post(f"/godkendelser/{split['id']}",
                           {"version": match.group(1), "decision": "approve"})
    assert response.status_code == 302


def test_the_queue_lists_the_proposals_awaiting_the_controllers_department(
    login: Callable[[str], Client], proposed: dict
) -> None:
    queue = login("controller.job").get("/godkendelser").text
    assert "Støttekontaktperson" in queue
    assert proposed["intervention"] in queue
    assert "Støttekontaktperson" not in login("controller.sko").get("/godkendelser").text


def test_both_departments_approving_makes_the_split_agreed_and_the_case_shows_its_pie(
    login: Callable[[str], Client], proposed: dict, session: Session
) -> None:
    _approve_from_queue(login("controller.bfh"), proposed)
    session.expire_all()
    split = interventions.get_intervention(session, actor=CASEWORKER,
                                           id=proposed["intervention"])["splits"][0]
    assert (split["status"], split["awaiting"]) == ("proposed", ["JOB"])
    _approve_from_queue(login("controller.job"), proposed)
    session.expire_all()
    split = interventions.get_intervention(session, actor=CASEWORKER,
                                           id=proposed["intervention"])["splits"][0]
    assert split["status"] == "agreed"
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
    session.expire_all()
    split = interventions.get_intervention(session, actor=CASEWORKER,
                                           id=proposed["intervention"])["splits"][0]
    assert split["status"] == "rejected"
    history = login("raadgiver.bfh").get(f"/indsatser/{proposed['intervention']}").text
    assert "begrundelse: Jobcentret har ingen indsats i familien" in history


def test_the_decision_page_shows_what_the_split_means_for_the_year(
    login: Callable[[str], Client], proposed: dict
) -> None:
    page = login("controller.job").get(f"/godkendelser/{proposed['id']}").text
    assert "60.000,00 kr." in page


def test_another_departments_approval_since_the_page_was_read_does_not_block_an_answer(
    login: Callable[[str], Client], proposed: dict, session: Session
) -> None:
    controller = login("controller.job")
    controller.get(f"/godkendelser/{proposed['id']}")
    _approve_from_queue(login("controller.bfh"), proposed)
    response = controller.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "approve",
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
        "version": str(proposed["version"]), "decision": "approve",
    })
    assert response.status_code == 409
    assert "En anden har gemt først" in response.text
    assert "BFH afviste fordelingen af" in response.text
    assert "samtidig (controller.bfh," in response.text
    assert "controller.bfh afviste for BFH" in response.text
