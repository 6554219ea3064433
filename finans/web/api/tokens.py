"""The caller's own API tokens: list them (never the secret) and revoke one.

Administrators revoke other people's tokens in the admin screens or with ``finans token revoke``;
here everyone, administrators included, sees and revokes only their own.
"""

from __future__ import annotations

from flask import Blueprint

from finans.services import tokens
from finans.services.tokens import TokenInfo
from finans.web.api.common import actor, row_id
from finans.web.api.operations import (
    INVALID,
    NOT_FOUND,
    PAGED,
    UNAUTHORIZED,
    Page,
    operation,
    page,
)
from finans.web.database import db

bp = Blueprint("tokens", __name__)
TOKEN_ID = "<int:token_id>"
TAG = "API-nøgler"


@bp.get("/tokens")
@operation("The caller's own API tokens (never the secret)", tag=TAG, answer=Page[TokenInfo],
           query=PAGED, refusals=(UNAUTHORIZED, INVALID))
def list_tokens() -> Page[TokenInfo]:
    me = actor()
    return page(tokens.list_tokens(db(), actor=me, username=me.username))


def _revoke(token_id: int) -> TokenInfo:
    return tokens.revoke_token(db(), actor=actor(), token_id=row_id(token_id), own_only=True)


@bp.delete(f"/tokens/{TOKEN_ID}")
@operation("Revoke one of the caller's own tokens", tag=TAG, answer=TokenInfo,
           refusals=(UNAUTHORIZED, NOT_FOUND))
def delete_token(token_id: int) -> TokenInfo:
    return _revoke(token_id)


@bp.post(f"/tokens/{TOKEN_ID}/revoke")
@operation("Revoke one of the caller's own tokens (the same as DELETE)", tag=TAG,
           answer=TokenInfo, refusals=(UNAUTHORIZED, NOT_FOUND))
def revoke_token(token_id: int) -> TokenInfo:
    return _revoke(token_id)
