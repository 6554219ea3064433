"""*Bogføring*: finance previews and downloads postings, closes months; caseworkers are warned
when a change reaches into a closed month."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session

from finans.allocation.engine import allocate
from finans.allocation.postings import first_day, last_day, month_of
from finans.allocation.records import Period
from finans.formatting import format_amount, format_money
from finans.services import bookkeeping, closing, figures, lookup
from finans.services.actor import Actor, Role
from finans.services.closing import month_label
from finans.services.interventions import get_intervention
from tests.web.webclient import Client

Login = Callable[[str], Client]
THIS_MONTH = month_of(date.today())
LAST_MONTH = month_of(date.today().replace(day=1) - timedelta(days=1))
FINANCE = Actor("okonomi", Role.FINANCE)


MONTH_IN_TEXT = re.compile(r"\b\d{4}-\d{2}\b")


def flashes(html: str) -> list[str]:
    return re.findall(r'<li class="(?:success|warning|error)">([^<]*)</li>', html)


def test_finance_finds_bogfoering_in_the_menu_with_the_months_sums(login: Login) -> None:
    client = login("okonomi")
    start = client.get("/")
    assert 'href="/bogfoering"' in start.text
    page = client.get(f"/bogfoering?maaned={LAST_MONTH}")
    assert page.status_code == 200
    assert "Ingen måneder er lukket endnu." in page.text
    assert f"Posteringer for {month_label(LAST_MONTH)}" in page.text
    assert "de balancerer (debet = kredit" in page.text
    assert 'id="account-sums"' in page.text and "5.28.21" in page.text


def test_the_months_csv_downloads_with_its_sums(login: Login) -> None:
    client = login("okonomi")
    response = client.get(f"/bogfoering/posteringer.csv?maaned={LAST_MONTH}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="posteringer-{LAST_MONTH}-{LAST_MONTH}.csv"')
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows and {MONTH_IN_TEXT.findall(row["Tekst"])[0] for row in rows} == {LAST_MONTH}
    assert {row["Tekst"].split()[0] for row in rows} == {"Fælles", "Refusion"}
    year = client.get(f"/bogfoering/posteringer.g69?maaned={LAST_MONTH}&aar=1")
    assert year.headers["Content-Disposition"].endswith(
        f'posteringer-{LAST_MONTH[:4]}-01-{LAST_MONTH[:4]}-12.g69"')
    assert client.get("/bogfoering/posteringer.xml").status_code == 404


def table(html: str, ident: str) -> str:
    return html[html.index(f'id="{ident}"'):].split("</table>")[0]


def test_the_refund_passed_on_is_summed_per_department_on_the_page(
    login: Login, session: Session
) -> None:
    found = bookkeeping.postings(session, actor=FINANCE,
                                 period=Period(first_day(LAST_MONTH), last_day(LAST_MONTH)))
    summary = bookkeeping.summarise(found)
    assert summary.refunds and sum(summary.refunds.values()) == 0
    page = login("okonomi").get(f"/bogfoering?maaned={LAST_MONTH}")
    shown = table(page.text, "refund-share-back")
    rows = re.findall(r'<abbr title="[^"]*">([^<]+)</abbr></td><td class="num">([^<]+)</td>',
                      shown)
    assert rows == [(code, format_money(net)) for code, net in summary.refunds.items()]


def test_a_month_that_is_not_one_is_said_on_the_page(login: Login) -> None:
    page = login("okonomi").get("/bogfoering?maaned=2026-13")
    assert page.status_code == 422
    assert "Angiv måneden som ÅÅÅÅ-MM" in page.text


def test_closing_needs_the_confirmation_and_then_freezes_the_months(
    login: Login, session: Session
) -> None:
    client = login("okonomi")
    client.get("/bogfoering")
    refused = client.post("/bogfoering/luk", {"maaned": LAST_MONTH})
    assert refused.status_code == 422
    assert "Sæt kryds for at bekræfte" in refused.text
    assert closing.closed_through(session) is None
    done = client.post("/bogfoering/luk", {"maaned": LAST_MONTH, "bekraeft": "ja"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"])
    assert flashes(page.text)[0].startswith(
        f"Bogføringen er lukket til og med {month_label(LAST_MONTH)}")
    assert f"Bogføringen er lukket til og med <strong>{month_label(LAST_MONTH)}</strong>" \
        in page.text
    assert 'id="closed-months"' in page.text
    session.expire_all()
    assert closing.closed_through(session) == LAST_MONTH
    future = client.post("/bogfoering/luk", {"maaned": "2999-01", "bekraeft": "ja"})
    assert future.status_code == 422 and "ikke begyndt" in future.text


def shared_in_closed_month(session: Session) -> tuple[str, str, str]:
    """A demo intervention with cost last month, its caseworker and a department to share with."""
    scenario = figures.scenario_records(session)
    last = date.today().replace(day=1) - timedelta(days=1)
    costed = {line.intervention for line in
              allocate(scenario, Period(last.replace(day=1), last)).lines}
    ident = next(
        iv.id for iv in scenario.interventions
        if iv.id in costed and iv.cost.per.value == "month"
        and all(split.effective_from != last.replace(day=1) for split in iv.splits)
    )
    intervention = get_intervention(session, actor=FINANCE, id=ident)
    case = lookup.case(session, intervention.case)
    payer = intervention.paid_by
    return ident, case.coordinator, "JOB" if payer != "JOB" else "SKO"


def test_a_split_dated_into_a_closed_month_warns_with_the_correction(
    login: Login, session: Session
) -> None:
    closing.close_months(session, actor=FINANCE, month=LAST_MONTH)
    ident, coordinator, other = shared_in_closed_month(session)
    payer = get_intervention(session, actor=FINANCE, id=ident).paid_by
    client = login(coordinator)
    client.get(f"/indsatser/{ident}/fordeling/ny")
    form = {"effective_from": f"01-{LAST_MONTH[5:]}-{LAST_MONTH[:4]}", "method": "fixed",
            f"shares.{payer}": "10", f"shares.{other}": "90", "rationale": "Revurderet bagud"}
    preview = client.post(f"/indsatser/{ident}/fordeling/forhaandsvisning", form)
    assert 'id="correction-warning"' in preview.text
    assert (f"Når den er aftalt, bogføres forskellen som efterregulering i "
            f"{month_label(closing.next_month(LAST_MONTH))}") in preview.text
    saved = client.post(f"/indsatser/{ident}/fordeling/ny", {**form, "action": "propose"})
    assert saved.status_code == 302
    warnings = [text for text in flashes(client.get(saved.headers["Location"]).text)
                if "lukket for bogføring" in text]
    assert len(warnings) == 1 and f"{other} " in warnings[0]


def test_a_cost_change_reaching_a_closed_month_warns_after_saving(
    login: Login, session: Session
) -> None:
    closing.close_months(session, actor=FINANCE, month=LAST_MONTH)
    ident, coordinator, _ = shared_in_closed_month(session)
    intervention = get_intervention(session, actor=FINANCE, id=ident)
    client = login(coordinator)
    client.get(f"/indsatser/{ident}/rediger")
    cost = intervention.cost
    form = {"version": str(intervention.version), "title": intervention.title,
            "legal_basis": intervention.legal_basis, "granted_by": intervention.granted_by,
            "paid_by": intervention.paid_by, "cost.amount": "1,00", "cost.per": cost.per,
            "cost.start": cost.start.isoformat(),
            "cost.end": cost.end.isoformat() if cost.end else "",
            "account": intervention.account or ""}
    saved = client.post(f"/indsatser/{ident}/rediger", form)
    assert saved.status_code == 302
    messages = flashes(client.get(saved.headers["Location"]).text)
    assert any(text.startswith("Ændringen rammer måneder, der er lukket for bogføring")
               for text in messages)


def test_an_intervention_form_takes_an_account_string_and_refuses_a_wrong_one(
    login: Login, session: Session
) -> None:
    ident, coordinator, _ = shared_in_closed_month(session)
    intervention = get_intervention(session, actor=FINANCE, id=ident)
    client = login(coordinator)
    client.get(f"/indsatser/{ident}/rediger")
    cost = intervention.cost
    form = {"version": str(intervention.version), "title": intervention.title,
            "legal_basis": intervention.legal_basis, "granted_by": intervention.granted_by,
            "paid_by": intervention.paid_by, "cost.amount": format_amount(cost.amount),
            "cost.per": cost.per, "cost.start": cost.start.isoformat(),
            "cost.end": cost.end.isoformat() if cost.end else "", "account": "5-57-72"}
    refused = client.post(f"/indsatser/{ident}/rediger", form)
    assert refused.status_code == 422
    assert 'id="f-account-fejl"' in refused.text and "hovedkonto.hovedfunktion.funktion" \
        in refused.text
    saved = client.post(f"/indsatser/{ident}/rediger", {**form, "account": "5.57.72"})
    assert saved.status_code == 302
    assert get_intervention(session, actor=FINANCE, id=ident).account == "5.57.72"


def test_the_dashboard_shows_each_departments_correction(login: Login, session: Session) -> None:
    closing.close_months(session, actor=FINANCE, month=LAST_MONTH)
    ident, coordinator, other = shared_in_closed_month(session)
    intervention = get_intervention(session, actor=FINANCE, id=ident)
    payer = intervention.paid_by
    client = login(coordinator)
    client.get(f"/indsatser/{ident}/fordeling/ny")
    client.post(f"/indsatser/{ident}/fordeling/ny", {
        "effective_from": f"01-{LAST_MONTH[5:]}-{LAST_MONTH[:4]}", "method": "fixed",
        f"shares.{payer}": "10", f"shares.{other}": "90", "action": "meeting",
        f"meeting.{payer}": "Anne Holm", f"meeting.{other}": "Bo Vang"})
    _, due = closing.pending_corrections(session)
    assert due
    page = login("okonomi").get(f"/overblik/?kind=month&year={THIS_MONTH[:4]}"
                                f"&month={int(THIS_MONTH[5:])}")
    assert "Efterregulering" in page.text
    assert f'data-correction="{other}"' in page.text
