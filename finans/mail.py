"""Sending the outbox through a real SMTP server (the standard library's smtplib and email).

:func:`deliver_queued` sends every queued mail once. Each row is first *claimed* by a guarded
``UPDATE … SET claim = :token WHERE id = :id AND sent_at IS NULL AND (claim IS NULL OR the claim is
stale)`` in its own transaction: the database lets one sender win, so two ``finans notify`` at once
never send the same mail. After the send the row gets ``sent_at``; a failed send gives the claim
back with the attempt counted and the error kept, and the mail waits for the next run. A claim
older than :data:`STALE_CLAIM` (a sender that died mid-send) may be taken over.

Without ``FINANS_SMTP_URL`` and ``FINANS_MAIL_FROM`` nothing is sent: mails stay in the outbox.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import Engine, and_, or_, select, update
from sqlmodel import Session

from finans.config import ConfigError, Settings
from finans.services.notifications import BASE
from finans.store.outbox import OutboxMail
from finans.store.timestamps import now

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
"""Accepted URL schemes and their default ports."""
STALE_CLAIM = timedelta(minutes=15)
TIMEOUT_SECONDS = 20
MAX_ERROR = 500

_TABLE = OutboxMail.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to send: ``scheme`` is ``smtp``, ``smtp+starttls`` or ``smtps``."""

    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """``smtp+starttls://user:password@host:587`` → the server; a bad URL is a ConfigError."""
        parts = urlsplit(url.strip())
        if parts.scheme not in SCHEMES:
            raise ConfigError(
                "FINANS_SMTP_URL skal begynde med smtp://, smtp+starttls:// eller smtps://"
            )
        try:
            port = parts.port or SCHEMES[parts.scheme]
        except ValueError:
            raise ConfigError("FINANS_SMTP_URL har et ugyldigt portnummer") from None
        if not parts.hostname:
            raise ConfigError("FINANS_SMTP_URL mangler serverens navn, fx smtp://mail.kommune.dk")
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(parts.scheme, parts.hostname, port, username, password)


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The SMTP server, the sender and the app's public address; ``server`` or ``sender`` empty
    means mail is not set up."""

    server: SmtpServer | None
    sender: str | None
    base_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> MailConfig:
        server = SmtpServer.from_url(settings.smtp_url) if settings.smtp_url else None
        return cls(server, settings.mail_from, settings.base_url)

    @property
    def configured(self) -> bool:
        return self.server is not None and bool(self.sender)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did.

    Attributes:
      sent: mails sent now.
      failed: mails whose send failed now (they stay queued).
      queued: mails still waiting after the run.
      configured: whether SMTP is set up (when not, nothing was tried).
    """

    sent: int
    failed: int
    queued: int
    configured: bool


def queued_count(engine: Engine) -> int:
    with Session(engine) as session:
        rows = session.connection().execute(select(_TABLE.c.id).where(_TABLE.c.sent_at.is_(None)))
        return len(rows.all())


def _open_ids(engine: Engine) -> list[int]:
    stale = now() - STALE_CLAIM
    query = (
        select(_TABLE.c.id)
        .where(_TABLE.c.sent_at.is_(None))
        .where(or_(_TABLE.c.claim.is_(None), _TABLE.c.claimed_at < stale))
        .order_by(_TABLE.c.id)
    )
    with engine.connect() as connection:
        return [row.id for row in connection.execute(query)]


def _claim(engine: Engine, mail_id: int, token: str) -> bool:
    """Take the row for this sender; false when another sender has it or it was sent."""
    moment = now()
    guarded = and_(
        _TABLE.c.id == mail_id,
        _TABLE.c.sent_at.is_(None),
        or_(_TABLE.c.claim.is_(None), _TABLE.c.claimed_at < moment - STALE_CLAIM),
    )
    statement = (
        update(_TABLE).where(guarded)
        .values(claim=token, claimed_at=moment, attempts=_TABLE.c.attempts + 1)
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def _finish(engine: Engine, mail_id: int, token: str, error: str | None) -> None:
    """Mark the claimed row sent, or give it back with the error."""
    values = (
        {"sent_at": now(), "claim": None, "last_error": ""}
        if error is None
        else {"claim": None, "claimed_at": None, "last_error": error[:MAX_ERROR]}
    )
    statement = update(_TABLE).where(_TABLE.c.id == mail_id, _TABLE.c.claim == token)
    with engine.begin() as connection:
        connection.execute(statement.values(**values))


def _message(row: OutboxMail, config: MailConfig) -> EmailMessage:
    assert config.sender is not None
    message = EmailMessage()
    message["From"] = formataddr(("finans", config.sender))
    message["To"] = row.address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = make_msgid(idstring=f"finans-{row.id}",
                                       domain=config.sender.rpartition("@")[2] or None)
    message.set_content(row.body.replace(BASE, config.base_url), charset="utf-8")
    return message


@contextmanager
def _connection(server: SmtpServer) -> Iterator[smtplib.SMTP]:
    """A logged-in SMTP connection (TLS as the URL's scheme says)."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if server.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS,
                                context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    try:
        if server.scheme == "smtp+starttls":
            smtp.starttls(context=context)
        if server.username:
            smtp.login(server.username, server.password or "")
        yield smtp
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def deliver_queued(engine: Engine, config: MailConfig) -> DeliveryReport:
    """Send every queued mail once (see the module's docstring for how)."""
    if not config.configured:
        return DeliveryReport(0, 0, queued_count(engine), False)
    assert config.server is not None
    token = uuid.uuid4().hex
    sent = failed = 0
    ids = _open_ids(engine)
    if ids:
        sent, failed = _send(engine, config, config.server, ids, token)
    return DeliveryReport(sent, failed, queued_count(engine), True)


def _send(
    engine: Engine, config: MailConfig, server: SmtpServer, ids: list[int], token: str
) -> tuple[int, int]:
    """Claim and send the rows one by one over one connection, opened when first needed."""
    sent = failed = 0
    with ExitStack() as connection:
        smtp: smtplib.SMTP | None = None
        for mail_id in ids:
            if not _claim(engine, mail_id, token):
                continue
            with Session(engine) as session:
                row = session.get(OutboxMail, mail_id)
                assert row is not None
                message = _message(row, config)
            try:
                if smtp is None:
                    smtp = connection.enter_context(_connection(server))
                smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                    smtplib.SMTPSenderRefused) as error:
                # The server refused this mail: the next one may still go.
                _finish(engine, mail_id, token, _error_text(error))
                failed += 1
                continue
            except (OSError, smtplib.SMTPException) as error:
                # The server is unreachable or broke off: the rest waits for the next run.
                _finish(engine, mail_id, token, _error_text(error))
                failed += 1
                break
            _finish(engine, mail_id, token, None)
            sent += 1
    return sent, failed
