""""Mine sager", the case page and the case and intervention forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from finans.services import case_list, cases, casework, interventions
from finans.services.views import CostView
from finans.store.timestamps import local, now
from tests.web.webclient import CASEWORKER, YEAR, Client, DemoFacts


def _refs(html: str) -> list[str]:
    return re.findall(r'<td data-label="Sagsnr."><a href="/sager/([^"]+)">', html)


def _found(html: str) -> int:
    """How many cases the list says it found (over all its pages)."""
    match = re.search(r'<p role="status">(\d+) sag', html)
    assert match is not None
    return int(match.group(1))


def test_mine_sager_lists_exactly_the_cases_the_caseworker_works_on(
    login: Callable[[str], Client], session: Session
) -> None:
    page = login("raadgiver.bfh").get("/sager").text
    assert "<h1>Mine sager</h1>" in page
    summaries = case_list.search_cases(session, actor=CASEWORKER)
    expected = [summary.case.ref for summary in summaries]
    assert _refs(page) == expected
    assert "43 sager" in login("leder").get("/sager").text


def test_search_finds_a_case_by_journal_number_or_family_label(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    client = login("leder")
    assert _refs(client.get(f"/sager?q={facts.case.lower()}").text) == [facts.case]
    family = cases.get_case(session, actor=CASEWORKER, ref=facts.case).family
    found = _refs(client.get("/sager", query_string={"q": family.split()[-1].upper()}).text)
    assert facts.case in found


def test_filters_narrow_the_list_by_consent_team_and_eligibility(
    login: Callable[[str], Client]
) -> None:
    client = login("leder")
    without_consent = _found(client.get("/sager?samtykke=nej").text)
    with_consent = _found(client.get("/sager?samtykke=ja").text)
    assert without_consent and with_consent
    assert without_consent + with_consent == 43
    not_eligible = client.get("/sager?faelles=nej").text
    assert "Opfyldt</span>" not in not_eligible
    team = client.get("/sager?afdeling=VOK").text
    assert all("VOK" in row for row in re.findall(r"<tr>.*?</tr>", team, re.S)[1:])


def test_the_case_page_names_every_unmet_criterion_in_danish(
    login: Callable[[str], Client], session: Session
) -> None:
    cases.create_case(session, actor=CASEWORKER, data={
        "ref": "S-2026-9001", "family": "Familie Alene", "core_team": ["BFH"], "consent": False,
    })
    page = login("raadgiver.bfh").get("/sager/S-2026-9001").text
    assert "Ikke opfyldt" in page
    assert "Færre end to forvaltninger involveret" in page
    assert "Familiens samtykke er ikke registreret" in page


def test_the_case_page_shows_each_intervention_with_its_pie_and_this_years_amounts(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    figures = casework.case_figures(session, actor=CASEWORKER, ref=facts.case,
                                    today=local(now()).date())
    page = login("raadgiver.bfh").get(f"/sager/{facts.case}").text
    for item in figures.interventions:
        assert item.intervention.title in page
    assert f"Fordelt i {YEAR}" in page
    assert 'src="data:image/svg+xml;base64,' in page


def test_a_caseworker_opens_a_case_with_the_core_team(
    login: Callable[[str], Client], session: Session
) -> None:
    client = login("raadgiver.bfh")
    client.get("/sager/ny")
    response = client.post("/sager/ny", {
        "ref": "S-2026-9002", "family": "Familie Ny", "coordinator": "raadgiver.bfh",
        "consent": "ja", "assessed_on": f"15-01-{YEAR}", "core_team": ["BFH", "SKO"],
    })
    assert response.status_code == 302
    case = cases.get_case(session, actor=CASEWORKER, ref="S-2026-9002")
    assert (case.consent, case.core_team, case.assessed_on) == (
        True, ("BFH", "SKO"), date(YEAR, 1, 15)
    )


def test_a_cpr_number_is_refused_as_a_family_label(login: Callable[[str], Client]) -> None:
    client = login("raadgiver.bfh")
    client.get("/sager/ny")
    response = client.post("/sager/ny", {
        "ref": "S-2026-9003", "family": "Familie 010203-1234", "core_team": ["BFH"],
    })
    assert response.status_code == 422
    assert "010203-1234" not in response.text


def test_an_intervention_is_created_with_a_danish_amount(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    client = login("raadgiver.bfh")
    client.get(f"/sager/{facts.case}/indsatser/ny")
    response = client.post(f"/sager/{facts.case}/indsatser/ny", {
        "title": "Ledsagelse", "legal_basis": "Barnets lov § 89", "granted_by": "BFH",
        "paid_by": "BFH", "cost.amount": "12.500,50", "cost.per": "month",
        "cost.start": f"01-02-{YEAR}", "cost.end": "",
    })
    assert response.status_code == 302
    new_id = response.headers["Location"].split("/")[2]
    created = interventions.get_intervention(session, actor=CASEWORKER, id=new_id)
    assert created.cost == CostView(amount=1250050, per="month", start=date(YEAR, 2, 1))
    form = client.get(f"/indsatser/{new_id}/rediger").text
    assert 'value="12.500,50"' in form


def test_intervention_problems_are_shown_next_to_their_fields(
    login: Callable[[str], Client], facts: DemoFacts
) -> None:
    client = login("raadgiver.bfh")
    client.get(f"/sager/{facts.case}/indsatser/ny")
    response = client.post(f"/sager/{facts.case}/indsatser/ny", {
        "title": "", "granted_by": "BFH", "paid_by": "BFH", "cost.amount": "-5",
        "cost.per": "month", "cost.start": "31-02-2026",
    })
    assert response.status_code == 422
    assert 'id="f-title-fejl">Skal udfyldes' in response.text
    assert 'id="f-cost-amount-fejl">Beløbet må ikke være negativt' in response.text
    assert 'id="f-cost-start-fejl">' in response.text
    assert 'value="-5"' in response.text


def test_saving_over_someone_elses_change_gives_409_with_what_changed(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    client = login("raadgiver.bfh")
    form = client.get(f"/indsatser/{facts.intervention}/rediger").text
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version is not None
    current = interventions.get_intervention(session, actor=CASEWORKER, id=facts.intervention)
    interventions.update_intervention(
        session, actor=CASEWORKER, id=facts.intervention, version=current.version,
        data={"title": "Ændret af en kollega"},
    )
    response = client.post(f"/indsatser/{facts.intervention}/rediger", {
        "version": version.group(1), "title": "Mit navn", "granted_by": current.granted_by,
        "paid_by": current.paid_by, "cost.amount": "1000", "cost.per": "month",
        "cost.start": current.cost.start,
    })
    assert response.status_code == 409
    assert "En anden har gemt først" in response.text
    assert "raadgiver.bfh ændrede indsats" in response.text
    assert 'value="Mit navn"' in response.text, "what was typed stays in the form"
    session.expire_all()
    assert interventions.get_intervention(
        session, actor=CASEWORKER, id=facts.intervention).title == "Ændret af en kollega"
