"""Whatever people (or scripts) type into the forms, no page answers 500.

Text with control characters is refused by the input guard (422) before any form is read; the
guard's own tests are in test_input_guard.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finans.services.text import has_bad_characters
from tests.web.webclient import Client, DemoFacts

HUGE_ID = str(2**63)
"""One past the largest integer SQLite (and PostgreSQL's bigint) can hold."""
INT_PART = re.compile(r"<int[^>]*>")

FUZZ = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def guarded(fields: dict[str, str]) -> bool:
    """Whether the input guard refuses these fields before the page reads them."""
    return any(has_bad_characters(value, multiline=True) for value in fields.values())


typed = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"-?[0-9]{1,15}([.,][0-9]{0,6})?", fullmatch=True),
    st.sampled_from(["", " ", "1e400", "NaN", "inf", "1.234,50", "31-02-2026", "2026-13-01",
                     "9999-12-31", "0001-01-01", "fixed", "weighted", "<b>x</b>", "\x00"]),
)


@FUZZ
@given(fields=st.dictionaries(
    st.sampled_from(["title", "legal_basis", "granted_by", "paid_by", "cost.amount", "cost.per",
                     "cost.start", "cost.end"]), typed))
def test_any_intervention_form_gets_a_page_not_a_500(
    login: Callable[[str], Client], facts: DemoFacts, fields: dict[str, str]
) -> None:
    client = login("raadgiver.bfh")
    client.get(f"/sager/{facts.case}/indsatser/ny")
    response = client.post(f"/sager/{facts.case}/indsatser/ny", fields)
    assert response.status_code in ((422,) if guarded(fields) else (302, 422))


@FUZZ
@given(
    method=st.sampled_from(["fixed", "equal", "weighted", "savings", "", "other"]),
    fields=st.dictionaries(
        st.sampled_from(["effective_from", "alpha", "shares.BFH", "shares.JOB",
                         "responsibility.BFH", "benefit.JOB", "savings.SKO", "savings.BFH",
                         "departments", "rationale", "meeting.BFH", "shares.XYZ"]), typed),
    action=st.sampled_from(["preview", "propose", "meeting", "draft", "ukendt"]),
)
def test_any_split_form_gets_a_page_not_a_500(
    login: Callable[[str], Client], facts: DemoFacts, method: str, fields: dict[str, str],
    action: str,
) -> None:
    client = login("raadgiver.bfh")
    client.get(f"/indsatser/{facts.intervention}/fordeling/ny")
    data = {**fields, "method": method}
    preview = client.post(f"/indsatser/{facts.intervention}/fordeling/forhaandsvisning", data)
    assert preview.status_code == (422 if guarded(fields) else 200)
    saved = client.post(f"/indsatser/{facts.intervention}/fordeling/ny", {**data, "action": action})
    assert saved.status_code in ((422,) if guarded(fields) else (200, 302, 422))


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["q", "afdeling", "samtykke", "faelles", "forslag",
                                             "status", "sort", "type", "side"]), typed))
def test_any_search_gets_a_page_not_a_500(
    login: Callable[[str], Client], query: dict[str, str]
) -> None:
    client = login("leder")
    expected = 422 if guarded(query) else 200
    assert client.get("/sager", query_string=query).status_code == expected
    assert client.get("/revisionslog", query_string=query).status_code == expected


@FUZZ
@given(path=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=20))
def test_any_journal_number_or_intervention_id_in_the_address_gets_a_page_not_a_500(
    login: Callable[[str], Client], path: str
) -> None:
    client = login("leder")
    for prefix in ("/sager/", "/indsatser/", "/godkendelser/", "/fordelinger/", "/import/"):
        response = client.get(prefix + path.replace("/", "_").replace("?", "_").replace("#", "_"))
        assert response.status_code < 500


def test_an_id_too_large_for_the_database_is_a_page_not_found_on_every_route_with_a_number(
    app: Flask, login: Callable[[str], Client], facts: DemoFacts
) -> None:
    clients = [login("raadgiver.bfh"), login(f"controller.{facts.awaiting.lower()}")]
    routes = [
        (INT_PART.sub(HUGE_ID, rule.rule), method)
        for rule in app.url_map.iter_rules()
        if INT_PART.search(rule.rule) and not rule.rule.startswith("/api/")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]
    answers = {
        (path, method): sorted(client.send(method, path).status_code for client in clients)
        for path, method in routes
    }
    assert {path for path, _method in answers} >= {
        f"/godkendelser/{HUGE_ID}", f"/fordelinger/{HUGE_ID}/rediger",
        f"/fordelinger/{HUGE_ID}/moede",
    }
    assert {route: [404, 404] for route in answers} == answers
