"""The caller's own API tokens: list them (never the secret) and revoke one.

Administrators revoke other people's tokens in the admin screens or with ``finans token revoke``;
here everyone, administrators included, sees and revokes only their own.
"""

from __future__ import annotations

from flask import Blueprint, Response

from finans.services import tokens
from finans.web.api.common import actor, json_response, page, row_id
from finans.web.database import db

bp = Blueprint("tokens", __name__)
TOKEN_ID = "<int:token_id>"


@bp.get("/tokens")
def list_tokens() -> Response:
    me = actor()
    items = tokens.list_tokens(db(), actor=me, username=me.username)
    return page([item.as_json() for item in items])


def _revoke(token_id: int) -> Response:
    revoked = tokens.revoke_token(db(), actor=actor(), token_id=row_id(token_id), own_only=True)
    return json_response(revoked.as_json())


@bp.delete(f"/tokens/{TOKEN_ID}")
def delete_token(token_id: int) -> Response:
    return _revoke(token_id)


@bp.post(f"/tokens/{TOKEN_ID}/revoke")
def revoke_token(token_id: int) -> Response:
    return _revoke(token_id)
