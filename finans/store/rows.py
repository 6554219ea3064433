"""Reading rows as plain column tuples instead of ORM objects.

Read paths over a whole municipality (scenario records, dumps, lists) only need values; building an
ORM object per row costs about ten times as much as the tuple of its columns. :func:`columns`
selects every column of a table and :func:`fetch` returns the rows as named tuples whose fields
are called like the model's attributes, so :mod:`finans.store.mapping` reads them just like table
rows. The protocols name what can be read of each kind of row, from either.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, Protocol, cast

import sqlalchemy
from sqlalchemy import Row
from sqlmodel import Session, SQLModel
from sqlmodel.sql.expression import Select


def columns(model: type[SQLModel]) -> Select[Any]:
    """A select of every column of ``model``'s table (no ORM objects)."""
    return Select(*model.__table__.columns)  # type: ignore[attr-defined]


def fetch(session: Session, query: sqlalchemy.Select[*tuple[Any, ...]]) -> Sequence[Row[Any]]:
    """The query's rows as named tuples (the session is flushed first, as for ORM reads)."""
    # Selects built on sqlmodel's stay its own class at run time; only their types say SQLAlchemy.
    rows = session.exec(query).all()  # type: ignore[call-overload]
    return cast("Sequence[Row[Any]]", rows)


MAX_NAMED = 1000
"""Keys named in one query (``IN (…)``) at most; databases limit a query's parameters."""


def fetch_where_in(
    session: Session,
    query: sqlalchemy.Select[*tuple[Any, ...]],
    column: Any,
    keys: Collection[Any],
) -> Sequence[Row[Any]]:
    """The query's rows whose ``column`` holds one of ``keys``, read :data:`MAX_NAMED` keys at a
    time; the rows of each key come in the query's order."""
    named = list(keys)
    return [
        row
        for start in range(0, len(named), MAX_NAMED)
        for row in fetch(session, query.where(column.in_(named[start:start + MAX_NAMED])))
    ]


class CaseRow(Protocol):
    """A ``cases`` row, or its columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def ref(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def coordinator(self) -> str: ...
    @property
    def consent(self) -> bool: ...
    @property
    def assessed_on(self) -> date | None: ...
    @property
    def version(self) -> int: ...


class InterventionRow(Protocol):
    """An ``interventions`` row, or its columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def public_id(self) -> str: ...
    @property
    def case_id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def legal_basis(self) -> str: ...
    @property
    def granted_by(self) -> str: ...
    @property
    def paid_by(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def per(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date | None: ...
    @property
    def refundable(self) -> bool: ...
    @property
    def account(self) -> str | None: ...
    @property
    def version(self) -> int: ...


class SplitRow(Protocol):
    """A ``split_versions`` row, or its columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def intervention_id(self) -> int: ...
    @property
    def effective_from(self) -> date: ...
    @property
    def method(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def inputs(self) -> dict[str, Any]: ...
    @property
    def alpha(self) -> str | None: ...
    @property
    def shares(self) -> dict[str, str]: ...
    @property
    def rationale(self) -> str: ...
    @property
    def proposed_by(self) -> str: ...
    @property
    def proposed_at(self) -> datetime: ...
    @property
    def version(self) -> int: ...


class DecisionRow(Protocol):
    """A ``decisions`` row, or its columns."""

    @property
    def split_id(self) -> int: ...
    @property
    def department(self) -> str: ...
    @property
    def decision(self) -> str: ...
    @property
    def decided_by(self) -> str: ...
    @property
    def decided_at(self) -> datetime | None: ...
    @property
    def at_meeting(self) -> bool: ...
    @property
    def reason(self) -> str: ...
