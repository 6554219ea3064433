"""The case list: search by journal number, family or intervention, filters by status, sorting by
column and pages, all in the address (no script needed)."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from finans.services import case_list, interventions, lookup
from finans.services.actor import Actor, Role
from tests.web.webclient import Client

MANAGER = Actor("leder", Role.MANAGER)


def _refs(html: str) -> list[str]:
    return re.findall(r'<td data-label="Sagsnr."><a href="/sager/([^"]+)">', html)


def _all(client: Client, query: str) -> list[str]:
    """The journal numbers of every page of the list for ``query``."""
    found, page = [], 1
    while True:
        html = client.get(f"/sager?{query}&side={page}").text
        found += _refs(html)
        if 'rel="next"' not in html:
            return found
        page += 1


def test_search_finds_cases_by_an_interventions_title_in_any_case(
    login: Callable[[str], Client], session: Session
) -> None:
    everything = case_list.search_cases(session, actor=MANAGER)
    case = next(summary for summary in everything if summary.titles)
    title = case.titles[0]
    expected = sorted({s.case["ref"] for s in everything
                       if any(title.casefold() in t.casefold() for t in s.titles)},
                      key=lookup.natural_key)
    found = _all(login("leder"), f"q={title.upper()}")
    assert case.case["ref"] in found and found == expected


def test_status_filters_narrow_to_waiting_rejected_and_unsplit_cases(
    login: Callable[[str], Client], session: Session
) -> None:
    client = login("leder")
    everything = case_list.search_cases(session, actor=MANAGER)
    for word, has in (("afventer", lambda s: s.proposed > 0),
                      ("afvist", lambda s: s.rejected > 0),
                      ("ufordelt", lambda s: s.unsplit_days > 0)):
        expected = [s.case["ref"] for s in everything if has(s)]
        assert expected, f"the demo has cases for status {word}"
        assert _all(client, f"status={word}") == expected
    assert len(_all(client, "status=noget")) == len(everything)


def test_columns_sort_both_ways_and_the_query_stays_in_the_links(
    login: Callable[[str], Client], session: Session
) -> None:
    client = login("leder")
    everything = case_list.search_cases(session, actor=MANAGER)
    by_count = [s.case["ref"] for s in sorted(everything, key=lambda s: -s.interventions)]
    assert _all(client, "sort=-indsatser") == by_count
    page = client.get("/sager?status=afventer&sort=familie").text
    assert 'aria-sort="ascending"' in page
    assert 'href="/sager?status=afventer&amp;sort=-familie"' in page
    families = [s.case["family"].casefold() for s in everything if s.proposed]
    shown = [s.case["family"].casefold() for ref in _refs(page)
             for s in everything if s.case["ref"] == ref]
    assert shown == sorted(families)


def test_a_long_list_comes_in_pages_that_together_hold_every_case_once(
    login: Callable[[str], Client], session: Session
) -> None:
    client = login("leder")
    first = client.get("/sager").text
    assert "side 1 af 2" in first and len(_refs(first)) == 25
    every = _all(client, "sort=sagsnr")
    assert len(every) == 43 == len(set(every))
    assert client.get("/sager?side=99").status_code == 200


def test_search_by_intervention_reaches_the_caseworkers_own_cases_only(
    login: Callable[[str], Client], session: Session
) -> None:
    worker = Actor("raadgiver.bfh", Role.CASEWORKER, "BFH")
    own = {s.case["ref"] for s in case_list.search_cases(session, actor=worker)}
    title = interventions.list_interventions(session, actor=MANAGER)[0]["title"]
    assert set(_all(login("raadgiver.bfh"), f"q={title}")) <= own
