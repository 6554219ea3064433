"""The mail outbox on SQLite and PostgreSQL: mails are queued in the change's transaction, sent once
through a real SMTP server, kept when the server is down, and never sent twice, even by two
senders at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from finans.config import ConfigError, Settings
from finans.mail import MailConfig, SmtpServer, deliver_queued
from finans.services.errors import ServiceError
from finans.services.notifications import Waiting, queue_reminders
from finans.services.splits import decide, propose_split
from finans.services.users import create_user
from finans.store.outbox import OutboxMail
from tests.integration.municipality import ADMIN, CASEWORKER, FIXED_60_40, controller
from tests.mailserver import Inbox, free_port

BASE = "https://finans.kommune.example"


def config(port: int) -> MailConfig:
    return MailConfig(SmtpServer("smtp", "127.0.0.1", port), "finans@kommune.example", BASE)


@pytest.fixture
def people(seeded: Session) -> Session:
    """The small municipality with mail addresses for anna (coordinator) and two controllers."""
    for username, role, department in (("anna", "caseworker", "BFH"),
                                       ("controller.bfh", "controller", "BFH"),
                                       ("controller.job", "controller", "JOB"),
                                       ("controller.sko", "controller", "SKO")):
        create_user(seeded, actor=ADMIN, username=username, role=role, department=department,
                    password="hemmelig-kode", email=f"{username}@kommune.example")
    return seeded


def queued(session: Session) -> list[OutboxMail]:
    session.expire_all()
    return list(session.exec(select(OutboxMail).where(OutboxMail.sent_at == None)))  # noqa: E711


def test_a_proposal_queues_one_mail_per_controller_in_its_own_transaction(
    people: Session,
) -> None:
    split = propose_split(people, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    mails = queued(people)
    assert sorted(mail.address for mail in mails) == [
        "controller.bfh@kommune.example", "controller.job@kommune.example"]
    assert {mail.link for mail in mails} == {f"{{base}}/godkendelser/{split.id}"}
    with pytest.raises(ServiceError):
        propose_split(people, actor=CASEWORKER, intervention="I-1",
                      data={**FIXED_60_40, "shares": {"BFH": "60", "JOB": "30"}})
    assert len(queued(people)) == 2, "a refused change queues nothing"


def test_mail_waits_in_the_outbox_without_smtp_settings(people: Session, engine: Engine) -> None:
    propose_split(people, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    report = deliver_queued(engine, MailConfig(None, None, BASE))
    assert (report.configured, report.sent, report.queued) == (False, 0, 2)
    assert all(mail.attempts == 0 for mail in queued(people))


def test_a_server_that_is_down_leaves_the_mail_queued_and_a_retry_sends_it_once(
    people: Session, engine: Engine, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    propose_split(people, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    down = deliver_queued(engine, config(free_port()))
    assert (down.sent, down.failed, down.queued) == (0, 1, 2)
    failed = [mail for mail in queued(people) if mail.attempts]
    assert len(failed) == 1 and "ConnectionRefusedError" in failed[0].last_error
    assert failed[0].claim is None
    up = deliver_queued(engine, config(port))
    assert (up.sent, up.failed, up.queued) == (2, 0, 0)
    assert deliver_queued(engine, config(port)).sent == 0
    assert sorted(message["To"] for message in inbox.messages) == [
        "controller.bfh@kommune.example", "controller.job@kommune.example"]
    text = inbox.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"{BASE}/godkendelser/" in text and "{base}" not in text


def test_two_senders_at_once_send_every_mail_exactly_once(
    people: Session, engine: Engine, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    for day in range(1, 11):  # one open version per day (docs/workflow.md)
        propose_split(people, actor=CASEWORKER, intervention="I-1",
                      data={**FIXED_60_40, "effective_from": f"2026-01-{day:02d}"})
    assert len(queued(people)) == 20
    start = threading.Barrier(2)
    reports = []

    def send() -> None:
        start.wait()
        reports.append(deliver_queued(engine, config(port)))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.sent for report in reports) == 20
    assert len(inbox.messages) == 20
    assert len({message["Message-ID"] for message in inbox.messages}) == 20
    assert queued(people) == []


def test_rejection_and_agreement_tell_the_coordinator(
    people: Session, engine: Engine, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    first = propose_split(people, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    decide(people, actor=controller("JOB"), split_id=first.id, decision="reject",
           reason="For høj andel til JOB")
    second = propose_split(people, actor=CASEWORKER, intervention="I-1",
                           data={**FIXED_60_40, "effective_from": "2026-02-01"})
    decide(people, actor=controller("BFH"), split_id=second.id, decision="approve")
    decide(people, actor=controller("JOB"), split_id=second.id, decision="approve")
    deliver_queued(engine, config(port))
    to_anna = [message["Subject"] for message in inbox.to("anna@kommune.example")]
    assert to_anna == ["Afvist: Aflastning (I-1), sag S-2026-0001",
                       "Aftalt: Aflastning (I-1), sag S-2026-0001"]
    assert len(inbox.messages) == 6


def test_the_daily_digest_goes_once_per_controller_and_day(
    people: Session, new_session: Callable[[], Session]
) -> None:
    waiting = [Waiting(1, "I-1", "Aflastning", "S-2026-0001", "JOB", 9),
               Waiting(2, "I-2", "Bistand", "S-2026-0002", "JOB", 3),
               Waiting(3, "I-2", "Bistand", "S-2026-0002", "SKO", 2)]
    report = queue_reminders(people, actor=ADMIN, waiting=waiting, older_than=5,
                             today=date(2026, 3, 2))
    assert (report.queued, report.already_reminded) == (1, 0)
    (mail,) = queued(people)
    assert mail.address == "controller.job@kommune.example"
    assert "I-1" in mail.body and "I-2" not in mail.body and "venter 9 dage" in mail.body
    with new_session() as other:
        again = queue_reminders(other, actor=ADMIN, waiting=waiting, older_than=5,
                                today=date(2026, 3, 2))
    assert (again.queued, again.already_reminded) == (0, 1)
    tomorrow = queue_reminders(people, actor=ADMIN, waiting=waiting, older_than=5,
                               today=date(2026, 3, 3))
    assert tomorrow.queued == 1


def test_smtp_addresses_are_read_with_their_security_and_credentials(
    smtp: tuple[Inbox, int], people: Session, engine: Engine
) -> None:
    inbox, port = smtp
    assert SmtpServer.from_url("smtp+starttls://kim%40kommune.dk:p%C3%A6ss@mail.kommune.dk") == (
        SmtpServer("smtp+starttls", "mail.kommune.dk", 587, "kim@kommune.dk", "pæss"))
    assert SmtpServer.from_url("smtps://mail.kommune.dk").port == 465
    for bad in ("http://mail.kommune.dk", "smtp://", "smtp://mail:port"):
        with pytest.raises(ConfigError):
            SmtpServer.from_url(bad)
    settings = Settings(instance=Settings.from_env({}).instance, database_url="sqlite://",
                        smtp_url=f"smtp://finans:hemmelig@127.0.0.1:{port}",
                        mail_from="finans@kommune.example")
    propose_split(people, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    assert deliver_queued(engine, MailConfig.from_settings(settings)).sent == 2
    assert inbox.logins == [("finans", "hemmelig")]
