""""Ny fordeling": the preview computed by the engine, saving as proposal or as agreed at the
meeting, and the version history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction

import pytest
from sqlmodel import Session

from finans.services import interventions
from finans.store.timestamps import local, now
from tests.web.webclient import CASEWORKER, YEAR, Client, DemoFacts, weighted


@pytest.fixture
def intervention(session: Session, facts: DemoFacts) -> str:
    """A new intervention of 12.000 kr. a month through this year, with no split yet."""
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": facts.case, "title": "Aflastning", "legal_basis": "Barnets lov § 32",
        "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "12000.00", "per": "month", "start": f"{YEAR}-01-01",
                 "end": f"{YEAR}-12-31"},
    })
    return str(created.id)


@pytest.fixture
def caseworker(login: Callable[[str], Client]) -> Client:
    return login("raadgiver.bfh")


def test_the_form_opens_with_a_preview_of_the_paying_department_alone(
    caseworker: Client, intervention: str
) -> None:
    page = caseworker.get(f"/indsatser/{intervention}/fordeling/ny").text
    assert 'value="100"' in page
    assert "144.000,00 kr." in page
    assert "Lagkage: BFH 100,0 %" in page


def test_the_preview_shows_the_engines_shares_and_this_years_amounts(
    caseworker: Client, intervention: str
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    fragment = caseworker.post(f"/indsatser/{intervention}/fordeling/forhaandsvisning",
                               weighted()).text
    assert "Lagkage: BFH 58,3 %, JOB 41,7 %" in fragment
    assert "84.000,00 kr." in fragment
    assert "60.000,00 kr." in fragment
    assert "144.000,00 kr." in fragment
    assert "<html" not in fragment


def test_the_preview_follows_the_input(caseworker: Client, intervention: str) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    fragment = caseworker.post(f"/indsatser/{intervention}/fordeling/forhaandsvisning",
                               weighted(responsibility_job="2")).text
    assert "Lagkage: BFH 50,0 %, JOB 50,0 %" in fragment
    assert fragment.count("72.000,00 kr.") == 2


def test_the_preview_names_what_is_wrong_in_danish(caseworker: Client, intervention: str) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    fragment = caseworker.post(f"/indsatser/{intervention}/fordeling/forhaandsvisning", {
        "effective_from": f"{YEAR}-01-01", "method": "fixed", "shares.BFH": "60",
        "shares.JOB": "30",
    }).text
    assert "summerer til 90 %, ikke 100 %" in fragment
    assert "Ret fejlene" in fragment


def test_danish_numbers_and_a_weight_in_percent_are_understood(
    caseworker: Client, intervention: str
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    fragment = caseworker.post(f"/indsatser/{intervention}/fordeling/forhaandsvisning", {
        "effective_from": f"01-01-{YEAR}", "method": "savings",
        "savings.BFH": "1.500,50", "savings.JOB": "1.500,50",
    }).text
    assert "Lagkage: BFH 50,0 %, JOB 50,0 %" in fragment
    over = caseworker.post(f"/indsatser/{intervention}/fordeling/forhaandsvisning",
                           {**weighted(), "alpha": "150"}).text
    assert "mellem 0 % og 100 %" in over


def test_without_javascript_the_preview_button_shows_the_page_with_the_preview(
    caseworker: Client, intervention: str
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{intervention}/fordeling/ny",
                               {**weighted(), "action": "preview"})
    assert response.status_code == 200
    assert "84.000,00 kr." in response.text
    assert 'name="responsibility.BFH" class="short" inputmode="decimal" value="2"' in response.text


def test_saving_as_proposed_waits_for_every_department_with_a_share(
    caseworker: Client, intervention: str, session: Session
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{intervention}/fordeling/ny",
                               {**weighted(), "action": "propose"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/indsatser/{intervention}"
    saved = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits
    assert [(split.status, split.awaiting) for split in saved] == [
        ("proposed", ("BFH", "JOB"))
    ]
    history = caseworker.get(f"/indsatser/{intervention}").text
    assert "afventer godkendelse fra BFH, JOB" in history
    assert "Afventer svar fra" in history


def test_saving_as_agreed_at_the_meeting_records_each_representative(
    caseworker: Client, intervention: str, session: Session
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{intervention}/fordeling/ny", {
        **weighted(), "action": "meeting", "meeting.BFH": "Anne Berg",
        "meeting.JOB": "Jens Holm",
    })
    assert response.status_code == 302
    split = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits[0]
    assert split.status == "agreed"
    assert [(d.department, d.by, d.at_meeting) for d in split.decisions] == [
        ("BFH", "Anne Berg", True), ("JOB", "Jens Holm", True),
    ]
    history = caseworker.get(f"/indsatser/{intervention}").text
    assert "Godkendt</strong> af Jens Holm" in history
    assert "(på mødet)" in history


def test_agreed_at_the_meeting_without_every_representative_is_refused_at_the_field(
    caseworker: Client, intervention: str, session: Session
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    response = caseworker.post(f"/indsatser/{intervention}/fordeling/ny", {
        **weighted(), "action": "meeting", "meeting.BFH": "Anne Berg",
    })
    assert response.status_code == 422
    assert 'id="f-meeting-JOB-fejl">Skriv navnet på den, der godkendte for JOB' in response.text
    assert 'value="Anne Berg"' in response.text
    assert interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits == ()


def test_approvals_given_at_the_meeting_can_be_recorded_after_the_proposal(
    caseworker: Client, intervention: str, session: Session
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    caseworker.post(f"/indsatser/{intervention}/fordeling/ny", {**weighted(), "action": "propose"})
    split = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits[0]
    caseworker.get(f"/indsatser/{intervention}")
    response = caseworker.post(f"/fordelinger/{split.id}/moede", {
        "version": str(split.version), "meeting.JOB": "Jens Holm",
    })
    assert response.status_code == 302
    session.expire_all()
    again = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits[0]
    assert again.awaiting == ("BFH",)


def test_a_re_assessment_starts_from_the_latest_version(
    caseworker: Client, intervention: str
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    caseworker.post(f"/indsatser/{intervention}/fordeling/ny", {
        **weighted(), "action": "meeting", "meeting.BFH": "Anne Berg", "meeting.JOB": "Jens Holm",
    })
    page = caseworker.get(f"/indsatser/{intervention}/fordeling/ny").text
    assert 'id="method-weighted" type="radio" name="method" value="weighted" checked' in page
    assert 'name="responsibility.BFH" class="short" inputmode="decimal" value="2"' in page
    today = local(now()).date()
    assert f'value="{max(today, date(YEAR, 1, 1)).isoformat()}"' in page


def test_a_draft_is_finished_and_proposed_from_its_edit_page(
    caseworker: Client, intervention: str, session: Session
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    caseworker.post(f"/indsatser/{intervention}/fordeling/ny", {**weighted(), "action": "draft"})
    draft = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits[0]
    assert draft.status == "draft"
    page = caseworker.get(f"/indsatser/{intervention}").text
    assert f'href="/fordelinger/{draft.id}/rediger">Ret kladde' in page
    form = caseworker.get(f"/fordelinger/{draft.id}/rediger").text
    assert "Ret kladde fra 01-01-" in form
    response = caseworker.post(f"/fordelinger/{draft.id}/rediger", {
        **weighted(responsibility_job="2"), "version": str(draft.version), "action": "propose",
    })
    assert response.status_code == 302
    session.expire_all()
    split = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits[0]
    assert (split.id, split.status, split.resolved) == (
        draft.id, "proposed", {"BFH": Fraction(1, 2), "JOB": Fraction(1, 2)}
    )


def test_an_agreed_version_cannot_be_edited(
    caseworker: Client, intervention: str, session: Session
) -> None:
    caseworker.get(f"/indsatser/{intervention}/fordeling/ny")
    caseworker.post(f"/indsatser/{intervention}/fordeling/ny", {
        **weighted(), "action": "meeting", "meeting.BFH": "Anne Berg", "meeting.JOB": "Jens Holm",
    })
    agreed = interventions.get_intervention(session, actor=CASEWORKER, id=intervention).splits[0]
    response = caseworker.get(f"/fordelinger/{agreed.id}/rediger")
    assert response.status_code == 302
    assert "Kun kladder og forslag kan ændres" in caseworker.get(response.headers["Location"]).text
