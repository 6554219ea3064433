"""Administration: departments and account strings, users and roles, the eligibility criteria."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finans.services import departments, settings, tokens, users
from finans.services.actor import ROLE_NAMES, Role
from finans.services.errors import Conflict, ServiceError
from finans.services.policy import Action
from finans.services.users import UserView
from finans.store.mapping import Json
from finans.web.access import actor, allowed
from finans.web.api.common import MAX_ID
from finans.web.database import db
from finans.web.forms import (
    FieldProblems,
    checked,
    place_problems,
    positive_int,
    shown_again,
    text,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

DEPARTMENT_FIELDS = ("code", "name", "account", "active")
USER_FIELDS = ("username", "name", "role", "department", "password", "active", "email")
CRITERIA_FIELDS = ("min_departments", "require_consent")
ROLES = [(role.value, ROLE_NAMES[role].capitalize()) for role in Role]


def _version() -> int:
    version = positive_int(request.form.get("version"))
    if version is None:
        abort(400)
    return version


# --- departments --------------------------------------------------------------------------------


def _departments_page(new: Json, problems: FieldProblems) -> tuple[str, int]:
    page = render_template(
        "admin/departments.html", items=departments.list_departments(db()), new=new,
        problems=problems,
    )
    return page, 422 if problems else 200


@bp.route("/afdelinger", methods=["GET", "POST"])
@allowed(Action.MANAGE_DEPARTMENTS)
def departments_index() -> Response | tuple[str, int]:
    if request.method == "GET":
        return _departments_page({"code": "", "name": "", "account": ""}, FieldProblems())
    data = {key: text(request.form, key) for key in ("code", "name", "account")}
    try:
        created = departments.create_department(db(), actor=actor(), data=data)
    except ServiceError as error:
        return _departments_page(data, place_problems(error.problems, DEPARTMENT_FIELDS))
    flash(f"Afdelingen {created.code} er oprettet.", "success")
    return redirect(url_for("admin.departments_index"))


@bp.route("/afdelinger/<code>", methods=["GET", "POST"])
@allowed(Action.MANAGE_DEPARTMENTS)
def department(code: str) -> Response | tuple[str, int]:
    session = db()
    current: object = departments.get_department(session, code=code)
    problems = FieldProblems()
    if request.method == "POST":
        data = {"name": text(request.form, "name"), "account": text(request.form, "account"),
                "active": checked(request.form, "active")}
        try:
            departments.update_department(session, actor=actor(), code=code,
                                          version=_version(), data=data)
        except ServiceError as error:
            current = shown_again(departments.get_department(session, code=code), data)
            problems = place_problems(error.problems, DEPARTMENT_FIELDS)
        except Conflict as error:
            # What was typed stays; the next save goes against the version stored now.
            fresh = departments.get_department(session, code=code)
            page = render_template("admin/department.html", item=shown_again(fresh, data),
                                   problems=problems, conflict=error)
            return page, 409
        else:
            flash(f"Afdelingen {code} er gemt.", "success")
            return redirect(url_for("admin.departments_index"))
    page = render_template("admin/department.html", item=current, problems=problems)
    return page, 422 if problems else 200


# --- users --------------------------------------------------------------------------------------


def _users_page(new: Json, problems: FieldProblems) -> tuple[str, int]:
    page = render_template(
        "admin/users.html", items=users.list_users(db(), actor=actor()), new=new,
        problems=problems, roles=ROLES,
    )
    return page, 422 if problems else 200


@bp.route("/brugere", methods=["GET", "POST"])
@allowed(Action.MANAGE_USERS)
def users_index() -> Response | tuple[str, int]:
    if request.method == "GET":
        blank = {"username": "", "name": "", "role": "caseworker", "department": "", "email": ""}
        return _users_page(blank, FieldProblems())
    data = {key: text(request.form, key)
            for key in ("username", "name", "role", "department", "email")}
    try:
        users.create_user(
            db(), actor=actor(), username=data["username"], name=data["name"], role=data["role"],
            department=data["department"] or None, password=request.form.get("password", ""),
            email=data["email"],
        )
    except ServiceError as error:
        return _users_page(data, place_problems(error.problems, USER_FIELDS))
    flash(f"Brugeren {data['username']} er oprettet.", "success")
    return redirect(url_for("admin.users_index"))


def _user(username: str) -> UserView:
    for item in users.list_users(db(), actor=actor()):
        if item.username == username:
            return item
    abort(404)


@bp.route("/brugere/<username>", methods=["GET", "POST"])
@allowed(Action.MANAGE_USERS)
def user(username: str) -> Response | tuple[str, int]:
    stored = _user(username)
    current: object = stored
    problems = FieldProblems()
    if request.method == "POST":
        data: Json = {"name": text(request.form, "name"), "role": text(request.form, "role"),
                      "department": text(request.form, "department") or None,
                      "active": checked(request.form, "active"),
                      "email": text(request.form, "email")}
        try:
            users.update_user(db(), actor=actor(), username=username, version=_version(),
                              data=data)
        except ServiceError as error:
            current = shown_again(stored, data)
            problems = place_problems(error.problems, USER_FIELDS)
        except Conflict as error:
            # What was typed stays; the next save goes against the version stored now.
            page = render_template("admin/user.html", item=shown_again(_user(username), data),
                                   problems=problems, roles=ROLES, conflict=error,
                                   password_problems=FieldProblems())
            return page, 409
        else:
            flash(f"Brugeren {username} er gemt.", "success")
            return redirect(url_for("admin.users_index"))
    page = render_template("admin/user.html", item=current, problems=problems, roles=ROLES,
                           password_problems=FieldProblems())
    return page, 422 if problems else 200


@bp.route("/brugere/<username>/adgangskode", methods=["POST"])
@allowed(Action.MANAGE_USERS)
def password(username: str) -> Response | tuple[str, int]:
    current = _user(username)
    try:
        users.set_password(db(), actor=actor(), username=username,
                           password=request.form.get("password", ""))
    except ServiceError as error:
        page = render_template(
            "admin/user.html", item=current, problems=FieldProblems(), roles=ROLES,
            password_problems=place_problems(error.problems, ("password",)),
        )
        return page, 422
    flash(f"Adgangskoden for {username} er skiftet. Brugeren er logget ud alle steder, og "
          "brugerens API-nøgler er tilbagekaldt.", "success")
    return redirect(url_for("admin.users_index"))


# --- API tokens ---------------------------------------------------------------------------------


@bp.get("/api-noegler")
@allowed(Action.MANAGE_TOKENS)
def tokens_index() -> str:
    return render_template("admin/tokens.html", items=tokens.list_tokens(db(), actor=actor()),
                           state_names=tokens.STATE_NAMES)


@bp.post(f"/api-noegler/<int(max={MAX_ID}):token_id>/tilbagekald")
@allowed(Action.MANAGE_TOKENS)
def revoke_token(token_id: int) -> Response:
    revoked = tokens.revoke_token(db(), actor=actor(), token_id=token_id)
    flash(f"API-nøglen {revoked.prefix}… ({revoked.username}) er tilbagekaldt.", "success")
    return redirect(url_for("admin.tokens_index"))


# --- criteria -----------------------------------------------------------------------------------


@bp.route("/kriterier", methods=["GET", "POST"])
@allowed(Action.MANAGE_CRITERIA)
def criteria() -> Response | tuple[str, int]:
    session = db()
    current = settings.get_criteria(session)
    problems = FieldProblems()
    if request.method == "POST":
        minimum = positive_int(request.form.get("min_departments"))
        typed = text(request.form, "min_departments")
        data: Json = {"min_departments": minimum if minimum is not None else typed,
                      "require_consent": checked(request.form, "require_consent")}
        try:
            settings.update_criteria(session, actor=actor(), version=_version(), data=data)
        except ServiceError as error:
            problems = place_problems(error.problems, CRITERIA_FIELDS)
        else:
            flash("Kriterierne for fælles finansiering er gemt.", "success")
            return redirect(url_for("admin.criteria"))
    page = render_template("admin/criteria.html", item=current, problems=problems)
    return page, 422 if problems else 200
