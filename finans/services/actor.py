"""Who is acting: every service call names its actor, and the services check what it may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user does in finans (docs/access.md)."""

    CASEWORKER = "caseworker"
    CONTROLLER = "controller"
    MANAGER = "manager"
    FINANCE = "finance"
    ADMIN = "admin"


ROLE_NAMES = {
    Role.CASEWORKER: "rådgiver",
    Role.CONTROLLER: "controller",
    Role.MANAGER: "leder",
    Role.FINANCE: "økonomi",
    Role.ADMIN: "administrator",
}
"""Danish names of the roles, for people."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A logged-in user (or the command line, acting as administrator).

    Attributes:
      username: written to the audit log and to proposals and decisions.
      role: what the actor may do.
      department: the department code of a caseworker or controller.
    """

    username: str
    role: Role
    department: str | None = None
