"""A small municipality whose cases each department takes part in differently, and its people."""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

from finans.services.actor import Actor, Role

ROOT = Actor("root", Role.ADMIN)


class Person(NamedTuple):
    username: str
    role: Role
    department: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.department)


ANNA = Person("anna", Role.CASEWORKER, "BFH")
"""Coordinates S-1 (core team BFH and JOB)."""
OLE = Person("ole", Role.CASEWORKER, "SUN")
"""A caseworker of SUN, which is in no core team."""
CONTROLLER_BFH = Person("controller.bfh", Role.CONTROLLER, "BFH")
CONTROLLER_JOB = Person("controller.job", Role.CONTROLLER, "JOB")
CONTROLLER_SKO = Person("controller.sko", Role.CONTROLLER, "SKO")
CONTROLLER_SUN = Person("controller.sun", Role.CONTROLLER, "SUN")
"""SUN takes part in S-2 only through its share of I-2's agreed split."""
MANAGER = Person("leder", Role.MANAGER)
ADMIN = Person("admin", Role.ADMIN)
PEOPLE = (ANNA, OLE, CONTROLLER_BFH, CONTROLLER_JOB, CONTROLLER_SKO, CONTROLLER_SUN, MANAGER, ADMIN)

_COST = {"amount": "10000.00", "per": "month", "start": "2026-01-01", "end": "2027-12-31"}
TOWN: dict[str, Any] = {
    "departments": [
        {"code": "BFH", "name": "Børn og Familie", "account": "5.28.21"},
        {"code": "JOB", "name": "Jobcenter", "account": "5.68.90"},
        {"code": "SKO", "name": "Skole og PPR", "account": "3.22.08"},
        {"code": "SUN", "name": "Sundhed", "account": "4.62.82"},
        {"code": "VOK", "name": "Voksenhandicap", "account": "5.38.50"},
    ],
    "cases": [
        {"ref": "S-1", "family": "Familie A", "coordinator": "anna", "consent": True,
         "core_team": ["BFH", "JOB"]},
        {"ref": "S-2", "family": "Familie B", "coordinator": "sofie", "consent": True,
         "core_team": ["SKO"]},
        {"ref": "S-3", "family": "Familie C", "coordinator": "vera", "consent": False,
         "core_team": ["VOK"]},
    ],
    "interventions": [
        {"id": "I-1", "case": "S-1", "title": "Aflastning", "legal_basis": "Barnets lov § 32",
         "granted_by": "BFH", "paid_by": "BFH", "cost": _COST, "splits": []},
        {"id": "I-2", "case": "S-2", "title": "Støtte i skolen", "legal_basis": "FSL § 3",
         "granted_by": "SKO", "paid_by": "SKO", "cost": _COST, "splits": [
             {"effective_from": "2026-01-01", "method": "fixed", "status": "agreed",
              "shares": {"SKO": "50", "SUN": "50"},
              "decisions": [
                  {"department": "SKO", "decision": "approve", "by": "controller.sko",
                   "at": "2025-12-01T10:00:00"},
                  {"department": "SUN", "decision": "approve", "by": "controller.sun",
                   "at": "2025-12-02T10:00:00"},
              ]},
         ]},
        {"id": "I-3", "case": "S-3", "title": "Bostøtte", "legal_basis": "SEL § 85",
         "granted_by": "VOK", "paid_by": "VOK", "cost": _COST, "splits": []},
        {"id": "I-4", "case": "S-1", "title": "Mentor", "legal_basis": "LAB § 31 b",
         "granted_by": "JOB", "paid_by": "JOB", "cost": _COST, "splits": []},
        {"id": "I-5", "case": "S-1", "title": "Fysioterapi", "legal_basis": "SUL § 140",
         "granted_by": "BFH", "paid_by": "BFH", "cost": _COST, "splits": []},
    ],
}
"""S-1: BFH and JOB in the core team. S-2: SKO's case, SUN has a share of I-2's split. S-3: VOK's
alone."""


def town() -> dict[str, Any]:
    """A fresh copy of :data:`TOWN`."""
    return copy.deepcopy(TOWN)
