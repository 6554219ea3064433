"""Users, passwords and API tokens."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from finans.services import logins
from finans.services.actor import Actor, Role
from finans.services.errors import Conflict, Forbidden, ServiceError
from finans.services.tokens import actor_for_token, create_token
from finans.services.users import (
    authenticate,
    create_user,
    list_users,
    set_password,
    update_user,
)
from finans.store.models import ApiToken, AuditEntry
from tests.integration.municipality import ADMIN, MANAGER, audit_count

PASSWORD = "hemmelig-kode"


@pytest.fixture
def karen(seeded: Session) -> Session:
    create_user(seeded, actor=ADMIN, username="karen", name="Karen Bro", role="controller",
                department="SKO", password=PASSWORD)
    return seeded


def test_a_user_logs_in_with_the_right_password_only(karen: Session) -> None:
    assert authenticate(karen, username="karen", password=PASSWORD) == Actor(
        "karen", Role.CONTROLLER, "SKO"
    )
    assert authenticate(karen, username="karen", password="forkert-kode") is None
    assert authenticate(karen, username="ingen", password=PASSWORD) is None


def test_a_deactivated_user_can_no_longer_log_in_and_is_logged_out_everywhere(
    karen: Session,
) -> None:
    key = logins.start(karen, username="karen")
    token = create_token(karen, actor=ADMIN, username="karen")
    update_user(karen, actor=ADMIN, username="karen", version=1, data={"active": False})
    assert authenticate(karen, username="karen", password=PASSWORD) is None
    assert logins.actor(karen, key=key) is None
    update_user(karen, actor=ADMIN, username="karen", version=2, data={"active": True})
    assert logins.actor(karen, key=key) is None
    assert actor_for_token(karen, token=token) is None


def test_the_audit_log_never_holds_the_password_hash(karen: Session) -> None:
    entries = karen.exec(select(AuditEntry).where(AuditEntry.entity == "user")).all()
    assert entries and all("password_hash" not in (entry.after or {}) for entry in entries)


def test_invalid_users_are_refused_with_every_problem_located(seeded: Session) -> None:
    with pytest.raises(ServiceError) as invalid:
        create_user(seeded, actor=ADMIN, username="b o", role="caseworker", password="kort")
    assert [p.where for p in invalid.value.problems] == ["username", "department", "password"]


def test_only_administrators_keep_users(seeded: Session) -> None:
    with pytest.raises(Forbidden):
        create_user(seeded, actor=MANAGER, username="x", role="manager", password=PASSWORD)
    with pytest.raises(Forbidden):
        list_users(seeded, actor=MANAGER)


def test_a_user_changes_their_own_password_but_not_others(karen: Session) -> None:
    me = Actor("karen", Role.CONTROLLER, "SKO")
    set_password(karen, actor=me, username="karen", password="en-ny-kode")
    assert authenticate(karen, username="karen", password="en-ny-kode") == me
    with pytest.raises(Forbidden):
        set_password(karen, actor=Actor("bo", Role.CONTROLLER, "JOB"), username="karen",
                     password="en-ny-kode")


def test_a_stale_user_edit_is_refused(karen: Session) -> None:
    update_user(karen, actor=ADMIN, username="karen", version=1, data={"department": "JOB"})
    with pytest.raises(Conflict) as stale:
        update_user(karen, actor=ADMIN, username="karen", version=1, data={"name": "Karen B."})
    assert stale.value.changes[0].startswith("admin ændrede afdeling (")


def test_a_token_identifies_its_user_and_only_its_hash_is_stored(karen: Session) -> None:
    entries = audit_count(karen)
    token = create_token(karen, actor=ADMIN, username="karen")
    assert actor_for_token(karen, token=token) == Actor("karen", Role.CONTROLLER, "SKO")
    assert actor_for_token(karen, token=token + "x") is None
    stored = karen.exec(select(ApiToken)).one()
    assert stored.prefix == token[:12] and token not in (stored.token_hash, stored.prefix)
    assert audit_count(karen) == entries + 1


def test_users_create_tokens_only_for_themselves(karen: Session) -> None:
    with pytest.raises(Forbidden):
        create_token(karen, actor=Actor("bo", Role.CONTROLLER, "JOB"), username="karen")
