"""The refund on the pages: the case page's months, a missing year said plainly, the claim page
and its workbook, and the caseworker's choice of refundable in the intervention form."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import Session

from finans.demo.households import HOUSEHOLDS
from finans.services import interventions, refund_claim
from finans.services.actor import Actor, Role
from finans.services.refund_claim import Quarter
from finans.store import models
from tests.dashboard.page_tables import read_page
from tests.web.webclient import CASEWORKER, YEAR, Client

MANAGER = Actor("leder", Role.MANAGER)


def household(session: Session) -> str:
    """The journal number of the demo's placement household."""
    family = HOUSEHOLDS[0].family
    case = session.exec(models.Case.__table__.select().where(  # type: ignore[attr-defined]
        models.Case.family == family)).first()
    assert case is not None
    return str(case.ref)


def test_the_case_page_lists_the_years_refund_month_by_month(
    login: Callable[[str], Client], session: Session
) -> None:
    page = login("leder").get(f"/sager/{household(session)}").text
    assert f"Statsrefusion i {YEAR}" in page
    tables = read_page(page).tables
    months = next(t for t in tables if t and t[0][:4] == ["Måned", "Grundlag", "Trin",
                                                           "Refusion"])
    assert months[0][4:] == ["BFA", "SKO"]
    assert len(months) == 12 + 2
    assert all(row[2].startswith("1 (25 %)") or row[2].startswith("2 (50 %)")
               for row in months[1:-1])


def test_a_year_without_rates_is_said_on_the_case_page_with_a_link_for_the_administrator(
    login: Callable[[str], Client], session: Session
) -> None:
    ref = household(session)
    session.connection().execute(text("DELETE FROM refund_rates WHERE year = :year"),
                                 {"year": YEAR})
    session.commit()
    admin_page = login("admin").get(f"/sager/{ref}").text
    assert f"Refusionssatser mangler for {YEAR}:" in admin_page
    assert 'href="/admin/refusionssatser"' in admin_page
    manager_page = login("leder").get(f"/sager/{ref}").text
    assert f"Refusionssatser mangler for {YEAR}:" in manager_page
    assert 'href="/admin/refusionssatser"' not in manager_page


def test_the_claim_page_shows_the_quarter_and_offers_the_workbook(
    login: Callable[[str], Client], session: Session
) -> None:
    manager = login("leder")
    page = manager.get(f"/refusion?kvartal={YEAR}Q2").text
    claim = refund_claim.quarter_claim(session, actor=MANAGER, quarter=Quarter(YEAR, 2))
    assert claim.rows
    table = read_page(page).tables[0]
    assert [row[0] for row in table[1:-1]] == [row.case for row in claim.rows]
    link = f"/refusion/anmodning-{YEAR}Q2.xlsx"
    assert link in page
    download = manager.get(link)
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(download.data), read_only=True)
    assert workbook.sheetnames == ["Refusionsanmodning", "Måneder", "Satser"]


def test_a_quarter_that_cannot_be_read_is_named_at_its_field(
    login: Callable[[str], Client],
) -> None:
    manager = login("leder")
    response = manager.get("/refusion?kvartal=2026Q9")
    assert response.status_code == 422
    assert 'id="f-kvartal-fejl">Kvartalet skal skrives som år og kvartal' in response.text
    assert manager.get("/refusion/anmodning-2026Q9.xlsx").status_code == 404


def test_the_caseworker_chooses_refundable_in_the_intervention_form(
    login: Callable[[str], Client], session: Session, facts: object
) -> None:
    client = login("raadgiver.bfh")
    case = facts.case  # type: ignore[attr-defined]
    form = client.get(f"/sager/{case}/indsatser/ny").text
    assert "Efter lovgrundlaget" in form
    fields = {"title": "Mentor", "legal_basis": "LAB, mentorstøtte", "granted_by": "BFH",
              "paid_by": "BFH", "cost.amount": "1.500,00", "cost.per": "week",
              "cost.start": f"01-01-{YEAR}"}
    assert client.post(f"/sager/{case}/indsatser/ny", {**fields, "refundable": ""}) \
        .status_code == 302
    assert client.post(f"/sager/{case}/indsatser/ny", {**fields, "refundable": "ja"}) \
        .status_code == 302
    made = [iv for iv in interventions.list_interventions(session, actor=CASEWORKER, case=case)
            if iv.title == "Mentor"]
    assert [iv.refundable for iv in made] == [False, True]
    edit = client.get(f"/indsatser/{made[1].id}/rediger").text
    assert re.search(r'<option value="ja" selected>', edit)
