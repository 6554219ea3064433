"""Each role starts on its work, the menu counts what waits, and a rejection shows at once on the
coordinator's start page and on the case page, with its reason and who gave it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from finans.services import cases, interventions, splits
from finans.services.actor import Actor, Role
from tests.web.webclient import CASEWORKER, Client, DemoFacts


@pytest.mark.parametrize(("username", "start"), [
    ("raadgiver.bfh", "/sager"), ("controller.job", "/godkendelser"), ("leder", "/overblik/"),
    ("admin", "/sager"),
])
def test_each_role_lands_on_its_work_after_log_in_and_at_the_root(
    client: Client, username: str, start: str
) -> None:
    client.get("/login")
    response = client.post("/login", {"username": username, "password": "demo1234"})
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 302 and landing.headers["Location"] == start
    assert client.get("/").headers["Location"] == start
    assert client.get(start).status_code == 200


def _count(page: str, label: str) -> int:
    match = re.search(rf">{label} <span class=\"count\" data-count>\((\d+)\)</span>", page)
    assert match is not None, f"the menu shows {label} with a count"
    return int(match.group(1))


def test_the_menu_counts_the_answers_a_controller_owes(
    login: Callable[[str], Client], session: Session
) -> None:
    owed = splits.pending_approvals(session, actor=Actor("controller.job", Role.CONTROLLER, "JOB"))
    assert owed
    page = login("controller.job").get("/godkendelser").text
    assert _count(page, "Til godkendelse") == len(owed)


def test_a_rejection_shows_on_the_coordinators_start_page_and_the_case_page_at_once(
    login: Callable[[str], Client], session: Session, facts: DemoFacts
) -> None:
    split = splits.get_split(session, actor=CASEWORKER, split_id=facts.split)
    ref = interventions.get_intervention(session, actor=CASEWORKER, id=split.intervention).case
    case = cases.get_case(session, actor=CASEWORKER, ref=ref)
    coordinator = login(case.coordinator)
    before = _count(coordinator.get("/sager").text, "Afviste")
    controller = login(f"controller.{facts.awaiting.lower()}")
    controller.get(f"/godkendelser/{facts.split}")
    response = controller.post(f"/godkendelser/{facts.split}", {
        "version": str(split.version), "decision": "reject",
        "reason": "Andelen svarer ikke til vores ansvar"})
    assert response.status_code == 302
    start = coordinator.get(coordinator.get("/").headers["Location"]).text
    assert _count(start, "Afviste") == before + 1
    rejection = start.split(f'data-rejection="{facts.split}"', 1)[1].split("</li>", 1)[0]
    assert f"{facts.awaiting} har afvist" in rejection
    assert "Begrundelse: Andelen svarer ikke til vores ansvar" in rejection
    assert f"controller.{facts.awaiting.lower()}" in rejection
    case_page = coordinator.get(f"/sager/{ref}").text
    assert "Afviste forslag" in case_page
    assert "Andelen svarer ikke til vores ansvar" in case_page.split("<h2>Indsatser</h2>")[0]
    assert "?status=afvist" in start
    only_rejected = coordinator.get("/sager?status=afvist").text
    assert re.search(r'<td data-label="Sagsnr."><a href="/sager/([^"]+)">', only_rejected)
