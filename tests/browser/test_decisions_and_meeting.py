"""The people who must act, in a real browser: a controller decides from the queue with the share,
amount and change in view; a rejection is on the coordinator's start page at the next page load;
the meeting steps through a case's interventions and copies a split; the case list is searched
and filtered; every main page fits a phone (390 px) without sideways scrolling; the split form
and the queue work without JavaScript; date fields show the whole year."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from finans.services import case_list, cases, interventions, splits
from finans.services.actor import Actor, Role
from finans.store.db import make_engine
from finans.store.timestamps import local, now
from tests.browser.conftest import LOCALE
from tests.browser.steps import log_in, log_out, page_width, screenshot

pytestmark = pytest.mark.browser

YEAR = local(now()).date().year
CASEWORKER = Actor("raadgiver.bfh", Role.CASEWORKER, "BFH")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def database(demo_database: str) -> Iterator[Session]:
    """A session on the served database, to set the scene through the services."""
    engine = make_engine(demo_database)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _case(session: Session) -> str:
    """The BFH caseworker's case with the most interventions."""
    summaries = case_list.search_cases(session, actor=CASEWORKER)
    return str(max(summaries, key=lambda summary: summary.interventions).case.ref)


def _proposal(session: Session, title: str, amount: str = "12000.00") -> str:
    """A new intervention of 12.000 kr. a month with a split BFH 60 %, JOB 40 % proposed;
    the journal number of its case."""
    case = _case(session)
    created = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": case, "title": title, "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": amount, "per": "month", "start": f"{YEAR}-01-01"}})
    splits.propose_split(session, actor=CASEWORKER, intervention=created.id, data={
        "effective_from": f"{YEAR}-01-01", "method": "fixed",
        "shares": {"BFH": "60", "JOB": "40"}, "rationale": "JOB har gevinsten af indsatsen"})
    return case


def test_a_controller_decides_from_the_queue_with_share_amount_and_change_in_view(
    page: Page, screenshots: Path, database: Session
) -> None:
    _proposal(database, "Ledsager til fritidsaktivitet (browsertest)")
    log_in(page, "controller.job")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Til godkendelse for")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Til godkendelse")).to_contain_text("(")
    row = page.locator("tr[data-split]", has_text="Ledsager til fritidsaktivitet")
    expect(row.locator("[data-share]")).to_have_text("40,0 %")
    expect(row.locator("[data-share-change]")).to_have_text("+40,0 %-point")
    expect(row.locator("[data-amount]")).to_have_text("57.600,00 kr.")
    expect(row.locator("[data-amount-change]")).to_have_text(f"+57.600,00 kr. i {YEAR}")
    expect(row).to_contain_text("JOB har gevinsten af indsatsen")
    expect(row.get_by_role("img")).to_have_attribute("alt", "Lagkage: BFH 60,0 %, JOB 40,0 %")
    screenshot(page, screenshots, "10-til-godkendelse-med-andel-og-beloeb")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Godkend valgte").click()
    expect(page.locator(".confirm-statement")).to_contain_text(f"57.600,00 kr. i {YEAR}")
    screenshot(page, screenshots, "11-bekraeft-godkendelse")
    page.get_by_role("button", name="Ja, godkend").click()
    expect(page.locator(".flash")).to_contain_text("Du har godkendt JOBs andel af 1 forslag")
    approved = page.locator("tr[data-split]", has_text="Ledsager til fritidsaktivitet")
    expect(approved).to_have_count(0)


def test_a_rejection_is_on_the_coordinators_start_page_at_the_next_page_load(
    page: Page, screenshots: Path, database: Session
) -> None:
    case = _proposal(database, "Weekendaflastning (browsertest)")
    coordinator = cases.get_case(database, actor=CASEWORKER, ref=case).coordinator
    log_in(page, "controller.job")
    page.locator("tr[data-split]", has_text="Weekendaflastning").get_by_role(
        "link", name="Se og afvis").click()
    page.get_by_label("Begrundelse for afvisningen").fill("JOB har ingen gevinst i år.")
    page.get_by_role("button", name="Afvis JOBs andel").click()
    expect(page.locator(".flash")).to_contain_text("Du har afvist")
    log_out(page)
    log_in(page, coordinator)
    rejections = page.locator("section.rejections")
    expect(rejections).to_contain_text("Weekendaflastning (browsertest)")
    expect(rejections).to_contain_text("Begrundelse: JOB har ingen gevinst i år.")
    expect(rejections).to_contain_text("controller.job")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    expect(menu.get_by_role("link", name="Afviste")).to_contain_text("(")
    screenshot(page, screenshots, "12-mine-sager-med-afvisning")
    page.goto(f"/sager/{case}")
    expect(page.locator("section.rejections")).to_contain_text("JOB har ingen gevinst i år.")


def test_the_meeting_steps_through_the_interventions_and_copies_a_split(
    page: Page, screenshots: Path, database: Session
) -> None:
    case = _case(database)
    ids = [item.id for item in
           interventions.list_interventions(database, actor=CASEWORKER, case=case)]
    log_in(page, "raadgiver.bfh")
    page.goto(f"/sager/{case}")
    page.get_by_role("link", name="Mødetilstand").click()
    expect(page.locator(".meeting-steps")).to_contain_text(f"indsats 1 af {len(ids)}")
    page.get_by_label("Gælder fra").fill(f"{YEAR + 1}-01-01")
    page.get_by_label("Fast", exact=True).check()
    for code in ("BFH", "JOB", "SKO", "BFA", "DAG", "UNG", "VOK"):
        field = page.get_by_label(f"Andel % for {code}")
        if field.count():
            field.fill("")
    page.get_by_label("Andel % for BFH").fill("75")
    page.get_by_label("Andel % for JOB").fill("25")
    expect(page.locator("#preview img")).to_have_attribute("alt", "Lagkage: BFH 75,0 %, JOB 25,0 %")
    page.get_by_label("Repræsentant for BFH").fill("Anne Møller")
    page.get_by_label("Repræsentant for JOB").fill("Søren Friis")
    page.get_by_label(f"({ids[1]})").check()
    screenshot(page, screenshots, "13-moedetilstand")
    page.get_by_role("button", name="Gem som aftalt på mødet").click()
    expect(page.locator(".meeting-steps")).to_contain_text(f"indsats 2 af {len(ids)}")
    expect(page.locator(".flash")).to_contain_text(f"Fordelingen er også gemt for {ids[1]}")
    page.get_by_role("link", name="Afslut mødet").click()
    expect(page.get_by_role("table")).to_contain_text("BFH: Anne Møller (på mødet)")
    screenshot(page, screenshots, "14-moedet-opsummeret")
    pdf = page.request.get(f"/sager/{case}/lagkage.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")


def test_the_case_list_is_searched_filtered_and_sorted_from_the_address(
    page: Page, screenshots: Path, database: Session
) -> None:
    title = interventions.list_interventions(database, actor=CASEWORKER,
                                             case=_case(database))[0].title
    log_in(page, "raadgiver.bfh")
    page.get_by_label("Søg på sagsnummer, familie eller indsats").fill(title)
    page.get_by_label("Status").select_option("afventer")
    page.get_by_role("button", name="Søg").click()
    expect(page).to_have_url(re.compile(r"/sager\?q=[^&]+&status=afventer"))
    assert page.locator("td[data-label='Sagsnr.']").count() >= 1
    page.get_by_role("link", name="Familie", exact=True).click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Familie")
    expect(page.get_by_label("Status")).to_have_value("afventer")
    screenshot(page, screenshots, "15-sager-soegt-og-filtreret")


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale=LOCALE, viewport=PHONE,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    window = context.new_page()
    yield window
    context.close()


def test_the_main_pages_fit_a_phone_without_sideways_scrolling(
    phone: Page, screenshots: Path, database: Session
) -> None:
    case = _case(database)
    intervention = interventions.list_interventions(database, actor=CASEWORKER, case=case)[0]
    log_in(phone, "raadgiver.bfh")
    for path, name in ((None, "mine-sager"), (f"/sager/{case}", "sag"),
                       (f"/indsatser/{intervention.id}/fordeling/ny", "ny-fordeling")):
        if path:
            phone.goto(path)
        phone.wait_for_load_state("networkidle")
        assert page_width(phone) <= PHONE["width"], name
        screenshot(phone, screenshots, f"20-telefon-{name}")
    log_out(phone)
    log_in(phone, "controller.job")
    assert page_width(phone) <= PHONE["width"], "the queue"
    screenshot(phone, screenshots, "20-telefon-til-godkendelse")


def test_without_javascript_a_controller_approves_from_the_queue_after_confirming(
    page_without_javascript: Page, screenshots: Path, database: Session
) -> None:
    page = page_without_javascript
    _proposal(database, "Psykologsamtaler (uden JavaScript)")
    log_in(page, "controller.job")
    row = page.locator("tr[data-split]", has_text="Psykologsamtaler")
    row.get_by_role("button", name="Godkend").click()
    expect(page.locator(".confirm-statement")).to_contain_text(f"57.600,00 kr. i {YEAR}")
    screenshot(page, screenshots, "21-bekraeft-uden-javascript")
    page.get_by_role("button", name="Ja, godkend").click()
    expect(page.locator(".flash")).to_contain_text("Du har godkendt JOBs andel")


def test_without_javascript_the_preview_panel_covers_none_of_the_split_forms_fields(
    page_without_javascript: Page, database: Session
) -> None:
    page = page_without_javascript
    intervention = interventions.list_interventions(database, actor=CASEWORKER,
                                                    case=_case(database))[0]
    log_in(page, "raadgiver.bfh")
    page.goto(f"/indsatser/{intervention.id}/fordeling/ny")
    covered = page.evaluate("""() => {
        const panel = document.getElementById("preview");
        const found = [];
        for (const field of document.querySelectorAll("#split-form input, #split-form textarea")) {
            if (field.type === "hidden" || !field.offsetParent) continue;
            // The part of the field not scrolled out of its table's box.
            let box = field.getBoundingClientRect();
            const frame = field.closest(".table-scroll");
            if (frame) {
                const edge = frame.getBoundingClientRect();
                const left = Math.max(box.left, edge.left), right = Math.min(box.right, edge.right);
                if (right <= left) continue;
                box = {left, right, top: box.top, bottom: box.bottom};
            }
            field.scrollIntoView({block: "center"});
            const moved = field.getBoundingClientRect();
            const x = (box.left + box.right) / 2, y = (moved.top + moved.bottom) / 2;
            const hit = document.elementFromPoint(x, y);
            if (hit && panel.contains(hit)) found.push(field.name);
        }
        return found;
    }""")
    assert covered == [], "the preview covers none of the fields"
    page.get_by_label("Vægtet").check()
    assert page.get_by_label("Ansvar for BFH").is_visible()
    assert not page.get_by_label("Andel % for BFH").is_visible()


def test_date_fields_show_the_whole_year(page: Page, database: Session) -> None:
    intervention = interventions.list_interventions(database, actor=CASEWORKER,
                                                    case=_case(database))[0]
    log_in(page, "raadgiver.bfh")
    page.goto(f"/indsatser/{intervention.id}/fordeling/ny")
    field = page.get_by_label("Gælder fra")
    field.fill(f"{YEAR}-12-01")
    room = field.evaluate("""(input) => {
        const style = getComputedStyle(input);
        const canvas = document.createElement("canvas").getContext("2d");
        canvas.font = style.font;
        const text = canvas.measureText("01.12.0000").width;
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        return input.clientWidth - padding - text;
    }""")
    assert room >= 28, "the date and the calendar button fit in the field"
