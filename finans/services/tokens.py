"""API tokens: created for a user, listed without their secret, revoked, and checked on each call.

A token is shown once when it is created; only its SHA-256 hash and its first characters (to
recognise it in lists) are stored. Every token expires (90 days unless asked otherwise) and can be
revoked by its owner or an administrator; a password change or deactivation revokes all of a
user's tokens. The last use is kept to the minute, so owners can see which tokens are in use.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from finans.allocation.problems import Problem
from finans.services import audit, lookup, versions
from finans.services.actor import Actor, Role
from finans.services.errors import Forbidden, NotFound, ServiceError, problem
from finans.services.policy import Action, permits
from finans.services.text import text_problems
from finans.services.transactions import atomic
from finans.store import models
from finans.store.timestamps import as_utc, now, to_text

ENTITY = "token"
TOKEN_PREFIX = "fin_"
SHOWN_TOKEN_CHARACTERS = 12
"""How much of a token is stored in clear to recognise it in lists (``fin_AbCdEfGh``)."""
DEFAULT_DAYS = 90
MAX_DAYS = 730
MAX_LABEL = 100
LAST_USE_PRECISION = timedelta(minutes=1)
"""The last use is written at most this often per token, so calls do not each write a row."""


class TokenState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATE_NAMES = {TokenState.ACTIVE: "gyldig", TokenState.EXPIRED: "udløbet",
               TokenState.REVOKED: "tilbagekaldt"}


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as its owner and administrators see it: never the secret."""

    id: int
    username: str
    label: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: TokenState

    def as_json(self) -> dict[str, object]:
        def moment(value: datetime | None) -> str | None:
            return None if value is None else to_text(value)

        return {
            "id": self.id, "user": self.username, "label": self.label, "prefix": self.prefix,
            "created_at": moment(self.created_at), "expires_at": moment(self.expires_at),
            "last_used_at": moment(self.last_used_at), "revoked_at": moment(self.revoked_at),
            "state": self.state.value,
        }


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """Who a presented token belongs to, or why it is refused (``unknown``, ``expired``,
    ``revoked``, ``inactive``)."""

    actor: Actor | None
    refusal: str = ""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _state(row: models.ApiToken, moment: datetime) -> TokenState:
    if row.revoked_at is not None:
        return TokenState.REVOKED
    if as_utc(row.expires_at) <= moment:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def _info(row: models.ApiToken, username: str, moment: datetime) -> TokenInfo:
    assert row.id is not None

    def utc(value: datetime | None) -> datetime | None:
        return None if value is None else as_utc(value)

    return TokenInfo(
        id=row.id, username=username, label=row.label, prefix=row.prefix,
        created_at=as_utc(row.created_at), expires_at=as_utc(row.expires_at),
        last_used_at=utc(row.last_used_at), revoked_at=utc(row.revoked_at),
        state=_state(row, moment),
    )


def _snapshot(info: TokenInfo) -> audit.Snapshot:
    return {"user": info.username, "label": info.label, "prefix": info.prefix,
            "expires_at": to_text(info.expires_at),
            "revoked_at": None if info.revoked_at is None else to_text(info.revoked_at)}


def _require_self_or_admin(actor: Actor, username: str) -> None:
    if actor.username != username and not permits(actor, Action.MANAGE_TOKENS):
        raise Forbidden("Du kan kun oprette API-nøgler til dig selv.")


@atomic
def create_token(
    session: Session, *, actor: Actor, username: str, days: int = DEFAULT_DAYS, label: str = ""
) -> str:
    """A new API token for the user, valid for ``days``, returned once; only its hash is kept."""
    _require_self_or_admin(actor, username)
    problems = text_problems(label, "label", MAX_LABEL)
    if not 1 <= days <= MAX_DAYS:
        message = f"En API-nøgle kan gælde fra 1 til {MAX_DAYS} dage"
        problems.append(Problem("bad_days", message, "expires_in"))
    if problems:
        raise ServiceError(problems)
    row = lookup.user(session, username)
    if not row.active:
        raise problem("inactive_user", f"Brugeren {username} er deaktiveret", "username")
    assert row.id is not None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    created = now()
    made = models.ApiToken(
        user_id=row.id, prefix=token[:SHOWN_TOKEN_CHARACTERS], token_hash=_hash(token),
        created_at=created, label=label.strip(), expires_at=created + timedelta(days=days),
    )
    session.add(made)
    session.flush()
    info = _info(made, username, created)
    audit.record(session, actor, "create", ENTITY, str(info.id), after=_snapshot(info))
    versions.commit(session, label="API-nøglen")
    return token


def list_tokens(session: Session, *, actor: Actor, username: str | None = None) -> list[TokenInfo]:
    """Tokens by id: an administrator's of everyone (or of ``username``), others' their own."""
    if not permits(actor, Action.MANAGE_TOKENS):
        if username not in (None, actor.username):
            raise Forbidden("Du kan kun se dine egne API-nøgler.")
        username = actor.username
    query = (
        select(models.ApiToken, models.User.username)
        .join(models.User, col(models.User.id) == col(models.ApiToken.user_id))
        .order_by(col(models.ApiToken.id))
    )
    if username is not None:
        lookup.user(session, username)
        query = query.where(models.User.username == username)
    moment = now()
    return [_info(row, name, moment) for row, name in session.exec(query)]


@atomic
def revoke_token(
    session: Session, *, actor: Actor, token_id: int, own_only: bool = False
) -> TokenInfo:
    """Revoke a token at once; its owner or an administrator may (only its owner with
    ``own_only``). Revoking twice changes nothing; others' tokens are answered as unknown."""
    found = session.exec(
        select(models.ApiToken, models.User.username)
        .join(models.User, col(models.User.id) == col(models.ApiToken.user_id))
        .where(models.ApiToken.id == token_id)
    ).first()
    mine_only = own_only or not permits(actor, Action.MANAGE_TOKENS)
    if found is None or (mine_only and found[1] != actor.username):
        raise NotFound(f"API-nøgle {token_id} findes ikke.")
    row, username = found
    moment = now()
    if row.revoked_at is not None:
        return _info(row, username, moment)
    before = _snapshot(_info(row, username, moment))
    row.revoked_at = moment
    session.flush()
    info = _info(row, username, moment)
    audit.record(session, actor, "revoke", ENTITY, str(info.id), before, _snapshot(info))
    versions.commit(session, label="API-nøglen")
    return info


def revoke_all(session: Session, user_id: int) -> int:
    """Revoke every live token of a user, in the caller's transaction; how many were live."""
    result = session.exec(
        update(models.ApiToken)
        .where(col(models.ApiToken.user_id) == user_id, col(models.ApiToken.revoked_at).is_(None))
        .values(revoked_at=now())
    )
    return int(result.rowcount or 0)


def check_token(session: Session, *, token: str) -> TokenCheck:
    """The actor a presented token belongs to, or why it is refused; notes the token's use."""
    found = session.exec(
        select(models.ApiToken, models.User)
        .join(models.User, col(models.User.id) == col(models.ApiToken.user_id))
        .where(models.ApiToken.token_hash == _hash(token))
    ).first()
    if found is None:
        return TokenCheck(None, "unknown")
    row, user = found
    moment = now()
    state = _state(row, moment)
    if state is not TokenState.ACTIVE:
        return TokenCheck(None, state.value)
    if not user.active:
        return TokenCheck(None, "inactive")
    _note_use(session, row, moment)
    return TokenCheck(Actor(user.username, Role(user.role), user.department))


def _note_use(session: Session, row: models.ApiToken, moment: datetime) -> None:
    """Keep the last use to the minute: one small write per token and minute at most."""
    if row.last_used_at is not None and as_utc(row.last_used_at) > moment - LAST_USE_PRECISION:
        return
    session.exec(
        update(models.ApiToken)
        .where(col(models.ApiToken.id) == row.id)
        .where(or_(col(models.ApiToken.last_used_at).is_(None),
                   col(models.ApiToken.last_used_at) <= moment - LAST_USE_PRECISION))
        .values(last_used_at=moment)
    )
    session.commit()


def actor_for_token(session: Session, *, token: str) -> Actor | None:
    """The actor an API token belongs to, if the token is live and its user active."""
    return check_token(session, token=token).actor
