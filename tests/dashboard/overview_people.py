"""The day the overview tests look from, and the people who look."""

from __future__ import annotations

from datetime import date

from finans.services.actor import Actor, Role

TODAY = date(2026, 11, 23)
"""The demo is dated back from this day, and the figures are followed up as of it."""
ADMIN = Actor("admin", Role.ADMIN)
MANAGER = Actor("leder", Role.MANAGER)
CASEWORKER = Actor("raadgiver.bfh", Role.CASEWORKER, "BFH")


def controller(code: str) -> Actor:
    return Actor(f"controller.{code.lower()}", Role.CONTROLLER, code)
