"""The joint assessment in a real browser: a caseworker adds an intervention and builds its split
with the live preview, two controllers approve it, and the case shows the new lagkage; a
rejection; and an import with an error shown by cell."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlmodel import Session

from finans.allocation.records import Period
from finans.excel.writer import write_controller_workbook
from finans.services.figures import scenario_records
from finans.store.db import make_engine
from finans.store.timestamps import local, now
from tests.browser.steps import log_in, log_out, screenshot

pytestmark = pytest.mark.browser

YEAR = local(now()).date().year
TITLE = "Aflastning i weekender (browsertest)"


def _open_first_case(page: Page) -> str:
    link = page.locator("table tbody td a").first
    ref = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ref)
    return ref


def _add_intervention(page: Page, title: str) -> None:
    page.get_by_role("link", name="Ny indsats").click()
    page.get_by_label("Indsats", exact=True).fill(title)
    page.get_by_label("Lovgrundlag").fill("Barnets lov § 32, stk. 1, nr. 7")
    page.get_by_label("Beløb i kr.").fill("12.000,00")
    page.get_by_label("Startdato").fill(f"{YEAR}-01-01")
    page.get_by_role("button", name="Opret indsats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ny fordeling af {title}")


def _weighted_split(page: Page, job_responsibility: str) -> None:
    page.get_by_label("Gælder fra").fill(f"{YEAR}-01-01")
    page.get_by_label("Vægtet").check()
    page.get_by_label("Ansvar for BFH").fill("2")
    page.get_by_label("Gevinst for BFH").fill("1")
    page.get_by_label("Gevinst for JOB").fill("1")
    page.get_by_label("Ansvar for JOB").fill(job_responsibility)


def _approve_in_queue(page: Page, controller: str, title: str, folder: Path | None) -> None:
    log_in(page, controller)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Til godkendelse")
    row = page.locator("tr[data-split]", has_text=title)
    expect(row).to_have_count(1)
    if folder is not None:
        screenshot(page, folder, "4-til-godkendelse")
    row.get_by_role("button", name="Godkend").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft godkendelse")
    page.get_by_role("button", name="Ja, godkend").click()
    expect(page.locator(".flash")).to_contain_text("Du har godkendt")
    log_out(page)


def test_a_split_is_built_with_the_live_preview_proposed_and_approved_by_both_departments(
    page: Page, screenshots: Path
) -> None:
    log_in(page, "raadgiver.bfh")
    screenshot(page, screenshots, "1-mine-sager")
    ref = _open_first_case(page)
    _add_intervention(page, TITLE)

    preview = page.locator("#preview")
    expect(page.locator("form[data-live=on]")).to_have_count(1)
    _weighted_split(page, job_responsibility="1")
    expect(page.get_by_label("Andel % for BFH")).to_be_hidden()
    expect(preview).to_contain_text("84.000,00 kr.")
    expect(preview).to_contain_text("60.000,00 kr.")
    page.get_by_label("Ansvar for JOB").fill("2")
    expect(preview).to_contain_text("72.000,00 kr.")
    expect(preview).not_to_contain_text("84.000,00 kr.")
    page.get_by_label("Ansvar for JOB").fill("1")
    expect(preview).to_contain_text("84.000,00 kr.")
    expect(preview.get_by_role("img")).to_have_attribute("alt", "Lagkage: BFH 58,3 %, JOB 41,7 %")
    page.get_by_label("Begrundelse").fill("Børnehandicap har ansvaret; Jobcentret får gevinst.")
    screenshot(page, screenshots, "2-ny-fordeling-med-forhaandsvisning")
    page.get_by_role("button", name="Gem som forslag").click()
    expect(page.locator(".flash")).to_contain_text("afventer godkendelse fra BFH, JOB")
    screenshot(page, screenshots, "3-indsats-med-historik")
    log_out(page)

    _approve_in_queue(page, "controller.bfh", TITLE, screenshots)
    _approve_in_queue(page, "controller.job", TITLE, None)

    log_in(page, "raadgiver.bfh")
    page.goto(f"/sager/{ref}")
    card = page.locator("section.split-card", has_text=TITLE)
    expect(card.get_by_role("img")).to_have_attribute("alt", "Lagkage: BFH 58,3 %, JOB 41,7 %")
    expect(card).to_contain_text("Aftalt")
    screenshot(page, screenshots, "5-sag-med-ny-lagkage")


def test_without_javascript_the_preview_button_and_saving_still_work(
    page_without_javascript: Page, screenshots: Path
) -> None:
    page = page_without_javascript
    title = "Praktisk pædagogisk støtte (uden JavaScript)"
    log_in(page, "raadgiver.bfh")
    _open_first_case(page)
    _add_intervention(page, title)
    expect(page.locator("form[data-live=on]")).to_have_count(0)
    _weighted_split(page, job_responsibility="2")
    page.get_by_role("button", name="Vis forhåndsvisning").click()
    expect(page.locator("#preview")).to_contain_text("72.000,00 kr.")
    expect(page.get_by_label("Ansvar for JOB")).to_have_value("2")
    screenshot(page, screenshots, "8-forhaandsvisning-uden-javascript")
    page.get_by_role("button", name="Gem som forslag").click()
    expect(page.locator(".flash")).to_contain_text("afventer godkendelse fra BFH, JOB")


def test_a_controller_rejects_a_share_with_a_reason_that_the_caseworker_then_sees(
    page: Page, screenshots: Path
) -> None:
    title = "Fast kontaktperson (browsertest)"
    log_in(page, "raadgiver.bfh")
    _open_first_case(page)
    _add_intervention(page, title)
    _weighted_split(page, job_responsibility="1")
    expect(page.locator("#preview")).to_contain_text("60.000,00 kr.")
    page.get_by_role("button", name="Gem som forslag").click()
    intervention_url = page.url
    log_out(page)

    log_in(page, "controller.job")
    page.locator("tr[data-split]", has_text=title).get_by_role("link", name="Se og afvis").click()
    page.get_by_role("button", name="Afvis JOBs andel").click()
    expect(page.locator("#f-reason-fejl")).to_have_text("Skriv en begrundelse for afvisningen")
    page.get_by_label("Begrundelse").fill("Jobcentret har ingen indsats rettet mod forældrene.")
    screenshot(page, screenshots, "6-afvisning-med-begrundelse")
    page.get_by_role("button", name="Afvis JOBs andel").click()
    expect(page.locator(".flash")).to_contain_text("Du har afvist")
    log_out(page)

    log_in(page, "raadgiver.bfh")
    page.goto(intervention_url.replace("/fordeling/ny", ""))
    history = page.locator("ol.timeline")
    expect(history).to_contain_text("Afvist")
    expect(history).to_contain_text("Jobcentret har ingen indsats rettet mod forældrene.")


def test_the_import_page_shows_the_error_of_a_workbook_by_cell(
    page: Page, screenshots: Path, tmp_path: Path, demo_database: str
) -> None:
    workbook = _workbook_with_one_error(demo_database, tmp_path / "controller.xlsx")
    log_in(page, "controller.bfh")
    page.get_by_role("link", name="Import").click()
    page.get_by_label("Excel-fil (.xlsx)").set_input_files(workbook)
    page.get_by_role("button", name="Gennemgå filen").click()
    expect(page.locator("#import-problems")).to_contain_text("Indsatser!G2")
    expect(page.get_by_role("alert")).to_contain_text("Filen har 1 fejl. Intet er gemt.")
    screenshot(page, screenshots, "7-import-med-fejl")


def _workbook_with_one_error(url: str, target: Path) -> Path:
    """The controller workbook of the served database with one amount typed as words."""
    today = local(now()).date()
    content = BytesIO()
    engine = make_engine(url)
    with Session(engine) as session:
        write_controller_workbook(content, scenario_records(session),
                                  Period(date(today.year, today.month, 1), today))
    engine.dispose()
    book = load_workbook(content)
    book["Indsatser"]["G2"] = "tolv kroner"
    book.save(target)
    return target
