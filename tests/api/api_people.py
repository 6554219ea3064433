"""Who calls the API in the tests, and the day the demo data is dated from."""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 11, 23)
PASSWORD = "hemmelig-kode"
USERS = {
    "admin": ("admin", None),
    "manager": ("manager", None),
    "finance": ("finance", None),
    "controller": ("controller", "JOB"),
    "other_controller": ("controller", "BFH"),
    "caseworker": ("caseworker", "BFH"),
}
"""Test role → (role, department). Users are named after the test role."""
