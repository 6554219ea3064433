"""Downloads in the screens: the controller workbook for a chosen period from the import page and
the overview; and the period form, where choosing a quarter or a month is choosing that period."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from openpyxl import load_workbook

from tests.web.webclient import YEAR, Client


def _months(data: bytes) -> set[str]:
    workbook = load_workbook(BytesIO(data), read_only=True)
    sheet = workbook["Fordelt"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index("Måned")
    months = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column]}
    return {month.strftime("%Y-%m") if hasattr(month, "strftime") else str(month)
            for month in months}


def test_the_import_page_downloads_the_controller_workbook_for_the_chosen_quarter(
    login: Callable[[str], Client],
) -> None:
    client = login("controller.job")
    page = client.get("/import").text
    assert 'action="/import/regneark.xlsx"' in page and 'name="periode"' in page
    response = client.get(f"/import/regneark.xlsx?year={YEAR}&periode=k2")
    assert response.status_code == 200
    assert f"finans-{YEAR}-04-01-{YEAR}-06-30.xlsx" in response.headers["Content-Disposition"]
    assert _months(response.data) == {f"{YEAR}-04", f"{YEAR}-05", f"{YEAR}-06"}
    workbook = load_workbook(BytesIO(response.data), read_only=True)
    assert {"Afdelinger", "Sager", "Indsatser", "Fordeling", "Oversigt"} <= set(
        workbook.sheetnames)


def test_a_bad_period_for_the_workbook_is_shown_on_the_import_page(
    login: Callable[[str], Client],
) -> None:
    response = login("admin").get("/import/regneark.xlsx?periode=fra-til&from=2026-05-01")
    assert response.status_code == 422
    assert "id=\"f-to-fejl\">Skal udfyldes" in response.text


def test_the_overview_links_the_controller_workbook_of_its_period(
    login: Callable[[str], Client],
) -> None:
    client = login("leder")
    page = client.get(f"/overblik/?year={YEAR}&periode=m3").text
    link = f'href="/import/regneark.xlsx?kind=month&amp;year={YEAR}&amp;month=3"'
    assert link in page
    assert _months(client.get(f"/import/regneark.xlsx?kind=month&year={YEAR}&month=3").data) == {
        f"{YEAR}-03"}


def test_choosing_the_second_quarter_chooses_the_quarter_without_any_other_field(
    login: Callable[[str], Client],
) -> None:
    client = login("leder")
    page = client.get(f"/overblik/?year={YEAR}&periode=k2").text
    assert f"– 2. kvartal {YEAR}</h1>" in page
    assert '<option value="k2" selected>' in page
    dates = client.get(f"/overblik/?year={YEAR}&periode=aar&from={YEAR}-02-01&to={YEAR}-02-14")
    assert f"01-02-{YEAR} – 14-02-{YEAR}" in dates.text
    assert client.get("/overblik/?periode=uge").status_code == 422
