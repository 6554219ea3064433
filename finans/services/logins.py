"""Log-ins in a browser, kept in the database so that they can be ended from the server.

A log-in gets a random key that the (signed) session cookie carries; the database keeps only the
key's SHA-256 hash. Every request looks the key up, so deleting the row ends the log-in at once:
log-out deletes it, a password change or deactivation deletes all of the user's rows, and a cookie
copied before any of these no longer works. A log-in also ends on its own after
:data:`LIFETIME`: one working day.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from finans.services.actor import Actor, Role
from finans.store import models
from finans.store.timestamps import now

LIFETIME = timedelta(hours=12)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start(session: Session, *, username: str) -> str:
    """A new log-in for an (authenticated) user; the key for the session cookie."""
    user_id = session.exec(select(models.User.id).where(models.User.username == username)).one()
    assert user_id is not None
    moment = now()
    session.exec(delete(models.LoginSession).where(
        col(models.LoginSession.created_at) < moment - LIFETIME))
    key = secrets.token_urlsafe(32)
    session.add(models.LoginSession(user_id=user_id, key_hash=_hash(key), created_at=moment))
    session.commit()
    return key


def actor(session: Session, *, key: str) -> Actor | None:
    """The active user a live log-in belongs to, else ``None``."""
    user = session.exec(
        select(models.User)
        .join(models.LoginSession, col(models.LoginSession.user_id) == col(models.User.id))
        .where(models.LoginSession.key_hash == _hash(key),
               col(models.LoginSession.created_at) >= now() - LIFETIME)
    ).first()
    if user is None or not user.active:
        return None
    return Actor(user.username, Role(user.role), user.department)


def end(session: Session, *, key: str) -> None:
    """End one log-in (log-out)."""
    session.exec(delete(models.LoginSession).where(
        col(models.LoginSession.key_hash) == _hash(key)))
    session.commit()


def end_all(session: Session, user_id: int) -> int:
    """End every log-in of a user, in the caller's transaction; how many there were."""
    result = session.exec(delete(models.LoginSession).where(
        col(models.LoginSession.user_id) == user_id))
    return int(result.rowcount or 0)
