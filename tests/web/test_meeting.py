"""The joint meeting: stepping through a case's interventions, copying a split to others, who agreed
at the meeting, the printed lagkage (one A4 page) and the case's lagkage template."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session

from finans.formatting import format_money, format_percent
from finans.services import case_list, casework, interventions
from finans.services.views import SplitView
from finans.store.timestamps import local, now
from tests.web.webclient import CASEWORKER, YEAR, Client

A4_POINTS = (595, 842)


@pytest.fixture
def case(session: Session) -> str:
    """The BFH caseworker's case with the most interventions (three or more)."""
    summaries = case_list.search_cases(session, actor=CASEWORKER)
    busiest = max(summaries, key=lambda summary: summary.interventions)
    assert busiest.interventions >= 3
    return str(busiest.case.ref)


def _split_of(session: Session, id: str) -> tuple[SplitView, ...]:
    session.expire_all()
    return interventions.get_intervention(session, actor=CASEWORKER, id=id).splits


def _fixed(**extra: str) -> dict[str, str]:
    return {"effective_from": f"01-01-{YEAR}", "method": "fixed", "shares.BFH": "70",
            "shares.JOB": "30", "rationale": "Aftalt på mødet", **extra}


def test_meeting_mode_steps_through_the_interventions_and_names_who_agreed(
    login: Callable[[str], Client], session: Session, case: str
) -> None:
    ids = [item.id for item in
           interventions.list_interventions(session, actor=CASEWORKER, case=case)]
    assert len(ids) >= 2
    client = login("raadgiver.bfh")
    first = client.get(f"/sager/{case}/moede/1").text
    assert f"indsats 1 af {len(ids)}" in first and ids[0] in first
    assert 'data-preview-url="/indsatser/' in first, "the step has the live preview"
    before = len(_split_of(session, ids[0]))
    saved = client.post(f"/sager/{case}/moede/1", {
        **_fixed(), "action": "meeting", "meeting.BFH": "Anne Møller",
        "meeting.JOB": "Søren Friis"})
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"/sager/{case}/moede/2"
    stored = _split_of(session, ids[0])
    assert len(stored) == before + 1
    newest = max(stored, key=lambda split: split.id)
    assert newest.status == "agreed"
    assert {d.by for d in newest.decisions} == {"Anne Møller", "Søren Friis"}
    summary = client.get(f"/sager/{case}/moede").text
    assert "BFH: Anne Møller (på mødet)" in summary and "JOB: Søren Friis (på mødet)" in summary
    last = client.get(f"/sager/{case}/moede/{len(ids)}").text
    assert "Spring over" not in last
    assert client.get(f"/sager/{case}/moede/{len(ids) + 1}").status_code == 404


def test_a_split_copied_to_other_interventions_becomes_a_proposal_of_each(
    login: Callable[[str], Client], session: Session, case: str
) -> None:
    ids = [item.id for item in
           interventions.list_interventions(session, actor=CASEWORKER, case=case)]
    source, targets = ids[0], ids[1:]
    client = login("raadgiver.bfh")
    form = client.get(f"/indsatser/{source}/fordeling/ny").text
    assert "Kopiér fordelingen til" in form
    assert all(f'name="copy_to" value="{target}"' in form for target in targets)
    counts = {target: len(_split_of(session, target)) for target in targets}
    response = client.post(f"/indsatser/{source}/fordeling/ny", {
        **_fixed(effective_from=f"01-07-{YEAR + 1}"), "action": "propose",
        "copy_to": targets + ["I-99999"]})
    assert response.status_code == 302
    for target in targets:
        stored = _split_of(session, target)
        assert len(stored) == counts[target] + 1
        copy = max(stored, key=lambda split: split.id)
        assert (copy.status, copy.resolved) == (
            "proposed", {"BFH": Fraction(7, 10), "JOB": Fraction(3, 10)})
        assert copy.rationale == "Aftalt på mødet"
    page = client.get(f"/indsatser/{source}").text
    assert "Fordelingen er også gemt for " + ", ".join(targets) in page


def test_a_copy_the_target_refuses_is_reported_and_the_rest_are_saved(
    login: Callable[[str], Client], session: Session, case: str
) -> None:
    ids = [item.id for item in
           interventions.list_interventions(session, actor=CASEWORKER, case=case)]
    source, target = ids[0], ids[1]
    day = date(YEAR + 1, 3, 1)
    client = login("raadgiver.bfh")
    client.get(f"/indsatser/{target}/fordeling/ny")
    client.post(f"/indsatser/{target}/fordeling/ny", {
        **_fixed(effective_from="01-03-" + str(YEAR + 1)), "action": "meeting",
        "meeting.BFH": "Anne Møller", "meeting.JOB": "Søren Friis"})
    assert any(s.effective_from == day and s.status == "agreed"
               for s in _split_of(session, target))
    client.get(f"/indsatser/{source}/fordeling/ny")
    response = client.post(f"/indsatser/{source}/fordeling/ny", {
        **_fixed(effective_from="01-03-" + str(YEAR + 1)), "action": "meeting",
        "meeting.BFH": "Anne Møller", "meeting.JOB": "Søren Friis", "copy_to": [target]})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert f"Fordelingen blev ikke kopieret til {target}" in page
    assert "har allerede en aftalt fordeling" in page


def test_the_printed_lagkage_is_one_a4_page_naming_every_share_and_amount(
    login: Callable[[str], Client], session: Session, case: str
) -> None:
    response = login("leder").get(f"/sager/{case}/lagkage.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == A4_POINTS
    text = reader.pages[0].extract_text()
    figures = casework.case_figures(session, actor=CASEWORKER, ref=case,
                                    today=local(now()).date())
    assert case in text and f"I alt i {figures.year}" in text
    named = 0
    for item in figures.interventions:
        assert item.intervention.title in text
        shares = dict(item.shares)
        for code, amount in item.totals.items():
            share = format_percent(shares[code]) if code in shares else "–"
            assert f"{code}  {share}  {format_money(amount)}" in text
            named += 1
    assert named >= 2
    agreed = [item for item in figures.interventions if item.in_force]
    assert agreed and "Godkendt af" in text


def test_the_case_page_offers_the_lagkage_template_which_holds_the_case(
    login: Callable[[str], Client], case: str
) -> None:
    client = login("raadgiver.bfh")
    page = client.get(f"/sager/{case}").text
    assert f'href="/sager/{case}/lagkage.xlsx"' in page
    assert f'href="/sager/{case}/lagkage.pdf"' in page
    response = client.get(f"/sager/{case}/lagkage.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.data))
    assert "Lagkage" in workbook.sheetnames
    cells = [str(c.value) for row in workbook["Lagkage"].iter_rows() for c in row if c.value]
    assert case in cells
    assert client.get("/sager/S-0000-0000/lagkage.xlsx").status_code == 404


def test_print_styles_hide_the_menu_buttons_and_forms() -> None:
    from pathlib import Path

    import finans.web

    css = (Path(finans.web.__file__).parent / "static" / "finans.css").read_text()
    printed = css.split("@media print", 1)[1]
    assert re.search(r"\.topbar, [^{]*nav, form, button, \.button, \.actions", printed)
