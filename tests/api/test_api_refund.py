"""The refund over HTTP: the yearly rates (everyone reads, administrators write, 422 located,
409), refundable interventions, and the refund fields of the allocation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

Auth = Callable[[str], dict[str, str]]
NEW = {"year": 2031, "thresholds": ["1041000.00", "2034000.00", "2567000.00"],
       "percents": ["25", "50", "75"]}


def test_an_administrator_enters_a_year_and_others_read_it(
    client: FlaskClient, auth: Auth
) -> None:
    made = client.post("/api/v1/refund-rates", headers=auth("admin"), json=NEW)
    assert made.status_code == 201
    assert made.headers["Location"].endswith("/api/v1/refund-rates/2031")
    assert made.json == {**NEW, "note": "", "statutory": False, "version": 1}
    for role in ("caseworker", "controller", "manager"):
        listed = client.get("/api/v1/refund-rates", headers=auth(role))
        assert listed.status_code == 200 and listed.json is not None
        assert [item["year"] for item in listed.json["items"]][-1] == 2031
        assert client.get("/api/v1/refund-rates/2031", headers=auth(role)).json == made.json


@pytest.mark.parametrize("role", ["caseworker", "controller", "manager"])
def test_others_may_not_write_rates(client: FlaskClient, auth: Auth, role: str) -> None:
    assert client.post("/api/v1/refund-rates", headers=auth(role), json=NEW).status_code == 403
    changed = client.put("/api/v1/refund-rates/2022", headers=auth(role),
                         json={"version": 1, "note": "x"})
    assert changed.status_code == 403
    assert client.get("/api/v1/refund-rates/2022", headers=auth("admin")).json["version"] == 1


def test_bad_rates_are_a_422_naming_each_value(client: FlaskClient, auth: Auth) -> None:
    response = client.post("/api/v1/refund-rates", headers=auth("admin"), json={
        "year": 2031, "thresholds": ["1000000", 900000.5, "2500000.001"],
        "percents": ["25", "x", "75"]})
    assert response.status_code == 422 and response.json is not None
    assert [(p["where"], p["code"]) for p in response.json["errors"]] == [
        ("thresholds[1]", "thresholds_order"), ("thresholds[2]", "sub_ore"),
        ("percents[1]", "not_number")]
    assert client.get("/api/v1/refund-rates/2031", headers=auth("admin")).status_code == 404


def test_a_stale_change_is_a_409_and_changes_nothing(client: FlaskClient, auth: Auth) -> None:
    first = client.put("/api/v1/refund-rates/2022", headers=auth("admin"),
                       json={"version": 1, "note": "Første"})
    assert first.status_code == 200 and first.json is not None and first.json["version"] == 2
    stale = client.patch("/api/v1/refund-rates/2022", headers=auth("admin"),
                         json={"version": 1, "note": "Anden"})
    assert stale.status_code == 409 and stale.json is not None and stale.json["changes"]
    assert client.get("/api/v1/refund-rates/2022", headers=auth("admin")).json["note"] \
        == "Første"


def test_a_year_without_rates_or_outside_the_kept_years_is_a_404(
    client: FlaskClient, auth: Auth
) -> None:
    assert client.get("/api/v1/refund-rates/2030", headers=auth("manager")).status_code == 404
    assert client.get("/api/v1/refund-rates/99999", headers=auth("manager")).status_code == 404


def test_an_intervention_created_over_http_is_refundable_by_its_basis_unless_told(
    client: FlaskClient, auth: Auth
) -> None:
    case = client.get("/api/v1/cases", headers=auth("caseworker")).json["items"][0]["ref"]
    body = {"case": case, "title": "Anbringelse", "legal_basis": "Barnets lov § 46",
            "granted_by": "BFH", "paid_by": "BFH",
            "cost": {"amount": "90000.00", "per": "month", "start": "2026-01-01"}}
    made = client.post("/api/v1/interventions", headers=auth("caseworker"), json=body)
    assert made.status_code == 201 and made.json["refundable"] is True
    told = client.patch(f"/api/v1/interventions/{made.json['id']}", headers=auth("caseworker"),
                        json={"version": made.json["version"], "refundable": False})
    assert told.status_code == 200 and told.json["refundable"] is False
    bad = client.post("/api/v1/interventions", headers=auth("caseworker"),
                      json={**body, "refundable": "ja"})
    assert bad.status_code == 422
    assert [p["where"] for p in bad.json["errors"]] == ["refundable"]


def test_the_allocation_carries_the_refund_and_names_years_without_rates(
    client: FlaskClient, auth: Auth
) -> None:
    year = client.get("/api/v1/allocation?from=2026-01-01&to=2026-12-31",
                      headers=auth("manager")).json
    assert year["refunds"] and year["refund_missing_years"] == []
    assert set(year["net_totals"]) == set(year["totals"]) | set(year["refund_totals"])
    later = client.get("/api/v1/allocation?from=2027-01-01&to=2027-03-31",
                       headers=auth("manager")).json
    assert later["refunds"] == [] and later["refund_missing_years"] == ["2027"]
