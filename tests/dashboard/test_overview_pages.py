"""The overview page: charts and tables for a manager, with the figures of ``finans calc``."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session

from finans.allocation.money import to_ore
from finans.cli import main
from finans.formatting import format_money
from finans.services.scenario import dump_scenario
from finans.store.db import make_engine
from finans.store.timestamps import local, now
from tests.dashboard.page_tables import read_page

Login = Callable[[str], FlaskClient]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def calc_totals(database: Path, tmp_path: Path, start: str, end: str) -> dict[str, int]:
    """``finans calc`` on a dump of the database: department → allocated øre."""
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        dump = dump_scenario(session)
    engine.dispose()
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(dump, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["calc", str(path), "--from", start, "--to", end])
    assert result.exit_code == 0, result.output
    return {code: to_ore(amount) for code, amount in json.loads(result.output)["totals"].items()}


def test_a_manager_sees_pie_bars_and_budget_table_of_this_year_with_finans_calcs_figures(
    login: Login, web_database: Path, tmp_path: Path
) -> None:
    browser = login("leder")
    year = local(now()).year
    response = browser.get("/overblik/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"Budgetopfølgning {year}" in html
    page = read_page(html)
    charts = {image["src"].split("?")[0]: image for image in page.images}
    assert {"/overblik/graf/fordeling.svg", "/overblik/graf/maaneder.svg",
            "/overblik/graf/budget.svg"} <= set(charts)
    for image in page.images:
        assert image["alt"]
        shown = browser.get(image["src"])
        assert shown.status_code == 200 and shown.mimetype == "image/svg+xml"
        ElementTree.fromstring(shown.data)
    allocated, budget_table = page.tables[0], page.tables[1]
    expected = calc_totals(web_database, tmp_path, f"{year}-01-01", f"{year}-12-31")
    assert expected
    rows = {row[0].split()[0]: row for row in allocated[1:-1]}
    for code, amount in expected.items():
        assert rows[code][1] == format_money(amount)
    assert allocated[-1][:2] == ["I alt", format_money(sum(expected.values()))]
    assert budget_table[0] == ["Afdeling", "Budget", "Forbrug til dato", "Prognose for året",
                               "Refusion i året", "Prognose netto", "Rest efter prognose"]
    assert {row[0] for row in budget_table[1:]} == set(rows)


def test_the_overview_link_is_in_the_managers_menu(login: Login) -> None:
    page = read_page(login("leder").get("/overblik/").get_data(as_text=True))
    assert "/overblik/" in page.links


@pytest.mark.parametrize("query", ["kind=quarter&year=2026&quarter=2",
                                   "kind=month&year=2026&month=3",
                                   "kind=range&from=2026-02-10&to=2026-05-03"])
def test_the_figures_follow_the_chosen_period(
    login: Login, web_database: Path, tmp_path: Path, query: str
) -> None:
    browser = login("leder")
    page = read_page(browser.get(f"/overblik/?{query}").get_data(as_text=True))
    args = dict(part.split("=") for part in query.split("&"))
    start, end = {
        "quarter": ("2026-04-01", "2026-06-30"),
        "month": ("2026-03-01", "2026-03-31"),
        "range": ("2026-02-10", "2026-05-03"),
    }[args["kind"]]
    expected = calc_totals(web_database, tmp_path, start, end)
    rows = {row[0].split()[0]: row[1] for row in page.tables[0][1:-1]}
    assert {code: rows[code] for code in expected} == {
        code: format_money(amount) for code, amount in expected.items()
    }
    assert all(part in image["src"] for image in page.images for part in query.split("&"))


def test_an_invalid_period_is_shown_next_to_its_field(login: Login) -> None:
    response = login("leder").get("/overblik/?kind=range&from=2026-05-01&to=2026-04-01")
    assert response.status_code == 422
    assert "Til-datoen ligger før fra-datoen" in response.get_data(as_text=True)


def test_charts_are_served_as_png_and_svg_with_validators_and_as_downloads(login: Login) -> None:
    browser = login("leder")
    png = browser.get("/overblik/graf/fordeling.png?kind=year&year=2026")
    assert png.status_code == 200 and png.data.startswith(PNG_MAGIC)
    assert png.headers["Cache-Control"] in ("private, max-age=300", "max-age=300, private")
    again = browser.get("/overblik/graf/fordeling.png?kind=year&year=2026",
                        headers={"If-None-Match": png.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    download = browser.get("/overblik/graf/maaneder.svg?kind=year&year=2026&hent=1")
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="maaneder-2026-01-01-2026-12-31.svg"'
    )
    assert browser.get("/overblik/graf/lagkage.png").status_code == 404
    assert browser.get("/overblik/graf/fordeling.gif").status_code == 404
    assert browser.get("/overblik/graf/fordeling.png?kind=month&month=13").status_code == 404


def test_the_overview_workbook_holds_the_oversigt_sheet_with_the_figures(
    login: Login, web_database: Path, tmp_path: Path
) -> None:
    response = login("leder").get("/overblik/oversigt.xlsx?kind=year&year=2026")
    assert response.status_code == 200
    assert "oversigt-2026-01-01-2026-12-31.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.data))
    assert workbook.sheetnames == ["Oversigt", "Budgetopfølgning"]
    sheet = workbook["Oversigt"]
    assert [cell.value for cell in sheet[1]] == ["Afdeling", "Beløb", "Andel %"]
    expected = calc_totals(web_database, tmp_path, "2026-01-01", "2026-12-31")
    shown = {
        row[0].value: to_ore(str(row[1].value))
        for row in sheet.iter_rows(min_row=2, max_row=len(expected) + 1)
    }
    assert shown == {code: amount for code, amount in expected.items() if amount}
    assert len(sheet._charts) == 1


def test_caseworkers_do_not_see_the_overview(login: Login) -> None:
    browser = login("raadgiver.bfh")
    for path in ("/overblik/", "/overblik/graf/fordeling.png", "/overblik/oversigt.xlsx",
                 "/overblik/afdeling/BFH", "/overblik/budget"):
        assert browser.get(path).status_code == 403, path


def test_a_controller_sees_their_own_department_and_may_drill_into_it_only(login: Login) -> None:
    browser = login("controller.job")
    page = read_page(browser.get("/overblik/?kind=year&year=2026").get_data(as_text=True))
    assert [row[0].split()[0] for row in page.tables[0][1:]] == ["JOB"]
    assert browser.get("/overblik/afdeling/JOB?kind=year&year=2026").status_code == 200
    assert browser.get("/overblik/afdeling/BFH?kind=year&year=2026").status_code == 403


def test_the_drill_down_lists_a_departments_cases_and_interventions(login: Login) -> None:
    browser = login("leder")
    response = browser.get("/overblik/afdeling/JOB?kind=year&year=2026")
    assert response.status_code == 200
    page = read_page(response.get_data(as_text=True))
    cases, interventions = page.tables
    assert cases[0][0] == "Sag" and len(cases) > 1
    assert interventions[0][0] == "Indsats" and len(interventions) > 1
    assert any(link.startswith("/sager/") for link in page.links)
    assert any(link.startswith("/indsatser/") for link in page.links)
    assert browser.get("/overblik/afdeling/NOPE").status_code == 404
