"""The database tables (SQLModel).

Money is integer øre (``BIGINT``); split inputs are decimal text and resolved shares are exact
fraction text (``"7/12"``) in JSON columns, so nothing ever passes through binary floating point.
Departments are referenced by their code, which never changes. Every record people edit carries a
``version`` that SQLAlchemy checks on each update (``UPDATE … WHERE version = :read``), so a save
over someone else's change fails instead of overwriting it. No table has a place for a CPR number:
cases are known by journal number.

Rows stay inside the store and the services: :mod:`finans.store.mapping` turns them into the
engine's records and into scenario JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

ROLES = ("caseworker", "controller", "manager", "finance", "admin")
PERS = ("once", "week", "month", "year")
METHODS = ("fixed", "equal", "weighted", "savings")
STATUSES = ("draft", "proposed", "agreed", "rejected")
DECISIONS = ("approve", "reject")

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, so that later migrations can alter them (also on SQLite)."""


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


def _unique_where(name: str, condition: str) -> Index:
    """At most one version per intervention and day among the rows meeting ``condition`` (a
    partial unique index, which SQLite and PostgreSQL both keep)."""
    where = text(condition)
    return Index(name, "intervention_id", "effective_from", unique=True,
                 sqlite_where=where, postgresql_where=where)


def _department(*, nullable: bool = False) -> Any:
    """A reference to a department by code."""
    return Field(
        default=None if nullable else ...,
        sa_column=Column(String, ForeignKey("departments.code"), nullable=nullable, index=True),
    )


class Versioned(SQLModel):
    """A record people edit: ``version`` starts at 1 and grows by one with every update."""

    version: int = Field(default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Department(Versioned, table=True):
    """A budget holder (forvaltning/afdeling); inactive ones keep their history."""

    __tablename__: ClassVar[str] = "departments"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)
    name: str
    account: str = ""
    active: bool = True


class User(Versioned, table=True):
    """A person who logs in; caseworkers and controllers belong to a department.

    ``email`` is where notifications go (empty: none); ``mail_enabled`` is the user's own choice
    to receive them.
    """

    __tablename__: ClassVar[str] = "users"
    __table_args__ = (_one_of("role", ROLES),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    name: str = ""
    role: str
    department: str | None = _department(nullable=True)
    password_hash: str
    active: bool = True
    email: str = ""
    mail_enabled: bool = True


class ApiToken(SQLModel, table=True):
    """An API token; only its SHA-256 hash is stored, and its first characters to recognise it.

    A token works until ``expires_at`` unless ``revoked_at`` is set; ``last_used_at`` is kept to
    the minute so that owners can see which tokens are still in use.
    """

    __tablename__: ClassVar[str] = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    prefix: str
    token_hash: str = Field(unique=True)
    created_at: datetime
    label: str = ""
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginSession(SQLModel, table=True):
    """A log-in in a browser: the session cookie names it, and deleting the row ends it.

    Only the SHA-256 hash of the cookie's random key is stored, so the table gives no one a way
    in. Log-out deletes the row; a password change or deactivation deletes all of a user's rows.
    """

    __tablename__: ClassVar[str] = "login_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    key_hash: str = Field(unique=True)
    created_at: datetime


class Case(Versioned, table=True):
    """One family's joint case, known by journal number."""

    __tablename__: ClassVar[str] = "cases"

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True, index=True)
    family: str = ""
    coordinator: str = ""
    consent: bool = False
    assessed_on: date | None = None


class CaseDepartment(SQLModel, table=True):
    """A department in a case's core team."""

    __tablename__: ClassVar[str] = "case_departments"

    case_id: int = Field(foreign_key="cases.id", primary_key=True, ondelete="CASCADE")
    department: str = Field(foreign_key="departments.code", primary_key=True)


class Intervention(Versioned, table=True):
    """Something a family receives that costs money; ``amount`` is øre per ``per``.

    ``refundable``: its cost counts toward the state refund for expensive cases. Always stored
    as given; the services set it from the legal basis when an intervention is created without
    it (:mod:`finans.allocation.legal_basis`). ``account``: the account string the payer books it
    on when that is not the payer's own.
    """

    __tablename__: ClassVar[str] = "interventions"
    __table_args__ = (_one_of("per", PERS), CheckConstraint("amount >= 0", name="amount_positive"))

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(unique=True, index=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    title: str
    legal_basis: str = ""
    granted_by: str = _department()
    paid_by: str = _department()
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    per: str
    start: date
    end: date | None = None
    refundable: bool = False
    account: str | None = None


class SplitVersion(Versioned, table=True):
    """One version of an intervention's lagkage.

    An intervention has at most one agreed version and at most one draft or proposal per
    ``effective_from`` (the workflow's rules, docs/workflow.md, kept by the database too).

    ``inputs`` holds the method's inputs exactly as decimal text (``{"shares": {"BFH": "60"}}``,
    ``{"departments": [...]}``, ``{"responsibility": {...}, "benefit": {...}}`` or
    ``{"savings": {...}}``); ``alpha`` is decimal text for ``weighted`` only; ``shares`` holds the
    resolved shares as fraction text (``{"BFH": "7/12"}``), departments with share 0 left out.
    """

    __tablename__: ClassVar[str] = "split_versions"
    __table_args__ = (
        _one_of("method", METHODS),
        _one_of("status", STATUSES),
        _unique_where("one_agreed_version_per_day", "status = 'agreed'"),
        _unique_where("one_open_version_per_day", "status IN ('draft', 'proposed')"),
    )

    id: int | None = Field(default=None, primary_key=True)
    intervention_id: int = Field(foreign_key="interventions.id", index=True)
    effective_from: date
    method: str
    status: str
    inputs: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    alpha: str | None = None
    shares: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    rationale: str = ""
    proposed_by: str = ""
    proposed_at: datetime


class Decision(SQLModel, table=True):
    """A department's approval or rejection of a split version; one per department and version.

    ``decided_by`` is the user name, or the representative's name when ``at_meeting``.
    """

    __tablename__: ClassVar[str] = "decisions"
    __table_args__ = (
        UniqueConstraint("split_id", "department", name="one_decision_per_department"),
        _one_of("decision", DECISIONS),
    )

    id: int | None = Field(default=None, primary_key=True)
    split_id: int = Field(foreign_key="split_versions.id", index=True, ondelete="CASCADE")
    department: str = Field(foreign_key="departments.code")
    decision: str
    decided_by: str = ""
    decided_at: datetime | None = None
    at_meeting: bool = False
    reason: str = ""


class Setting(Versioned, table=True):
    """The municipality's criteria for joint financing; a single row with ``id`` 1."""

    __tablename__: ClassVar[str] = "settings"

    id: int | None = Field(default=None, primary_key=True)
    min_departments: int = 2
    require_consent: bool = True


class AuditEntry(SQLModel, table=True):
    """One change made through the services: who, when, what, before → after (append-only)."""

    __tablename__: ClassVar[str] = "audit_log"
    __table_args__ = (Index("audit_entity_key", "entity", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    actor: str
    at: datetime
    action: str
    entity: str
    key: str
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ClosedMonth(SQLModel, table=True):
    """A month closed for postings (``YYYY-MM``): what it posted is frozen in ``posted_amounts``.

    The primary key makes a month closable once, so two closes at the same moment cannot both
    freeze it; nothing ever updates or deletes a row (a closed month is never reopened).
    """

    __tablename__: ClassVar[str] = "closed_months"
    __table_args__ = (
        CheckConstraint(
            "length(month) = 7 AND substr(month, 5, 1) = '-' "
            "AND substr(month, 6, 2) BETWEEN '01' AND '12'",
            name="month_shape",
        ),
    )

    month: str = Field(primary_key=True)
    closed_at: datetime
    closed_by: str


class PostedAmount(SQLModel, table=True):
    """What one department bore of one intervention for ``month``, as posted in the closed month
    ``posted_in``: the month's own allocation (``month == posted_in``) or a correction of an
    earlier month. A row without an intervention is the part of the household's (``case_ref``)
    state refund passed on to ``department`` from the payer ``paid_by`` (negative: its cost went
    down). The account strings are those the legs were booked on and ``line`` is the order the
    month posted them in, so a closed month's posting file is written again exactly as it was."""

    __tablename__: ClassVar[str] = "posted_amounts"
    __table_args__ = (
        UniqueConstraint("posted_in", "month", "intervention", "case_ref", "department",
                         "paid_by", name="one_posting_per_key"),
        UniqueConstraint("posted_in", "line", name="one_posting_per_line"),
        CheckConstraint("month <= posted_in", name="month_not_after_posting"),
        Index("posted_amounts_month", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    posted_in: str = Field(
        sa_column=Column(String, ForeignKey("closed_months.month"), nullable=False)
    )
    line: int
    month: str
    intervention: str
    case_ref: str
    department: str
    paid_by: str
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    account: str
    payer_account: str


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_audit_change(*_: object) -> None:
    raise RuntimeError("The audit log is append-only")


@event.listens_for(ClosedMonth, "before_update")
@event.listens_for(ClosedMonth, "before_delete")
@event.listens_for(PostedAmount, "before_update")
@event.listens_for(PostedAmount, "before_delete")
def _refuse_reopening(*_: object) -> None:
    raise RuntimeError("Closed months and what they posted are never changed")
