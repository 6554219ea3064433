"""Free text typed outside scenario JSON never stores a CPR number either."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from finans.services.errors import ServiceError
from finans.services.splits import decide, get_split, propose_split, record_meeting_approvals
from finans.services.users import create_user, update_user
from finans.services.views import SplitView
from tests.integration.municipality import ADMIN, CASEWORKER, FIXED_60_40, audit_count, controller

CPR_LIKE = "010203-1234"


def _propose(session: Session) -> SplitView:
    return propose_split(session, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)


def test_a_rejection_reason_holding_a_cpr_number_is_refused_and_nothing_changes(
    seeded: Session,
) -> None:
    split = _propose(seeded)
    before = audit_count(seeded)
    with pytest.raises(ServiceError) as error:
        decide(seeded, actor=controller("JOB"), split_id=split.id, decision="reject",
               reason=f"Barnets cpr er {CPR_LIKE}")
    assert [(p.code, p.where) for p in error.value.problems] == [("cpr_like", "reason")]
    assert CPR_LIKE not in error.value.problems[0].message
    assert get_split(seeded, actor=ADMIN, split_id=split.id).status == "proposed"
    assert audit_count(seeded) == before


def test_a_meeting_representative_named_by_a_cpr_number_is_refused(seeded: Session) -> None:
    split = _propose(seeded)
    with pytest.raises(ServiceError) as error:
        record_meeting_approvals(seeded, actor=CASEWORKER, split_id=split.id,
                                 representatives={"BFH": "Lone Thomsen", "JOB": CPR_LIKE})
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("cpr_like", "representatives.JOB")
    ]
    assert get_split(seeded, actor=ADMIN, split_id=split.id).awaiting == ("BFH", "JOB")


def test_a_users_name_holding_a_cpr_number_is_refused_on_create_and_update(
    seeded: Session,
) -> None:
    with pytest.raises(ServiceError) as error:
        create_user(seeded, actor=ADMIN, username="kim", role="manager",
                    password="en-lang-adgangskode", name=f"Kim {CPR_LIKE}")
    assert [(p.code, p.where) for p in error.value.problems] == [("cpr_like", "name")]
    user = create_user(seeded, actor=ADMIN, username="kim", role="manager",
                       password="en-lang-adgangskode", name="Kim Ravn")
    with pytest.raises(ServiceError) as error:
        update_user(seeded, actor=ADMIN, username="kim", version=user.version,
                    data={"name": CPR_LIKE})
    assert [(p.code, p.where) for p in error.value.problems] == [("cpr_like", "name")]
