"""Users and passwords.

Passwords are stored as Werkzeug hashes. Administrators keep users; users change their own
password. A password change or a deactivation ends every log-in of the user and revokes their API
tokens (:mod:`finans.services.logins`, :mod:`finans.services.tokens`). A user without a password
hash (restored from a backup taken without hashes) cannot log in until a password is set.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash

from finans.allocation.problems import Problem
from finans.allocation.validation import check_no_cpr
from finans.services import audit, logins, lookup, tokens, versions
from finans.services.actor import Actor, Role
from finans.services.errors import Forbidden, ServiceError
from finans.services.policy import Action, permits, require_somewhere
from finans.services.text import text_problems
from finans.services.transactions import atomic
from finans.store import models

ENTITY = "user"
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1000
MAX_USERNAME = 64
MAX_NAME = 200

_USERNAME = re.compile(r"[A-Za-z0-9._@-]+")
_EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")
MAX_EMAIL = 254
_WITH_DEPARTMENT = {Role.CASEWORKER, Role.CONTROLLER}


@dataclass(frozen=True, slots=True)
class UserView:
    """A user as administrators see them (never the password hash)."""

    username: str
    name: str
    role: Role
    department: str | None
    active: bool
    email: str
    mail_enabled: bool
    version: int


def user_view(row: models.User) -> UserView:
    return UserView(row.username, row.name, Role(row.role), row.department, row.active,
                    row.email, row.mail_enabled, row.version)


def _actor(row: models.User) -> Actor:
    return Actor(username=row.username, role=Role(row.role), department=row.department)


def _password_problems(password: str, where: str = "password") -> list[Problem]:
    if len(password) < MIN_PASSWORD_LENGTH:
        message = f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn"
        return [Problem("password_short", message, where)]
    return text_problems(password, where, MAX_PASSWORD_LENGTH)


def _name_problems(name: str) -> list[Problem]:
    return text_problems(name, "name", MAX_NAME) or check_no_cpr(name, "name")


def _email_problems(email: object, where: str = "email") -> list[Problem]:
    """An e-mail address, or empty for none."""
    if not isinstance(email, str):
        return [Problem("wrong_type", "Skal være tekst", where)]
    email = email.strip()
    if email and (len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email)):
        message = "Skriv en e-mailadresse som navn@kommune.dk, eller lad feltet stå tomt"
        return [Problem("bad_email", message, where)]
    return []


def _role_problems(session: Session, role: str, department: str | None) -> list[Problem]:
    if role not in Role._value2member_map_:
        allowed = ", ".join(member.value for member in Role)
        return [Problem("unknown_role", f"Ukendt rolle '{role}'; brug {allowed}", "role")]
    if department is not None and department not in lookup.department_codes(session):
        return [Problem("unknown_department", f"Afdelingen {department} findes ikke", "department")]
    if Role(role) in _WITH_DEPARTMENT and department is None:
        message = "Rådgivere og controllere skal høre til en afdeling"
        return [Problem("department_missing", message, "department")]
    return []


def list_users(session: Session, *, actor: Actor) -> list[UserView]:
    require_somewhere(actor, Action.MANAGE_USERS)
    rows = session.exec(select(models.User).order_by(col(models.User.username)))
    return [user_view(row) for row in rows]


@atomic
def create_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    department: str | None = None,
    name: str = "",
    email: str = "",
) -> UserView:
    """Add a user; caseworkers and controllers belong to a department. ``email`` is where
    notifications go (empty: none)."""
    require_somewhere(actor, Action.MANAGE_USERS)
    problems = []
    if len(username) > MAX_USERNAME:
        message = f"Brugernavnet må højst være {MAX_USERNAME} tegn"
        problems.append(Problem("too_long", message, "username"))
    elif not _USERNAME.fullmatch(username):
        message = "Brugernavnet må kun indeholde bogstaver a-z, tal og . _ @ -"
        problems.append(Problem("bad_username", message, "username"))
    elif session.exec(select(models.User.id).where(models.User.username == username)).first():
        message = f"Brugernavnet {username} er allerede i brug"
        problems.append(Problem("duplicate_user", message, "username"))
    problems += _name_problems(name)
    problems += _role_problems(session, role, department)
    problems += _password_problems(password)
    problems += _email_problems(email)
    if problems:
        raise ServiceError(problems)
    row = models.User(
        username=username,
        name=name.strip(),
        role=role,
        department=department,
        password_hash=generate_password_hash(password),
        email=email.strip(),
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", ENTITY, username, after=audit.snapshot(row))
    versions.commit(session, label=f"Brugeren {username}")
    return user_view(row)


@atomic
def update_user(
    session: Session, *, actor: Actor, username: str, version: int, data: Mapping[str, object]
) -> UserView:
    """Change ``name``, ``role``, ``department``, ``active`` or ``email`` of a user."""
    require_somewhere(actor, Action.MANAGE_USERS)
    row = lookup.user(session, username)
    label = f"Brugeren {username}"
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=username)
    name, role = data.get("name", row.name), data.get("role", row.role)
    department, active = data.get("department", row.department), data.get("active", row.active)
    problems = [
        Problem("wrong_type", "Skal være tekst", key)
        for key, value in (("name", name), ("role", role))
        if not isinstance(value, str)
    ]
    if department is not None and not isinstance(department, str):
        problems.append(Problem("wrong_type", "Skal være en afdelingskode", "department"))
    if not isinstance(active, bool):
        problems.append(Problem("wrong_type", "Skal være true eller false", "active"))
    if isinstance(name, str):
        problems += _name_problems(name)
    email = data.get("email", row.email)
    problems += _email_problems(email)
    if problems:
        raise ServiceError(problems)
    assert isinstance(email, str)
    assert isinstance(name, str) and isinstance(role, str) and isinstance(active, bool)
    assert department is None or isinstance(department, str)
    problems = _role_problems(session, role, department)
    if problems:
        raise ServiceError(problems)
    before = audit.snapshot(row)
    row.name, row.role, row.department, row.active = name.strip(), role, department, active
    row.email = email.strip()
    versions.flush(session, label=label, entity=ENTITY, key=username, version=version)
    after = audit.snapshot(row)
    if before["active"] and not active:
        after.update(_end_everything(session, row))
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, username, before, after)
    versions.commit(session, label=label)
    return user_view(row)


def get_profile(session: Session, *, actor: Actor) -> UserView:
    """The logged-in user's own record."""
    require_somewhere(actor, Action.OWN_ACCOUNT)
    return user_view(lookup.user(session, actor.username))


@atomic
def update_profile(
    session: Session, *, actor: Actor, version: int, email: str, mail_enabled: bool
) -> UserView:
    """A user's own settings: their e-mail address and whether they get mails from finans."""
    require_somewhere(actor, Action.OWN_ACCOUNT)
    row = lookup.user(session, actor.username)
    label, key = "Din profil", actor.username
    versions.check_version(session, row, version, label=label, entity=ENTITY, key=key)
    problems = _email_problems(email)
    if problems:
        raise ServiceError(problems)
    before = audit.snapshot(row)
    row.email, row.mail_enabled = email.strip(), mail_enabled
    versions.flush(session, label=label, entity=ENTITY, key=key, version=version)
    after = audit.snapshot(row)
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, key, before, after)
    versions.commit(session, label=label)
    return user_view(row)


def _end_everything(session: Session, row: models.User) -> audit.Snapshot:
    """End the user's log-ins and revoke their tokens; what was ended, for the audit entry."""
    assert row.id is not None
    return {"sessions_ended": logins.end_all(session, row.id),
            "tokens_revoked": tokens.revoke_all(session, row.id)}


@atomic
def set_password(session: Session, *, actor: Actor, username: str, password: str) -> None:
    """Set a new password: administrators for anyone, users for themselves.

    Every log-in of the user ends and their API tokens are revoked: whoever knew the old
    password, or copied a cookie, is out.
    """
    if actor.username != username and not permits(actor, Action.MANAGE_USERS):
        raise Forbidden("Du kan kun skifte din egen adgangskode.")
    row = lookup.user(session, username)
    problems = _password_problems(password)
    if problems:
        raise ServiceError(problems)
    before = {"version": row.version}
    row.password_hash = generate_password_hash(password)
    versions.flush(session, label=f"Brugeren {username}", entity=ENTITY, key=username,
                   version=row.version)
    after = {"version": row.version, "password": "ny", **_end_everything(session, row)}
    audit.record(session, actor, "update", ENTITY, username, before, after)
    versions.commit(session, label=f"Brugeren {username}")


def change_own_password(
    session: Session, *, actor: Actor, current: str, new: str, repeated: str
) -> None:
    """A user's own password change: the current password first, the new one typed twice."""
    problems = []
    if authenticate(session, username=actor.username, password=current) is None:
        problems.append(Problem("wrong_password", "Den nuværende adgangskode er forkert",
                                "current"))
    if new != repeated:
        problems.append(Problem("not_repeated", "Den nye adgangskode er ikke gentaget ens",
                                "repeated"))
    problems += _password_problems(new, "new")
    if problems:
        raise ServiceError(problems)
    set_password(session, actor=actor, username=actor.username, password=new)


@cache
def _unknown_user_hash() -> str:
    """A hash to check against when the user does not exist, so timing tells nothing."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, *, username: str, password: str) -> Actor | None:
    """The actor for a correct user name and password of an active user, else ``None``."""
    row = session.exec(select(models.User).where(models.User.username == username)).first()
    if row is None or not row.password_hash:
        check_password_hash(_unknown_user_hash(), password)
        return None
    if not check_password_hash(row.password_hash, password) or not row.active:
        return None
    return _actor(row)
