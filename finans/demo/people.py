"""The demo municipality's departments and people: who works where, and the demo log-ins."""

from __future__ import annotations

from typing import Any, NamedTuple

Json = dict[str, Any]

DEMO_PASSWORD = "demo1234"
"""Password of every demo user: for demonstrations only, never in a production database."""


class DepartmentInfo(NamedTuple):
    """A demo department: code, Danish name, account string and the short name used in texts."""

    code: str
    name: str
    account: str
    short: str


DEPARTMENTS: tuple[DepartmentInfo, ...] = (
    DepartmentInfo("BFH", "Børn og Familie – børnehandicap", "5.28.21", "Børnehandicap"),
    DepartmentInfo("BFA", "Børn og Familie – anbringelser", "5.28.23", "Anbringelsesområdet"),
    DepartmentInfo("DAG", "Dagtilbud og specialdagtilbud", "5.25.17", "Dagtilbud"),
    DepartmentInfo("SKO", "Skole og PPR", "3.22.08", "Skole og PPR"),
    DepartmentInfo("JOB", "Jobcenter", "5.68.90", "Jobcentret"),
    DepartmentInfo("UNG", "Ungeindsats og STU", "3.30.46", "Ungeindsatsen"),
    DepartmentInfo("VOK", "Voksenhandicap", "5.38.52", "Voksenhandicap"),
    DepartmentInfo("SUN", "Sundhed og træning", "4.62.82", "Sundhed og træning"),
    DepartmentInfo("HJM", "Hjælpemidler", "5.30.38", "Hjælpemidler"),
)
SHORT_NAMES = {d.code: d.short for d in DEPARTMENTS}

PARTNERS: dict[str, tuple[str, ...]] = {
    "BFH": ("JOB", "SKO", "SUN", "HJM", "DAG", "BFA"),
    "BFA": ("BFH", "SKO", "SUN", "JOB"),
    "DAG": ("BFH", "SUN", "HJM", "SKO"),
    "SKO": ("BFH", "SUN", "UNG", "DAG"),
    "JOB": ("BFH", "SKO", "VOK"),
    "UNG": ("BFH", "VOK", "JOB", "SKO"),
    "VOK": ("UNG", "JOB", "HJM", "SUN"),
    "SUN": ("BFH", "DAG", "HJM"),
    "HJM": ("BFH", "VOK", "SUN"),
}
"""Departments a lead department typically shares a family with."""

_CASEWORKERS = {
    "BFH": "Anne Møller", "BFA": "Jonas Vestergaard", "DAG": "Camilla Frost",
    "SKO": "Rasmus Holm", "JOB": "Sara Lindberg", "UNG": "Mikkel Bang",
    "VOK": "Helle Skov", "SUN": "Nanna Krogh", "HJM": "Thomas Winther",
}
_CONTROLLERS = {
    "BFH": "Peter Kjær", "BFA": "Lise Dam", "DAG": "Martin Lund",
    "SKO": "Karina Bro", "JOB": "Søren Friis", "UNG": "Maja Storm",
    "VOK": "Henrik Aagaard", "SUN": "Julie Bech", "HJM": "Ole Falk",
}
REPRESENTATIVES = {
    "BFH": "Lone Thomsen", "BFA": "Kim Ravn", "DAG": "Tina Buus",
    "SKO": "Anders Kirk", "JOB": "Mette Koch", "UNG": "Jesper Hald",
    "VOK": "Susanne Brink", "SUN": "Line Juul", "HJM": "Bo Lykke",
}
"""The department representatives who give their word at joint assessment meetings."""

SURNAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen",
    "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Jeppesen",
    "Vinther", "Petersson", "Dahl", "Berg", "Bach", "Krogh", "Nørgaard",
)


def demo_departments() -> list[Json]:
    """The nine demo departments as scenario JSON."""
    return [{"code": d.code, "name": d.name, "account": d.account} for d in DEPARTMENTS]


def caseworker(code: str) -> str:
    """User name of a department's demo caseworker (``raadgiver.bfh``)."""
    return f"raadgiver.{code.lower()}"


def controller(code: str) -> str:
    """User name of a department's demo controller (``controller.bfh``)."""
    return f"controller.{code.lower()}"


DEMO_MAIL_DOMAIN = "kommune.example"
"""Demo users' e-mail addresses end in this reserved example domain, which no mail reaches."""


def demo_users() -> list[Json]:
    """One caseworker and one controller per department, a manager, a finance officer and an
    administrator.

    All share :data:`DEMO_PASSWORD`; each has an example address
    (``raadgiver.bfh@kommune.example``).
    """
    users: list[Json] = []
    for d in DEPARTMENTS:
        users.append({"username": caseworker(d.code), "name": _CASEWORKERS[d.code],
                      "role": "caseworker", "department": d.code})
        users.append({"username": controller(d.code), "name": _CONTROLLERS[d.code],
                      "role": "controller", "department": d.code})
    users.append({"username": "leder", "name": "Birgitte Dahl", "role": "manager",
                  "department": None})
    users.append({"username": "okonomi", "name": "Karen Holt", "role": "finance",
                  "department": None})
    users.append({"username": "admin", "name": "Systemadministrator", "role": "admin",
                  "department": None})
    return [{**user, "email": f"{user['username']}@{DEMO_MAIL_DOMAIN}"} for user in users]


def listing(codes: list[str]) -> str:
    """``Jobcentret, Dagtilbud og Hjælpemidler`` for people."""
    names = [SHORT_NAMES[code] for code in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} og {names[-1]}"
