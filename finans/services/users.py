"""Users, passwords and API tokens.

Passwords are stored as Werkzeug hashes; API tokens are shown once and only their SHA-256 hash
and first characters are stored. Administrators keep users; anyone may create tokens for
themselves.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from functools import cache

from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash

from finans.allocation.problems import Problem
from finans.allocation.validation import check_no_cpr
from finans.services import audit, lookup, versions
from finans.services.access import require_role
from finans.services.actor import Actor, Role
from finans.services.errors import Forbidden, ServiceError, problem
from finans.services.transactions import atomic
from finans.store import models
from finans.store.mapping import Json
from finans.store.timestamps import now

ENTITY = "user"
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "fin_"
SHOWN_TOKEN_CHARACTERS = 12
"""How much of a token is stored in clear to recognise it in lists (``fin_AbCdEfGh``)."""

_USERNAME = re.compile(r"[A-Za-z0-9._@-]+")
_EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")
MAX_EMAIL = 254
_WITH_DEPARTMENT = {Role.CASEWORKER, Role.CONTROLLER}


def user_view(row: models.User) -> Json:
    return {
        "username": row.username,
        "name": row.name,
        "role": row.role,
        "department": row.department,
        "active": row.active,
        "email": row.email,
        "mail_enabled": row.mail_enabled,
        "version": row.version,
    }


def _actor(row: models.User) -> Actor:
    return Actor(username=row.username, role=Role(row.role), department=row.department)


def _password_problems(password: str) -> list[Problem]:
    if len(password) < MIN_PASSWORD_LENGTH:
        message = f"Adgangskoden skal have mindst {MIN_PASSWORD_LENGTH} tegn"
        return [Problem("password_short", message, "password")]
    return []


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


def list_users(session: Session, *, actor: Actor) -> list[Json]:
    require_role(actor, {Role.ADMIN}, "se brugerne")
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
) -> Json:
    """Add a user; caseworkers and controllers belong to a department. ``email`` is where
    notifications go (empty: none)."""
    require_role(actor, {Role.ADMIN}, "oprette brugere")
    problems = []
    if not _USERNAME.fullmatch(username):
        message = "Brugernavnet må kun indeholde bogstaver a-z, tal og . _ @ -"
        problems.append(Problem("bad_username", message, "username"))
    elif session.exec(select(models.User.id).where(models.User.username == username)).first():
        message = f"Brugernavnet {username} er allerede i brug"
        problems.append(Problem("duplicate_user", message, "username"))
    problems += check_no_cpr(name, "name")
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
) -> Json:
    """Change ``name``, ``role``, ``department``, ``active`` or ``email`` of a user."""
    require_role(actor, {Role.ADMIN}, "ændre brugere")
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
        problems += check_no_cpr(name, "name")
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
    if audit.changed_fields(before, after):
        audit.record(session, actor, "update", ENTITY, username, before, after)
    versions.commit(session, label=label)
    return user_view(row)


def get_profile(session: Session, *, actor: Actor) -> Json:
    """The logged-in user's own record."""
    return user_view(lookup.user(session, actor.username))


@atomic
def update_profile(
    session: Session, *, actor: Actor, version: int, email: str, mail_enabled: bool
) -> Json:
    """A user's own settings: their e-mail address and whether they get mails from finans."""
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


@atomic
def set_password(session: Session, *, actor: Actor, username: str, password: str) -> None:
    """Set a new password: administrators for anyone, users for themselves."""
    if actor.role is not Role.ADMIN and actor.username != username:
        raise Forbidden("Du kan kun skifte din egen adgangskode.")
    row = lookup.user(session, username)
    problems = _password_problems(password)
    if problems:
        raise ServiceError(problems)
    before = {"version": row.version}
    row.password_hash = generate_password_hash(password)
    versions.flush(session, label=f"Brugeren {username}", entity=ENTITY, key=username,
                   version=row.version)
    after = {"version": row.version, "password": "ny"}
    audit.record(session, actor, "update", ENTITY, username, before, after)
    versions.commit(session, label=f"Brugeren {username}")


@cache
def _unknown_user_hash() -> str:
    """A hash to check against when the user does not exist, so timing tells nothing."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(session: Session, *, username: str, password: str) -> Actor | None:
    """The actor for a correct user name and password of an active user, else ``None``."""
    row = session.exec(select(models.User).where(models.User.username == username)).first()
    if row is None:
        check_password_hash(_unknown_user_hash(), password)
        return None
    if not check_password_hash(row.password_hash, password) or not row.active:
        return None
    return _actor(row)


def load_actor(session: Session, *, username: str) -> Actor | None:
    """The actor of an active user (for a logged-in session), else ``None``."""
    row = session.exec(select(models.User).where(models.User.username == username)).first()
    return _actor(row) if row is not None and row.active else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@atomic
def create_token(session: Session, *, actor: Actor, username: str) -> str:
    """A new API token for the user, returned once; only its hash is kept."""
    if actor.role is not Role.ADMIN and actor.username != username:
        raise Forbidden("Du kan kun oprette API-nøgler til dig selv.")
    row = lookup.user(session, username)
    if not row.active:
        raise problem("inactive_user", f"Brugeren {username} er deaktiveret", "username")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    assert row.id is not None
    prefix = token[:SHOWN_TOKEN_CHARACTERS]
    session.add(
        models.ApiToken(user_id=row.id, prefix=prefix, token_hash=_token_hash(token),
                        created_at=now())
    )
    audit.record(session, actor, "create", "token", prefix, after={"user": username,
                                                                   "prefix": prefix})
    versions.commit(session, label="API-nøglen")
    return token


def actor_for_token(session: Session, *, token: str) -> Actor | None:
    """The actor an API token belongs to, if the token is known and its user active."""
    query = (
        select(models.User)
        .join(models.ApiToken, col(models.ApiToken.user_id) == col(models.User.id))
        .where(models.ApiToken.token_hash == _token_hash(token))
    )
    row = session.exec(query).first()
    return _actor(row) if row is not None and row.active else None
