"""Issue 11 through the command line and the pages on the demo municipality: the state refund on
the case page, in the overview, in the controller workbook and in the quarterly claim is exactly
what ``finans calc`` computes from ``finans dump`` of the same database."""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from finans.allocation.money import to_ore
from finans.demo.households import HOUSEHOLDS
from finans.formatting import format_money, format_month
from finans.store.timestamps import local, now
from finans.web import create_app
from finans.web.database import ENGINE_KEY
from tests.acceptance.conftest import Finans
from tests.dashboard.page_tables import read_page
from tests.web.webclient import Client

YEAR = local(now()).date().year
QUARTER = 3
"""A whole quarter of the demo's year, with earlier quarters claimed before it."""


def calc(finans: Finans, start: str, end: str) -> dict[str, Any]:
    """``finans calc`` on ``finans dump`` of the database, for the period."""
    assert finans("dump", "demo.json").exit_code == 0
    result = finans("calc", "demo.json", "--from", start, "--to", end)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def year_calc(finans: Finans) -> dict[str, Any]:
    return calc(finans, f"{YEAR}-01-01", f"{YEAR}-12-31")


@pytest.fixture
def app(finans: Finans, tmp_path: Path) -> Iterator[Flask]:
    """The web app on the same copy of the demo database as the command line."""
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'finans.db'}",
                      "SECRET_KEY": "acceptance"})
    yield app
    app.extensions[ENGINE_KEY].dispose()


def logged_in(app: Flask, username: str) -> Client:
    client = Client(app.test_client())
    client.login(username)
    return client


def money(text: str) -> str:
    """A calculator amount (``"1234.50"``) as the pages show it."""
    return format_money(to_ore(text))


def households() -> list[str]:
    """The journal numbers of the demo's expensive households, found by their family labels."""
    data = json.loads(Path("demo.json").read_text(encoding="utf-8"))
    families = {household.family for household in HOUSEHOLDS}
    found = [case["ref"] for case in data["cases"] if case["family"] in families]
    assert len(found) == len(HOUSEHOLDS)
    return found


def quarter_end(quarter: int) -> str:
    month = 3 * quarter
    return date(YEAR, month, calendar.monthrange(YEAR, month)[1]).isoformat()


def test_the_demo_has_refunds_for_its_expensive_households_this_year(
    year_calc: dict[str, Any],
) -> None:
    refunded = {refund["case"] for refund in year_calc["refunds"]}
    assert set(households()) <= refunded
    assert year_calc["refund_missing_years"] == []
    assert sum(to_ore(amount) for amount in year_calc["refund_totals"].values()) > 0
    for code, gross in year_calc["totals"].items():
        refund = to_ore(year_calc["refund_totals"].get(code, "0.00"))
        assert to_ore(year_calc["net_totals"][code]) == to_ore(gross) - refund


def test_the_case_page_shows_each_households_months_as_calc_does(
    app: Flask, year_calc: dict[str, Any]
) -> None:
    browser = logged_in(app, "leder")
    for ref in households():
        page = read_page(browser.get(f"/sager/{ref}").get_data(as_text=True))
        table = next(t for t in page.tables if t and t[0][:4] == ["Måned", "Grundlag", "Trin",
                                                                     "Refusion"])
        codes = table[0][4:]
        shown = {row[0]: row for row in table[1:-1]}
        expected = [refund for refund in year_calc["refunds"] if refund["case"] == ref]
        assert expected
        for refund in expected:
            row = shown[format_month(refund["month"])]
            assert row[1] == money(refund["basis"]) and row[3] == money(refund["amount"])
            assert {code: row[4 + i] for i, code in enumerate(codes)} == {
                code: money(refund["departments"].get(code, "0.00")) for code in codes}
        months = {format_month(refund["month"]) for refund in expected}
        assert all(row[3] == format_money(0) for month, row in shown.items()
                   if month not in months)
        total = sum(to_ore(refund["amount"]) for refund in expected)
        assert table[-1][3] == format_money(total)


def test_the_overview_shows_gross_refund_and_net_per_department_as_calc_does(
    app: Flask, year_calc: dict[str, Any]
) -> None:
    page = read_page(logged_in(app, "leder").get(f"/overblik/?kind=year&year={YEAR}")
                     .get_data(as_text=True))
    table = next(t for t in page.tables if t and t[0] == ["Afdeling", "Brutto", "Refusion",
                                                          "Netto"])
    rows = {row[0]: row[1:] for row in table[1:-1]}
    for code, gross in year_calc["totals"].items():
        refund = year_calc["refund_totals"].get(code, "0.00")
        assert rows[code] == [money(gross), money(refund), money(year_calc["net_totals"][code])]
    refunded = sum(to_ore(amount) for amount in year_calc["refund_totals"].values())
    assert table[-1][2] == format_money(refunded)


def test_the_workbooks_refusion_sheet_is_calcs_refunds(
    finans: Finans, year_calc: dict[str, Any]
) -> None:
    result = finans("export", "--from", f"{YEAR}-01-01", "--to", f"{YEAR}-12-31", "ud.xlsx")
    assert result.exit_code == 0, result.output
    workbook = load_workbook("ud.xlsx", read_only=True)
    header, *rows = list(workbook["Refusion"].iter_rows(values_only=True))
    workbook.close()
    assert list(header[:4]) == ["Sagsnr", "Måned", "Grundlag", "Refusion"]
    codes = list(header[4:])
    rows = [(*row, *[None] * (len(header) - len(row))) for row in rows]
    found = [
        {"case": row[0], "month": f"{row[1]:%Y-%m}", "basis": Decimal(repr(row[2])),
         "amount": Decimal(repr(row[3])),
         "departments": {code: Decimal(repr(value)) for code, value in zip(codes, row[4:],
                                                                           strict=True)
                         if value is not None}}
        for row in rows
    ]
    assert found == [
        {"case": refund["case"], "month": refund["month"], "basis": Decimal(refund["basis"]),
         "amount": Decimal(refund["amount"]),
         "departments": {code: Decimal(part) for code, part in refund["departments"].items()}}
        for refund in year_calc["refunds"]
    ]


def _claimed(refunds: list[dict[str, Any]]) -> dict[str, int]:
    sums: dict[str, int] = {}
    for refund in refunds:
        sums[refund["case"]] = sums.get(refund["case"], 0) + to_ore(refund["amount"])
    return sums


def test_the_quarterly_claim_is_calcs_refund_to_date_less_the_previous_quarters(
    finans: Finans,
) -> None:
    to_date = calc(finans, f"{YEAR}-01-01", quarter_end(QUARTER))
    before = calc(finans, f"{YEAR}-01-01", quarter_end(QUARTER - 1))
    result = finans("refund-claim", "--quarter", f"{YEAR}Q{QUARTER}", "claim.xlsx")
    assert result.exit_code == 0, result.output
    workbook = load_workbook("claim.xlsx", read_only=True)
    header, *rows = list(workbook["Refusionsanmodning"].iter_rows(values_only=True))
    workbook.close()
    assert list(header) == ["Sagsnr", "Grundlag år til dato", "Refusion år til dato",
                            "Tidligere anmodet", "Anmodning i kvartalet"]
    lines = [row for row in rows if row and row[0] and row[0] != "I alt"]
    total = next(row for row in rows if row and row[0] == "I alt")
    ytd, earlier = _claimed(to_date["refunds"]), _claimed(before["refunds"])
    assert {row[0] for row in lines} == set(ytd)
    for case, _, refund, claimed, claim in lines:
        assert Decimal(repr(refund)).scaleb(2) == ytd[case]
        assert Decimal(repr(claimed)).scaleb(2) == earlier.get(case, 0)
        assert Decimal(repr(claim)).scaleb(2) == ytd[case] - earlier.get(case, 0)
    assert Decimal(repr(total[4])).scaleb(2) == sum(ytd.values()) - sum(earlier.values())
    months = {(r["case"], r["month"]) for r in to_date["refunds"]}
    for case, basis, *_ in lines:
        if all((case, f"{YEAR}-{m:02d}") in months for m in range(1, 3 * QUARTER + 1)):
            assert Decimal(repr(basis)).scaleb(2) == sum(
                to_ore(r["basis"]) for r in to_date["refunds"] if r["case"] == case)
