"""Entering budgets on the web: the department's controller or an administrator, with CSRF."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from sqlmodel import Session

from finans.services import budgets
from finans.store.db import make_engine
from tests.dashboard.page_tables import csrf_token, read_page

Login = Callable[[str], FlaskClient]


def stored(database: Path, year: int) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        found = budgets.budgets_by_department(session, year=year)
    engine.dispose()
    return found


def post(browser: FlaskClient, year: str = "2026", **amounts: str) -> object:
    """The year's budget form posted with ``amounts`` by code (``JOB="1.250.000,50"``) and the
    versions the form carried."""
    page = browser.get(f"/overblik/budget?year={year}").get_data(as_text=True)
    token = csrf_token(browser, f"/overblik/budget?year={year}")
    versions = dict(re.findall(r'name="version\.([A-Z]+)" value="(\d+)"', page))
    data = {"year": year, "csrf_token": token,
            **{f"version.{code}": version for code, version in versions.items()},
            **{f"amount.{code}": amount for code, amount in amounts.items()}}
    return browser.post("/overblik/budget", data=data)


def test_a_controller_enters_the_budget_the_danish_way_and_it_is_stored_exactly(
    login: Login, web_database: Path
) -> None:
    browser = login("controller.job")
    response = post(browser, JOB="1.250.000,50")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert stored(web_database, 2026) == {"JOB": 125000050}
    page = browser.get("/overblik/budget?year=2026").get_data(as_text=True)
    assert "Budgetterne for 2026 er gemt (JOB)." in page
    assert 'value="1.250.000,50"' in page


def test_a_controller_is_offered_only_their_own_department(login: Login) -> None:
    page = login("controller.job").get("/overblik/budget?year=2026").get_data(as_text=True)
    assert 'name="amount.JOB"' in page
    assert 'name="amount.BFH"' not in page
    admin_page = login("admin").get("/overblik/budget?year=2026").get_data(as_text=True)
    assert admin_page.count('name="amount.') == 9


def test_one_save_stores_the_budgets_of_every_department_of_the_year(
    login: Login, web_database: Path
) -> None:
    admin = login("admin")
    response = post(admin, BFH="5.000.000,00", JOB="1.000.000", SKO="250.000,25")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert stored(web_database, 2026) == {"BFH": 500000000, "JOB": 100000000, "SKO": 25000025}
    again = post(admin, BFH="5.000.000,00", JOB="1.100.000", SKO="250.000,25")
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert stored(web_database, 2026)["JOB"] == 110000000


def test_a_form_without_its_csrf_token_is_refused(login: Login, web_database: Path) -> None:
    response = login("admin").post("/overblik/budget", data={"year": "2026",
                                                             "amount.JOB": "10,00"})
    assert response.status_code == 400
    assert stored(web_database, 2026) == {}


def test_an_invalid_amount_is_shown_next_to_its_field_and_nothing_is_saved(
    login: Login, web_database: Path
) -> None:
    response = post(login("admin"), SKO="-5", JOB="100,00")
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Beløbet må ikke være negativt" in html
    assert 'id="amount-SKO"' in html and 'value="-5"' in html and 'value="100,00"' in html
    assert stored(web_database, 2026) == {}


def test_a_save_over_someone_elses_change_is_refused_keeps_what_was_typed_and_says_who(
    login: Login, web_database: Path
) -> None:
    admin = login("admin")
    post(admin, JOB="100,00")
    controller = login("controller.job")
    token = csrf_token(controller, "/overblik/budget?year=2026")
    post(admin, JOB="200,00")
    response = controller.post("/overblik/budget", data={
        "year": "2026", "amount.JOB": "300,00", "version.JOB": "1", "csrf_token": token,
    })
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "admin ændrede beløb" in html
    assert 'value="300,00"' in html, "what the controller typed is still in the form"
    assert stored(web_database, 2026) == {"JOB": 20000}
    again = post(controller, JOB="300,00")
    assert again.status_code == 302  # type: ignore[attr-defined]
    assert stored(web_database, 2026) == {"JOB": 30000}


def test_managers_read_budgets_on_the_overview_but_do_not_enter_them(
    login: Login, web_database: Path
) -> None:
    post(login("admin"), BFH="5.000.000,00")
    manager = login("leder")
    assert manager.get("/overblik/budget").status_code == 403
    page = read_page(manager.get("/overblik/?kind=year&year=2026").get_data(as_text=True))
    budget_rows = {row[0]: row[1] for row in page.tables[1][1:]}
    assert budget_rows["BFH"] == "5.000.000,00 kr."
    assert budget_rows["JOB"] == "intet budget"
