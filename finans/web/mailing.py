"""Sending the mails a request queued, once its change is committed and its page is on its way.

The services write mails to the outbox inside the change's transaction and mark the session; after
such a request, the outbox is sent when the response has been handed to the client (Werkzeug's
``call_on_close``), so nobody waits for the mail server. A send that fails leaves the mail queued
for ``finans notify``.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from werkzeug.wrappers import Response

from finans.config import Settings
from finans.mail import MailConfig, deliver_queued
from finans.services.notifications import QUEUED_FLAG
from finans.web.database import engine

log = logging.getLogger(__name__)
MAIL_KEY = "finans.mail"


def init_mail(app: Flask, settings: Settings) -> None:
    """Read the mail settings (a broken SMTP URL stops the start) and send after each request."""
    app.extensions[MAIL_KEY] = MailConfig.from_settings(settings)
    app.after_request(_send_after_response)


def _send_after_response(response: Response) -> Response:
    session = g.get("db_session")
    if session is None or not session.info.pop(QUEUED_FLAG, False):
        return response
    config: MailConfig = current_app.extensions[MAIL_KEY]
    bound = engine()

    def send() -> None:
        try:
            deliver_queued(bound, config)
        except Exception:  # the mails stay queued; finans notify sends them later
            log.exception("Sending the outbox after a request failed")

    response.call_on_close(send)
    return response
