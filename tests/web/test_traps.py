"""Traps people fell into, each closed: the weight typed as a fraction or left empty, lowercase
department codes, workbook words typed another way, and a conflicting save that threw away what
was typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO

from openpyxl import load_workbook
from sqlmodel import Session

from finans.services import interventions, splits
from tests.web.test_imports import edited, export, upload  # noqa: F401 - the export fixture
from tests.web.webclient import CASEWORKER, Client, DemoFacts, weighted


def _form(client: Client, intervention: str) -> None:
    client.get(f"/indsatser/{intervention}/fordeling/ny")


def test_a_weight_typed_as_a_fraction_is_refused_with_a_hint_and_nothing_is_saved(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    client = login("raadgiver.bfh")
    _form(client, facts.intervention)
    before = len(interventions.get_intervention(session, actor=CASEWORKER,
                                                id=facts.intervention).splits)
    response = client.post(f"/indsatser/{facts.intervention}/fordeling/ny",
                           {**weighted(alpha="0,5"), "action": "propose"})
    assert response.status_code == 422
    assert "Vægten skrives i procent: 0,5 betyder 0,5 %. Mente du 50 %? Skriv 50." in (
        response.text)
    assert 'name="alpha" class="short" inputmode="decimal" value="0,5"' in response.text
    session.expire_all()
    assert len(interventions.get_intervention(session, actor=CASEWORKER,
                                              id=facts.intervention).splits) == before


def test_an_emptied_weight_is_refused_instead_of_silently_meaning_half(
    login: Callable[[str], Client], facts: DemoFacts
) -> None:
    client = login("raadgiver.bfh")
    _form(client, facts.intervention)
    response = client.post(f"/indsatser/{facts.intervention}/fordeling/ny",
                           {**weighted(alpha=""), "action": "propose"})
    assert response.status_code == 422
    assert "Skriv vægten på ansvar i procent, fx 50" in response.text


def test_the_form_labels_the_weight_in_percent_prefills_it_and_shows_what_it_means(
    login: Callable[[str], Client], facts: DemoFacts
) -> None:
    client = login("raadgiver.bfh")
    page = client.get(f"/indsatser/{facts.intervention}/fordeling/ny").text
    assert "Vægt på ansvar (%)" in page
    assert re.search(r'name="alpha" class="short" inputmode="decimal" value="[0-9,]+"', page)
    fragment = client.post(f"/indsatser/{facts.intervention}/fordeling/forhaandsvisning",
                           weighted(alpha="70")).text
    assert "Ansvar vægter 70 %, gevinst 30 % (alpha 0,7)." in fragment


def test_a_lowercase_department_code_is_refused_with_the_capitals_as_hint(
    login: Callable[[str], Client],
) -> None:
    admin = login("admin")
    admin.get("/admin/afdelinger")
    response = admin.post("/admin/afdelinger", {"code": "bfh", "name": "Dublet"})
    assert response.status_code == 422
    assert "skal skrives med store bogstaver: &#39;BFH&#39;" in response.text
    assert admin.get("/admin/afdelinger").text.count(">bfh<") == 0


def test_the_workbook_takes_status_words_typed_another_way_and_refuses_lowercase_codes(
    login: Callable[[str], Client], export: bytes  # noqa: F811
) -> None:
    controller = login("controller.bfh")
    book = load_workbook(BytesIO(export))
    sheet = book["Fordeling"]
    header = [cell.value for cell in sheet[1]]
    status = header.index("Status") + 1
    proposed = next(row for row in range(2, sheet.max_row + 1)
                    if sheet.cell(row, status).value == "foreslået")
    for word in ("forslag", "Foreslået", "FORESLAAET"):
        sheet.cell(proposed, status).value = word
        target = BytesIO()
        book.save(target)
        page = upload(controller, target.getvalue())
        assert page.startswith("200 "), f"{word} is read as foreslået"
    department = header.index("Afdeling") + 1
    sheet.cell(proposed, department).value = str(sheet.cell(proposed, department).value).lower()
    target = BytesIO()
    book.save(target)
    page = upload(controller, target.getvalue())
    assert page.startswith("422 ") and "koder skrives med store bogstaver" in page


def test_a_conflicting_save_of_a_split_keeps_what_was_typed_and_shows_the_other_change(
    login: Callable[[str], Client], facts: DemoFacts, session: Session
) -> None:
    split = splits.get_split(session, actor=CASEWORKER, split_id=facts.split)
    client = login("raadgiver.bfh")
    page = client.get(f"/fordelinger/{facts.split}/rediger").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    splits.update_split(session, actor=CASEWORKER, split_id=facts.split,
                        version=split.version, data={"rationale": "Kollegaens begrundelse"})
    typed = {"version": version.group(1), "action": "propose", "method": "fixed",
             "effective_from": split.effective_from.isoformat(), "rationale": "Min nye begrundelse",
             **{f"shares.{code}": "" for code in split.resolved}}
    codes = sorted(split.resolved)
    typed[f"shares.{codes[0]}"] = "100"
    response = client.post(f"/fordelinger/{facts.split}/rediger", typed)
    assert response.status_code == 409
    assert "En anden har gemt først" in response.text
    assert "raadgiver.bfh ændrede" in response.text
    assert "Min nye begrundelse</textarea>" in response.text
    fresh = re.search(r'name="version" value="(\d+)"', response.text)
    assert fresh is not None and int(fresh.group(1)) > int(version.group(1))
    again = client.post(f"/fordelinger/{facts.split}/rediger",
                        {**typed, "version": fresh.group(1)})
    assert again.status_code == 302
    session.expire_all()
    assert splits.get_split(session, actor=CASEWORKER, split_id=facts.split).rationale \
        == "Min nye begrundelse"
