"""A small municipality and its people, shared by the store and service tests."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import Session, func, select

from finans.services.actor import Actor, Role
from finans.store.models import AuditEntry

ADMIN = Actor("admin", Role.ADMIN)
CASEWORKER = Actor("anna", Role.CASEWORKER, "BFH")
OUTSIDER = Actor("ole", Role.CASEWORKER, "SUN")
MANAGER = Actor("leder", Role.MANAGER)

SMALL: dict[str, Any] = {
    "departments": [
        {"code": "BFH", "name": "Børn og Familie – børnehandicap", "account": "5.28.21"},
        {"code": "JOB", "name": "Jobcenter", "account": "5.68.90"},
        {"code": "SKO", "name": "Skole og PPR", "account": "3.22.08"},
        {"code": "SUN", "name": "Sundhed og træning", "account": "4.62.82"},
    ],
    "cases": [
        {"ref": "S-2026-0001", "family": "Familie A", "coordinator": "anna", "consent": True,
         "assessed_on": "2026-01-10", "core_team": ["BFH", "JOB"]},
        {"ref": "S-2026-0002", "family": "Familie B", "coordinator": "bent", "consent": False,
         "core_team": ["SKO"]},
    ],
    "interventions": [
        {"id": "I-1", "case": "S-2026-0001", "title": "Aflastning",
         "legal_basis": "Barnets lov § 32", "granted_by": "BFH", "paid_by": "BFH",
         "cost": {"amount": "12000.00", "per": "month", "start": "2026-01-15", "end": "2026-12-31"},
         "splits": []},
        {"id": "I-2", "case": "S-2026-0002", "title": "Specialpædagogisk bistand",
         "legal_basis": "Folkeskoleloven § 3, stk. 2", "granted_by": "SKO", "paid_by": "SKO",
         "cost": {"amount": "5000.00", "per": "month", "start": "2026-02-01"},
         "splits": []},
    ],
}
"""Two cases; anna (BFH) coordinates the first, whose core team is BFH and JOB."""

FIXED_60_40 = {"effective_from": "2026-01-15", "method": "fixed",
               "shares": {"BFH": "60", "JOB": "40"}, "rationale": "Aftalt på den fælles udredning"}
WEIGHTED_JULY = {"effective_from": "2026-07-01", "method": "weighted", "alpha": "0.5",
                 "responsibility": {"BFH": "2", "JOB": "1"}, "benefit": {"BFH": "1", "JOB": "1"}}


def controller(code: str) -> Actor:
    """The controller of a department."""
    return Actor(f"controller.{code.lower()}", Role.CONTROLLER, code)


def small() -> dict[str, Any]:
    """A fresh copy of :data:`SMALL`."""
    return copy.deepcopy(SMALL)


def audit_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry)).one()
