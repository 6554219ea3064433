""""Mails fra finans" (from "Min konto"): each user's own e-mail address and whether finans
sends them mails."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans.services import users
from finans.services.errors import Conflict, ServiceError
from finans.services.policy import Action
from finans.services.users import UserView
from finans.web.access import actor, allowed
from finans.web.database import db
from finans.web.forms import FieldProblems, checked, place_problems, positive_int, text

bp = Blueprint("profile", __name__)


def _page(
    profile: UserView, problems: FieldProblems, conflict: Conflict | None = None, status: int = 200
) -> tuple[str, int]:
    page = render_template("profile.html", profile=profile, problems=problems, conflict=conflict)
    return page, status


@bp.route("/profil", methods=["GET", "POST"])
@allowed(Action.OWN_ACCOUNT)
def show() -> Response | tuple[str, int]:
    session, user = db(), actor()
    stored = users.get_profile(session, actor=user)
    if request.method == "GET":
        return _page(stored, FieldProblems())
    version = positive_int(request.form.get("version"))
    if version is None:
        abort(400)
    typed = replace(stored, email=text(request.form, "email"),
                    mail_enabled=checked(request.form, "mail_enabled"))
    try:
        users.update_profile(session, actor=user, version=version, email=typed.email,
                             mail_enabled=typed.mail_enabled)
    except ServiceError as error:
        return _page(replace(typed, version=version),
                     place_problems(error.problems, ("email",)), status=422)
    except Conflict as error:
        fresh = users.get_profile(session, actor=user)
        return _page(replace(typed, version=fresh.version), FieldProblems(), error, 409)
    flash("Din profil er gemt.", "success")
    return redirect(url_for("profile.show"))
