"""The audit log shows recorded values the Danish way: ja/nej, dates, kroner, shares and answers,
never Python's own spelling of them."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask import Flask
from sqlmodel import Session

from finans.services import departments, interventions, splits
from finans.services.actor import Actor, Role
from tests.web.webclient import CASEWORKER, YEAR, Client, DemoFacts

ADMIN = Actor("admin", Role.ADMIN, None)
CONTROLLER_JOB = Actor("controller.job", Role.CONTROLLER, "JOB")


@pytest.fixture
def log_page(session: Session, facts: DemoFacts, login: Callable[[str], Client]) -> str:
    """The log's first page (as text, entities unescaped) after changes made through the
    services: a new intervention, a savings split approved at the meeting, changed and rejected,
    and a department closed."""
    intervention = interventions.create_intervention(session, actor=CASEWORKER, data={
        "case": facts.case, "title": "Familiebehandling", "legal_basis": "Barnets lov § 32",
        "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "12000.00", "per": "month", "start": f"{YEAR}-01-01"},
    })
    split = splits.propose_split(session, actor=CASEWORKER, intervention=intervention.id, data={
        "effective_from": f"{YEAR}-01-01", "method": "savings",
        "savings": {"BFH": "16000.00", "JOB": "8000.00"},
    })
    split = splits.record_meeting_approvals(session, actor=CASEWORKER, split_id=split.id,
                                            representatives={"BFH": "Kim Ravn"})
    split = splits.update_split(session, actor=CASEWORKER, split_id=split.id,
                                version=split.version,
                                data={"savings": {"BFH": "16000.00", "JOB": "16000.00"}})
    splits.decide(session, actor=CONTROLLER_JOB, split_id=split.id, decision="reject",
                  reason="Ingen gevinst for Jobcentret", version=split.version)
    department = departments.get_department(session, code="SUN")
    departments.update_department(session, actor=ADMIN, code="SUN",
                                  version=department.version, data={"active": False})
    response = login("leder").get("/revisionslog")
    assert response.status_code == 200
    return html.unescape(response.text)


def test_the_audit_log_shows_yes_and_no_for_a_department_closed(log_page: str) -> None:
    assert "aktiv: ja → nej" in log_page


def test_the_audit_log_shows_amounts_in_kroner_and_dates_the_danish_way(log_page: str) -> None:
    assert "beløb: – → 12.000,00 kr." in log_page
    assert f"start: – → 01-01-{YEAR}" in log_page
    assert f"gælder fra: – → 01-01-{YEAR}" in log_page
    assert re.search(r"– → \d{2}-\d{2}-\d{4} kl\. \d{2}:\d{2}<", log_page)


def test_the_audit_log_shows_a_splits_inputs_and_shares_in_danish(log_page: str) -> None:
    assert ("fordeling: besparelse: BFH 16.000,00 kr., JOB 8.000,00 kr. → "
            "besparelse: BFH 16.000,00 kr., JOB 16.000,00 kr.") in log_page
    assert "andele: BFH 66,7 %, JOB 33,3 % → BFH 50,0 %, JOB 50,0 %" in log_page
    assert "metode: – → Efter besparelse" in log_page


def test_the_audit_log_shows_the_answers_a_split_had_as_sentences(log_page: str) -> None:
    assert "godkendelser: BFH godkendt af Kim Ravn → –" in log_page
    assert "status: Foreslået → Afvist" in log_page


def test_the_audit_log_never_shows_python_values(log_page: str) -> None:
    for python in ("True", "False", "None", "{'", "[{", "['"):
        assert python not in log_page


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("godkendelser", [{"department": "BFA", "decision": "approve", "by": "Kim Ravn",
                       "at_meeting": True}], "BFA godkendt af Kim Ravn (på mødet)"),
    ("godkendelser", [{"department": "JOB", "decision": "reject", "by": "controller.job",
                       "reason": "Ingen gevinst"}], "JOB afvist af controller.job: Ingen gevinst"),
    ("fordeling", {"shares": {"BFH": "60", "JOB": "40"}}, "andele: BFH 60 %, JOB 40 %"),
    ("fordeling", {"responsibility": {"BFH": "2"}, "benefit": {"JOB": "1.5"}},
     "ansvar: BFH 2; gevinst: JOB 1,5"),
    ("fordeling", {"departments": ["BFH", "DAG"]}, "afdelinger: BFH, DAG"),
    ("andele", {"BFH": "7/12", "JOB": "5/12"}, "BFH 58,3 %, JOB 41,7 %"),
    ("vægt ansvar", "0.3", "30,0 %"),
    ("beløb", 659000000, "6.590.000,00 kr."),
    ("year", 2026, "2026"),
    ("kerneteam", ["BFH", "JOB"], "BFH, JOB"),
    ("samtykke", False, "nej"),
    ("slut", None, "–"),
    ("udredningsdato", "2026-11-23", "23-11-2026"),
    ("udredningsdato", "2026-02-31", "2026-02-31"),
    ("indsats", "2026-11-23 er en dato i teksten", "2026-11-23 er en dato i teksten"),
])
def test_each_kind_of_recorded_value_reads_in_danish(
    app: Flask, field: str, value: object, shown: str
) -> None:
    assert app.jinja_env.filters["audit_value"](value, field) == shown
