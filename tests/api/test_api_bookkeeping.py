"""Postings and closed months through the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from flask.testing import FlaskClient

from finans.allocation.postings import month_of, next_month

Auth = Callable[[str], dict[str, str]]
YEAR = "from=2026-01-01&to=2026-12-31"


def test_the_csv_is_a_download_that_danish_excel_opens(client: FlaskClient, auth: Auth) -> None:
    response = client.get(f"/api/v1/postings?{YEAR}", headers=auth("finance"))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="posteringer-2026-01-2026-12.csv"')
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows and {row["Bilagsdato"][3:] for row in rows} <= {f"{m:02d}-2026"
                                                               for m in range(1, 13)}


def test_the_sums_balance_and_match_the_csv(client: FlaskClient, auth: Auth) -> None:
    sums = client.get(f"/api/v1/postings?{YEAR}&format=json", headers=auth("admin")).json
    assert sums is not None and sums["balanced"] is True
    assert sums["months"][0] == "2026-01" and sums["closed_through"] is None
    assert all(day["debit"] == day["credit"] for day in sums["dates"].values())
    data = client.get(f"/api/v1/postings?{YEAR}", headers=auth("admin")).data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert sums["legs"] == len(rows)


def test_the_g69_file_carries_the_apps_machine_number(client: FlaskClient, auth: Auth) -> None:
    response = client.get(f"/api/v1/postings?{YEAR}&format=g69", headers=auth("finance"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=iso-8859-1"
    lines = response.data.decode("iso-8859-1").splitlines()
    assert lines[0].startswith("Z300 0000") and lines[-1] == f"SLUTD{len(lines) - 2:05d}"
    assert "&10300001&1040000001&" in lines[1]


def test_an_unknown_format_or_period_is_refused_where_it_stands(
    client: FlaskClient, auth: Auth
) -> None:
    wrong = client.get(f"/api/v1/postings?{YEAR}&format=xml", headers=auth("finance"))
    assert wrong.status_code == 422 and wrong.json["errors"][0]["where"] == "format"
    bad = client.get("/api/v1/postings?from=2026-02-30&to=2026-03-01", headers=auth("finance"))
    assert bad.status_code == 422 and bad.json["errors"][0]["where"] == "from"


def test_closing_through_the_api_is_listed_and_idempotent(client: FlaskClient, auth: Auth) -> None:
    assert client.get("/api/v1/periods", headers=auth("controller")).json == {
        "closed_through": None, "first_open": None, "months": []}
    closed = client.post("/api/v1/periods", json={"month": "2026-03"}, headers=auth("finance"))
    assert closed.status_code == 200
    assert closed.json["closed"][-1] == "2026-03" and closed.json["entries"] > 0
    listed = client.get("/api/v1/periods", headers=auth("manager")).json
    assert listed["closed_through"] == "2026-03" and listed["first_open"] == "2026-04"
    assert listed["months"][-1]["closed_by"] == "finance"
    again = client.post("/api/v1/periods", json={"month": "2026-01"}, headers=auth("admin"))
    assert again.json == {"closed": [], "closed_through": "2026-03", "entries": 0,
                          "corrections": 0}
    sums = client.get("/api/v1/postings?from=2026-01-01&to=2026-04-30&format=json",
                      headers=auth("finance")).json
    assert sums["closed_through"] == "2026-03" and sums["balanced"] is True


def test_a_month_that_is_not_one_or_has_not_begun_is_refused(
    client: FlaskClient, auth: Auth
) -> None:
    future = next_month(month_of(date.today()))
    for body, code in (({"month": "2026-3"}, "bad_month"), ({"month": future}, "month_not_begun"),
                       ({"month": 202603}, "bad_month"), ({}, "missing")):
        response = client.post("/api/v1/periods", json=body, headers=auth("finance"))
        assert response.status_code == 422, body
        assert [(e["code"], e["where"]) for e in response.json["errors"]] == [(code, "month")]
    assert client.get("/api/v1/periods", headers=auth("finance")).json["months"] == []


def test_an_intervention_takes_an_account_string_through_the_api(
    client: FlaskClient, auth: Auth
) -> None:
    current = client.get("/api/v1/interventions/I-1", headers=auth("caseworker")).json
    changed = client.patch("/api/v1/interventions/I-1", headers=auth("caseworker"),
                           json={"version": current["version"], "account": "5.57.72"})
    assert changed.status_code == 200 and changed.json["account"] == "5.57.72"
    wrong = client.patch("/api/v1/interventions/I-1", headers=auth("caseworker"),
                         json={"version": changed.json["version"], "account": "5-57-72"})
    assert wrong.status_code == 422
    assert [(e["code"], e["where"]) for e in wrong.json["errors"]] == [("bad_account", "account")]
    cleared = client.patch("/api/v1/interventions/I-1", headers=auth("caseworker"),
                           json={"version": changed.json["version"], "account": ""})
    assert cleared.status_code == 200 and "account" not in cleared.json


def ore_of(text: str) -> int:
    kroner, _, rest = text.lstrip("-").partition(".")
    return (-1 if text.startswith("-") else 1) * (int(kroner) * 100 + int(rest))


def test_the_sums_carry_the_refund_passed_on_per_department(
    client: FlaskClient, auth: Auth
) -> None:
    sums = client.get(f"/api/v1/postings?{YEAR}&format=json", headers=auth("finance")).json
    data = client.get(f"/api/v1/postings?{YEAR}", headers=auth("finance")).data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    nets: dict[str, int] = {}
    for row in rows:
        if row["Tekst"].startswith("Refusion "):
            debit, credit = (ore_of(row[side].replace(",", ".") or "0.00")
                             for side in ("Debet", "Kredit"))
            nets[row["Afdeling"]] = nets.get(row["Afdeling"], 0) + debit - credit
    assert sums is not None and sums["refunds"]
    assert {code: ore_of(net) for code, net in sums["refunds"].items()} == {
        code: net for code, net in nets.items() if net}


def test_a_refund_changed_in_a_closed_month_comes_back_as_a_correction(
    client: FlaskClient, auth: Auth
) -> None:
    client.post("/api/v1/periods", json={"month": "2026-03"}, headers=auth("finance"))
    listed = []
    for number in range(1, 20):
        page = client.get(f"/api/v1/interventions?per_page=200&page={number}",
                          headers=auth("admin")).json
        listed += page["items"]
        if not page["items"]:
            break
    placement = next(item for item in listed
                     if item["title"] == "Anbringelse på specialiseret døgninstitution")
    changed = client.patch(f"/api/v1/interventions/{placement['id']}", headers=auth("admin"),
                           json={"version": placement["version"],
                                 "cost": {**placement["cost"], "amount": "171000.00"}})
    assert changed.status_code == 200
    april = client.get("/api/v1/postings?from=2026-04-01&to=2026-04-30&format=json",
                       headers=auth("finance")).json
    refunded = [item for item in april["corrections"] if item["kind"] == "refund"]
    assert refunded and all(item["intervention"] == "" and item["case"] == placement["case"]
                            and item["posted_in"] == "2026-04" for item in refunded)
    assert any(item["kind"] == "allocation" and item["intervention"] == placement["id"]
               for item in april["corrections"])
    assert april["balanced"] is True
