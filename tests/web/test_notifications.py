"""Mail through a real SMTP server (in the test process): each event of the split workflow sends
exactly one Danish mail per recipient with a link that works, and never a CPR number."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from flask import Flask
from sqlmodel import Session, select

from finans.demo import DEMO_MAIL_DOMAIN
from finans.services import cases, interventions
from finans.store import models
from finans.store.outbox import OutboxMail
from tests.mailserver import Inbox
from tests.web.webclient import CASEWORKER, YEAR, Client, DemoFacts, weighted

BASE_URL = "https://finans.kommune.example"
CPR_LIKE = re.compile(r"[0-3][0-9][01][0-9][0-9]{2}-?[0-9]{4}")
DANISH_WORDS = ("Hej", "Venlig hilsen", "fordeling")


@pytest.fixture
def mail_environment(smtp: tuple[Inbox, int]) -> dict[str, str]:
    return {"FINANS_SMTP_URL": f"smtp://127.0.0.1:{smtp[1]}",
            "FINANS_MAIL_FROM": "finans@kommune.example", "FINANS_BASE_URL": BASE_URL}


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


def address(username: str) -> str:
    return f"{username}@{DEMO_MAIL_DOMAIN}"


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def link_path(message: EmailMessage) -> str:
    """The one link the mail carries to act on, as a path on the app."""
    links = re.findall(rf"{re.escape(BASE_URL)}(/\S*)", body(message))
    assert links, "the mail carries a link to the app"
    return str(links[-1])


def assert_danish_without_cpr(message: EmailMessage) -> None:
    text = body(message)
    assert all(word in text for word in DANISH_WORDS)
    assert message["Content-Type"].startswith("text/plain") and "utf-8" in message["Content-Type"]
    assert not CPR_LIKE.search(text + str(message["Subject"]))


@pytest.fixture
def proposed(session: Session, facts: DemoFacts, login: Callable[[str], Client],
             inbox: Inbox) -> dict:
    """A split of a new intervention (BFH 7/12, JOB 5/12) proposed by the BFH caseworker."""
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": facts.case, "title": "Støttekontaktperson", "legal_basis": "SEL § 85",
        "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "12000.00", "per": "month", "start": f"{YEAR}-01-01"},
    })
    caseworker = login("raadgiver.bfh")
    caseworker.get(f"/indsatser/{created.id}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{created.id}/fordeling/ny",
                               {**weighted(), "action": "propose"})
    assert response.status_code == 302
    split = interventions.get_intervention(session, actor=CASEWORKER, id=created.id).splits[0]
    coordinator = cases.get_case(session, actor=CASEWORKER, ref=facts.case).coordinator
    return {"id": split.id, "version": split.version, "case": facts.case,
            "coordinator": coordinator}


def _approve(client: Client, split: dict) -> None:
    """Approve from the queue at the version it shows."""
    queue = client.get("/godkendelser").text
    chosen = re.search(rf'name="only" value="({split["id"]}:[0-9]+)"', queue)
    assert chosen is not None
    response = client.post("/godkendelser/godkend", {"split": chosen.group(1), "confirmed": "ja"})
    assert response.status_code == 302


def test_a_proposal_mails_each_controller_of_a_department_with_a_share_once(
    proposed: dict, inbox: Inbox, login: Callable[[str], Client]
) -> None:
    assert sorted(message["To"] for message in inbox.messages) == [
        address("controller.bfh"), address("controller.job")]
    (mail,) = inbox.to(address("controller.job"))
    assert_danish_without_cpr(mail)
    assert "Til godkendelse: Støttekontaktperson" in mail["Subject"]
    assert "JOBs andel: 41,7 %" in body(mail) and "Anne Møller" in body(mail)
    assert link_path(mail) == f"/godkendelser/{proposed['id']}"
    page = login("controller.job").get(link_path(mail))
    assert page.status_code == 200 and "Godkend JOBs andel" in page.text


def test_a_rejection_mails_the_coordinator_once_with_the_reason_and_who(
    proposed: dict, inbox: Inbox, login: Callable[[str], Client]
) -> None:
    controller = login("controller.job")
    controller.get(f"/godkendelser/{proposed['id']}")
    response = controller.post(f"/godkendelser/{proposed['id']}", {
        "version": str(proposed["version"]), "decision": "reject",
        "reason": "Jobcentret har ingen indsats i familien"})
    assert response.status_code == 302
    (mail,) = inbox.to(address(proposed["coordinator"]))
    assert len(inbox.messages) == 3
    assert_danish_without_cpr(mail)
    assert mail["Subject"].startswith("Afvist: Støttekontaktperson")
    assert "Begrundelse: Jobcentret har ingen indsats i familien" in body(mail)
    assert "Afvist af: Søren Friis (controller.job), JOB" in body(mail)
    page = login(proposed["coordinator"]).get(link_path(mail))
    assert page.status_code == 200 and "Jobcentret har ingen indsats i familien" in page.text


def test_agreement_by_all_mails_the_coordinator_once(
    proposed: dict, inbox: Inbox, login: Callable[[str], Client]
) -> None:
    _approve(login("controller.bfh"), proposed)
    assert len(inbox.messages) == 2, "one approval of two tells nobody"
    _approve(login("controller.job"), proposed)
    (mail,) = inbox.to(address(proposed["coordinator"]))
    assert len(inbox.messages) == 3
    assert_danish_without_cpr(mail)
    assert mail["Subject"].startswith("Aftalt: Støttekontaktperson")
    assert "BFH 58,3 %, JOB 41,7 %" in body(mail)
    page = login(proposed["coordinator"]).get(link_path(mail))
    assert page.status_code == 200 and "Støttekontaktperson" in page.text


def test_a_user_who_turned_mail_off_gets_none_and_the_setting_is_their_own(
    session: Session, facts: DemoFacts, login: Callable[[str], Client], inbox: Inbox
) -> None:
    controller = login("controller.job")
    profile = controller.get("/profil").text
    version = re.search(r'name="version" value="(\d+)"', profile)
    assert version is not None and address("controller.job") in profile
    response = controller.post("/profil", {"version": version.group(1),
                                           "email": address("controller.job")})
    assert response.status_code == 302
    session.expire_all()
    user = session.exec(select(models.User).where(models.User.username == "controller.job")).one()
    assert (user.email, user.mail_enabled) == (address("controller.job"), False)
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": facts.case, "title": "Ledsagelse", "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "100.00", "per": "month", "start": f"{YEAR}-01-01"}})
    caseworker = login("raadgiver.bfh")
    caseworker.get(f"/indsatser/{created.id}/fordeling/ny")
    caseworker.post(f"/indsatser/{created.id}/fordeling/ny",
                    {**weighted(), "action": "propose"})
    assert [message["To"] for message in inbox.messages] == [address("controller.bfh")]


def test_a_bad_address_on_the_profile_page_is_refused_and_kept_in_the_field(
    login: Callable[[str], Client]
) -> None:
    client = login("controller.job")
    page = client.get("/profil").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    response = client.post("/profil", {"version": version.group(1), "email": "ikke en adresse",
                                       "mail_enabled": "ja"})
    assert response.status_code == 422
    assert "Skriv en e-mailadresse" in response.text and 'value="ikke en adresse"' in response.text


def test_a_refusing_server_leaves_the_mail_queued_and_a_retry_sends_it_once(
    app: Flask, session: Session, facts: DemoFacts, login: Callable[[str], Client], inbox: Inbox
) -> None:
    from click.testing import CliRunner

    from finans.cli.mail import notify

    inbox.refuse = True
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": facts.case, "title": "Aflastning", "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "100.00", "per": "month", "start": f"{YEAR}-01-01"}})
    caseworker = login("raadgiver.bfh")
    caseworker.get(f"/indsatser/{created.id}/fordeling/ny")
    caseworker.post(f"/indsatser/{created.id}/fordeling/ny",
                    {**weighted(), "action": "propose"})
    assert inbox.messages == []
    session.expire_all()
    queued = session.exec(select(OutboxMail).where(OutboxMail.sent_at == None)).all()  # noqa: E711
    assert len(queued) == 2
    assert all(row.attempts == 1 and "550" in row.last_error for row in queued)
    inbox.refuse = False
    environment = {"FINANS_DATABASE_URL": app.config["DATABASE_URL"]}
    result = CliRunner().invoke(notify, env=environment)
    assert result.exit_code == 0, result.output
    assert "Sendt: 2" in result.output
    assert sorted(message["To"] for message in inbox.messages) == [
        address("controller.bfh"), address("controller.job")]
    again = CliRunner().invoke(notify, env=environment)
    assert again.exit_code == 0 and "Sendt: 0" in again.output
    assert len(inbox.messages) == 2


def test_remind_sends_one_digest_per_controller_with_working_links_and_only_once_a_day(
    app: Flask, session: Session, inbox: Inbox, login: Callable[[str], Client]
) -> None:
    from click.testing import CliRunner

    from finans.cli.mail import remind
    from finans.services.actor import Actor, Role
    from finans.services.splits import pending_approvals

    waiting = pending_approvals(session, actor=Actor("admin", Role.ADMIN))
    oldest = max(item.age_days for item in waiting)
    assert oldest > 0, "the demo has proposals that have waited"
    late = {item.department for item in waiting if item.age_days > oldest - 1}
    environment = {"FINANS_DATABASE_URL": app.config["DATABASE_URL"]}
    result = CliRunner().invoke(remind, ["--older-than", str(oldest - 1)], env=environment)
    assert result.exit_code == 0, result.output
    assert sorted(message["To"] for message in inbox.messages) == sorted(
        address(f"controller.{code.lower()}") for code in late)
    mail = inbox.messages[0]
    assert_danish_without_cpr(mail)
    assert mail["Subject"].startswith("Påmindelse:")
    controller = login(mail["To"].split("@")[0])
    for path in re.findall(rf"{re.escape(BASE_URL)}(/\S*)", body(mail)):
        assert controller.get(path).status_code == 200
    again = CliRunner().invoke(remind, ["--older-than", str(oldest - 1)], env=environment)
    assert again.exit_code == 0 and "allerede fået dagens" in again.output
    assert len(inbox.messages) == len(late)
