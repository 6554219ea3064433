"""Mail commands: ``notify`` sends what waits in the outbox, ``remind`` queues the daily digests.

Run both from cron or a systemd timer: ``finans notify`` every few minutes retries mails whose send
failed, ``finans remind --older-than 5`` once a day reminds each controller of answers their
department has owed for more than five days. Exit status 1 when a send failed (the mails stay
queued for the next run). See docs/notifications.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import Engine
from sqlmodel import Session

from finans.cli.common import cli_actor, configured_engine, configured_settings, fail
from finans.cli.exits import EXIT_REFUSED
from finans.config import ConfigError
from finans.mail import DeliveryReport, MailConfig, deliver_queued
from finans.services.notifications import Waiting, queue_reminders
from finans.services.policy import Action, refusal
from finans.services.splits import pending_approvals
from finans.store.db import is_current
from finans.store.timestamps import local, now


@contextmanager
def _mail_engine() -> Iterator[tuple[Engine, MailConfig]]:
    if (reason := refusal(cli_actor(), Action.SEND_MAIL)) is not None:
        fail(reason)
    try:
        config = MailConfig.from_settings(configured_settings())
    except ConfigError as error:
        fail(str(error))
    with configured_engine() as engine:
        if not is_current(engine):
            fail("Databasen er ikke oprettet eller ikke opdateret. Kør 'finans init' først.")
        yield engine, config


def _report(report: DeliveryReport) -> None:
    if not report.configured:
        click.echo(
            "Mail er ikke sat op (FINANS_SMTP_URL og FINANS_MAIL_FROM): intet er sendt, "
            f"{report.queued} mails venter i udbakken."
        )
        return
    click.echo(f"Sendt: {report.sent}. Mislykkedes: {report.failed}. "
               f"Venter stadig: {report.queued}.")
    if report.failed:
        click.echo("Mails, der ikke kunne sendes, bliver i udbakken; kør 'finans notify' igen.",
                   err=True)
        raise click.exceptions.Exit(EXIT_REFUSED)


@click.command()
def notify() -> None:
    """Send mails, der venter i udbakken (også dem, der ikke kunne sendes før)."""
    with _mail_engine() as (engine, config):
        report = deliver_queued(engine, config)
    _report(report)


@click.command()
@click.option("--older-than", "older_than", required=True, type=click.IntRange(min=0),
              metavar="DAGE", help="Påmind om svar, der har ventet mere end så mange dage.")
def remind(older_than: int) -> None:
    """Læg én daglig påmindelse i udbakken til hver controller med svar, der har ventet for
    længe, og send den."""
    today = local(now()).date()
    with _mail_engine() as (engine, config):
        with Session(engine) as session:
            waiting = [
                Waiting(item.split, item.intervention, item.title, item.case, item.department,
                        item.age_days)
                for item in pending_approvals(session, actor=cli_actor(), today=today)
            ]
            queued = queue_reminders(session, actor=cli_actor(), waiting=waiting,
                                     older_than=older_than, today=today)
        click.echo(f"Påmindelser lagt i udbakken: {queued.queued}"
                   + (f" ({queued.already_reminded} controllere har allerede fået dagens)"
                      if queued.already_reminded else "") + ".")
        report = deliver_queued(engine, config)
    _report(report)
