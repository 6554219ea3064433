"""The mail outbox: every notification is written here in the transaction of the change it tells
about, and sent after commit (see docs/notifications.md).

A row is *queued* while ``sent_at`` is empty. A sender claims a row before sending it: it sets
``claim`` with a guarded ``UPDATE … WHERE claim IS NULL`` (or the claim is stale), so two senders
never send the same row. ``dedupe_key`` is unique: a mail that must go out at most once (the daily
digest of a controller) cannot be queued twice, whoever queues it.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel


class OutboxMail(SQLModel, table=True):
    """One mail to one person."""

    __tablename__: ClassVar[str] = "outbox"
    __table_args__ = (Index("outbox_queued", "sent_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    event: str
    recipient: str
    address: str
    subject: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    link: str = ""
    dedupe_key: str | None = Field(default=None, sa_column=Column(String, unique=True))
    created_at: datetime
    attempts: int = 0
    last_error: str = ""
    claim: str | None = None
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
