"""The logged-in user's own account: change the password, see and revoke one's API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans.services import tokens, users
from finans.services.errors import ServiceError
from finans.services.policy import Action
from finans.web.access import actor, allowed
from finans.web.api.common import MAX_ID
from finans.web.auth import start_login
from finans.web.database import db
from finans.web.forms import FieldProblems, place_problems

bp = Blueprint("account", __name__, url_prefix="/konto")

PASSWORD_FIELDS = ("current", "new", "repeated")


def _page(problems: FieldProblems) -> tuple[str, int]:
    items = tokens.list_tokens(db(), actor=actor())
    page = render_template("account/index.html", problems=problems, tokens=items,
                           state_names=tokens.STATE_NAMES)
    return page, 422 if problems else 200


@bp.get("")
@allowed(Action.OWN_ACCOUNT)
def index() -> tuple[str, int]:
    return _page(FieldProblems())


@bp.post("/adgangskode")
@allowed(Action.OWN_ACCOUNT)
def password() -> Response | tuple[str, int]:
    """Change one's own password; every other log-in and every API token of the user ends."""
    me = actor()
    try:
        users.change_own_password(
            db(), actor=me, current=request.form.get("current", ""),
            new=request.form.get("new", ""), repeated=request.form.get("repeated", ""),
        )
    except ServiceError as error:
        return _page(place_problems(error.problems, PASSWORD_FIELDS))
    start_login(me)
    flash("Din adgangskode er skiftet. Du er logget ud alle andre steder, og dine API-nøgler er "
          "tilbagekaldt.", "success")
    return redirect(url_for("account.index"))


@bp.post(f"/api-noegler/<int(max={MAX_ID}):token_id>/tilbagekald")
@allowed(Action.OWN_ACCOUNT)
def revoke(token_id: int) -> Response:
    revoked = tokens.revoke_token(db(), actor=actor(), token_id=token_id)
    flash(f"API-nøglen {revoked.prefix}… er tilbagekaldt.", "success")
    return redirect(url_for("account.index"))
