"""The administrator's refund rates screen: Danish numbers, located errors, a copied start,
nothing saved on refusal, and no way in for other roles."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlmodel import Session

from finans.services import refund_rates
from finans.services.actor import Actor, Role
from tests.web.webclient import Client

ADMIN = Actor("admin", Role.ADMIN)


@pytest.fixture
def admin(login: Callable[[str], Client]) -> Client:
    return login("admin")


def _version(html: str) -> str:
    match = re.search(r'name="version" value="(\d+)"', html)
    assert match is not None
    return match.group(1)


def test_the_list_shows_each_year_in_danish_with_the_statutory_mark(admin: Client) -> None:
    page = admin.get("/admin/refusionssatser").text
    assert "Standard (2022-niveau)" in page
    assert "860.000,00 kr." in page and "2.120.000,00 kr." in page and "75 %" in page


def test_a_new_year_starts_from_the_newest_year_and_saves_danish_numbers(
    admin: Client, session: Session
) -> None:
    newest = max(rate.year for rate in refund_rates.list_rates(session, actor=ADMIN))
    form = admin.get("/admin/refusionssatser/ny").text
    assert f'value="{newest + 1}"' in form
    assert f"Kopieret fra {newest}" in form
    response = admin.post("/admin/refusionssatser/ny", {
        "year": str(newest + 1), "thresholds[0]": "1.041.000,00", "thresholds[1]": "2.034.000",
        "thresholds[2]": "2.567.000,50", "percents[0]": "25", "percents[1]": "37,5",
        "percents[2]": "75", "note": "Satsreguleret",
    })
    assert response.status_code == 302
    session.expire_all()
    saved = refund_rates.get_rate(session, actor=ADMIN, year=newest + 1)
    assert saved.thresholds == (104_100_000, 203_400_000, 256_700_050)
    assert saved.percents == ("25", "37.5", "75")


def test_bad_numbers_are_shown_at_their_fields_as_typed_and_nothing_is_saved(
    admin: Client, session: Session
) -> None:
    before = refund_rates.list_rates(session, actor=ADMIN)
    admin.get("/admin/refusionssatser/ny?aar=2040")
    response = admin.post("/admin/refusionssatser/ny", {
        "year": "2040", "thresholds[0]": "1.000.000", "thresholds[1]": "900.000",
        "thresholds[2]": "mange", "percents[0]": "25", "percents[1]": "120", "percents[2]": "",
        "note": "",
    })
    assert response.status_code == 422
    page = response.text
    assert 'id="f-thresholds[1]-fejl">Grænserne skal stige' in page
    assert "id=\"f-thresholds[2]-fejl\">&#39;mange&#39; er ikke et tal" in page
    assert 'value="mange"' in page
    assert 'id="f-percents[1]-fejl">Procentsatsen skal ligge mellem 0 og 100' in page
    assert 'id="f-percents[2]-fejl">Skal udfyldes' in page
    session.expire_all()
    assert refund_rates.list_rates(session, actor=ADMIN) == before


def test_a_save_over_someone_elses_change_is_refused_with_what_they_changed(
    admin: Client, login: Callable[[str], Client], session: Session
) -> None:
    page = admin.get("/admin/refusionssatser/2022").text
    version = _version(page)
    refund_rates.update_rate(session, actor=Actor("kollega", Role.ADMIN), year=2022,
                             version=int(version), data={"note": "Rettet af en kollega"})
    response = admin.post("/admin/refusionssatser/2022", {
        "version": version, "thresholds[0]": "860.000,00", "thresholds[1]": "1.680.000,00",
        "thresholds[2]": "2.120.000,00", "percents[0]": "25", "percents[1]": "50",
        "percents[2]": "75", "note": "Min note",
    })
    assert response.status_code == 409
    assert "kollega ændrede note" in response.text
    session.expire_all()
    assert refund_rates.get_rate(session, actor=ADMIN, year=2022).note == "Rettet af en kollega"


@pytest.mark.parametrize("username", ["raadgiver.bfh", "controller.job", "leder"])
def test_other_roles_cannot_open_or_post_the_rates(
    login: Callable[[str], Client], username: str
) -> None:
    user = login(username)
    assert user.get("/admin/refusionssatser").status_code == 403
    assert user.get("/admin/refusionssatser/2022").status_code == 403
    assert user.post("/admin/refusionssatser/ny", {"year": "2040"}).status_code == 403
    assert "Refusionssatser" not in user.get("/").text
