"""Optimistic concurrency: a save over someone else's change is refused and says what changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session

from finans.services import lookup
from finans.services.cases import get_case, update_case
from finans.services.departments import get_department, update_department
from finans.services.errors import Conflict
from finans.services.interventions import get_intervention, update_intervention
from finans.services.scenario import load_scenario
from finans.services.splits import decide, get_split, propose_split, update_split
from tests.integration.municipality import ADMIN, CASEWORKER, FIXED_60_40, controller, small

Sessions = Callable[[], Session]


@pytest.fixture
def sessions(new_session: Sessions) -> Sessions:
    """Sessions on a database holding the small municipality."""
    with new_session() as setup:
        assert load_scenario(setup, actor=ADMIN, data=small(), apply=True).applied
    return new_session


def test_a_save_with_a_stale_version_is_refused_and_names_who_changed_what(
    seeded: Session,
) -> None:
    read = get_case(seeded, actor=CASEWORKER, ref="S-2026-0001")
    update_case(seeded, actor=CASEWORKER, ref="S-2026-0001", version=read.version,
                data={"family": "Familie Aabenraa", "consent": False})
    with pytest.raises(Conflict) as stale:
        update_case(seeded, actor=CASEWORKER, ref="S-2026-0001", version=read.version,
                    data={"assessed_on": "2026-02-01"})
    assert "Sagen S-2026-0001 er ændret af en anden" in stale.value.message
    assert len(stale.value.changes) == 1
    assert stale.value.changes[0].startswith("anna ændrede familie, samtykke (")
    assert get_case(seeded, actor=CASEWORKER, ref="S-2026-0001").assessed_on == date(2026, 1, 10)


def test_two_sessions_saving_the_same_intervention_cannot_overwrite_each_other(
    sessions: Sessions,
) -> None:
    first, second = sessions(), sessions()
    read_first = get_intervention(first, actor=CASEWORKER, id="I-1")
    read_second = get_intervention(second, actor=CASEWORKER, id="I-1")
    assert read_first.version == read_second.version
    update_intervention(first, actor=CASEWORKER, id="I-1", version=read_first.version,
                        data={"title": "Aflastning i weekender"})
    new_cost = {"per": read_second.cost.per, "start": read_second.cost.start.isoformat(),
                "amount": "13000.00"}
    with pytest.raises(Conflict) as stale:
        update_intervention(second, actor=CASEWORKER, id="I-1", version=read_second.version,
                            data={"cost": new_cost})
    assert stale.value.changes and stale.value.changes[0].startswith("anna ændrede indsats (")
    with sessions() as third:
        stored = get_intervention(third, actor=CASEWORKER, id="I-1")
    assert (stored.title, stored.cost.amount) == ("Aflastning i weekender", 1200000)
    assert stored.version == read_first.version + 1


def test_a_save_racing_another_is_refused_by_the_database(sessions: Sessions) -> None:
    first, second = sessions(), sessions()
    read = get_intervention(second, actor=CASEWORKER, id="I-1")
    in_progress = lookup.intervention(second, "I-1")
    update_intervention(first, actor=CASEWORKER, id="I-1", version=read.version,
                        data={"title": "Aflastning i weekender"})
    assert in_progress.version == read.version, "the second save cannot see the first one"
    with pytest.raises(Conflict) as race:
        update_intervention(second, actor=CASEWORKER, id="I-1", version=read.version,
                            data={"legal_basis": "Barnets lov § 32, stk. 1, nr. 7"})
    assert race.value.changes[0].startswith("anna ændrede indsats (")
    with sessions() as third:
        stored = get_intervention(third, actor=CASEWORKER, id="I-1")
    assert (stored.title, stored.legal_basis) == ("Aflastning i weekender",
                                                        "Barnets lov § 32")


def test_two_administrators_editing_a_department_interleaved(sessions: Sessions) -> None:
    first, second = sessions(), sessions()
    version = get_department(first, code="JOB").version
    get_department(second, code="JOB")
    update_department(second, actor=ADMIN, code="JOB", version=version,
                      data={"account": "5.68.91"})
    with pytest.raises(Conflict) as stale:
        update_department(first, actor=ADMIN, code="JOB", version=version,
                          data={"name": "Jobcenter og Ydelse"})
    assert stale.value.changes[0].startswith("admin ændrede kontostreng (")


def test_an_edit_of_a_proposal_that_got_an_approval_meanwhile_is_refused(
    sessions: Sessions,
) -> None:
    caseworker, controller_session = sessions(), sessions()
    split = propose_split(caseworker, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    read = get_split(caseworker, actor=CASEWORKER, split_id=split.id)
    decide(controller_session, actor=controller("JOB"), split_id=split.id,
           decision="approve")
    with pytest.raises(Conflict) as stale:
        update_split(caseworker, actor=CASEWORKER, split_id=split.id, version=read.version,
                     data={"shares": {"BFH": "70", "JOB": "30"}})
    assert stale.value.changes[0].startswith("controller.job godkendte for JOB (")


def test_two_controllers_approving_at_the_same_moment_both_count(sessions: Sessions) -> None:
    caseworker, bfh, job = sessions(), sessions(), sessions()
    split = propose_split(caseworker, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    in_progress = lookup.split(bfh, split.id)
    decide(job, actor=controller("JOB"), split_id=split.id, decision="approve")
    assert in_progress.version == split.version, "BFH's answer starts from the old version"
    agreed = decide(bfh, actor=controller("BFH"), split_id=split.id, decision="approve")
    assert agreed.status == "agreed"
    assert sorted(d.department for d in agreed.decisions) == ["BFH", "JOB"]


def test_an_answer_to_a_version_that_changed_since_it_was_read_is_refused(
    sessions: Sessions,
) -> None:
    caseworker, job = sessions(), sessions()
    split = propose_split(caseworker, actor=CASEWORKER, intervention="I-1", data=FIXED_60_40)
    update_split(caseworker, actor=CASEWORKER, split_id=split.id, version=split.version,
                 data={"shares": {"BFH": "80", "JOB": "20"}})
    with pytest.raises(Conflict) as stale:
        decide(job, actor=controller("JOB"), split_id=split.id, decision="approve",
               version=split.version)
    assert stale.value.changes[0].startswith("anna ændrede ")
