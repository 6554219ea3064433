"""What a backup holds, and how table rows become JSON and back.

:data:`BACKED_UP` lists every table a restore needs; :data:`LEFT_OUT` every other table, with the
reason. A table added later goes in one of the two (a test fails until it does); nothing else is
needed for a new table to be backed up and restored. Rows are written column by column: integers
and texts as they are, times as ISO text in UTC, dates as ISO text, JSON columns as JSON.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Connection, Table, select
from sqlmodel import SQLModel

from finans.store.db import load_models
from finans.store.timestamps import as_utc

Row = dict[str, Any]

BACKED_UP = (
    "departments", "users", "settings", "cases", "case_departments", "interventions",
    "split_versions", "decisions", "budgets", "refund_rates", "closed_months", "posted_amounts",
    "audit_log", "outbox",
)
"""The tables a backup holds."""

LEFT_OUT = {
    "api_tokens": "a token's hash lets nobody in, but a restored one could never be shown again; "
                  "users create new tokens after a restore",
    "login_sessions": "a restore ends every log-in",
    "alembic_version": "written by 'finans init'",
}
"""The tables a backup leaves out, and why."""

SEEDED = {"settings", "refund_rates"}
"""Tables the migrations fill; a restore replaces their rows with the backup's."""

SECRET_COLUMNS = {("users", "password_hash")}
"""Left empty in a backup unless password hashes are asked for."""


def tables() -> list[Table]:
    """The backed-up tables, each after the tables it refers to."""
    load_models()
    return [table for table in SQLModel.metadata.sorted_tables if table.name in BACKED_UP]


def schema_revision(connection: Connection) -> str | None:
    """The migration the database is at, read on this connection."""
    return MigrationContext.configure(connection).get_current_revision()


def _json(value: object) -> object:
    if isinstance(value, datetime):
        return as_utc(value).astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_rows(connection: Connection, table: Table, *, secrets: bool) -> list[Row]:
    """Every row of ``table`` as JSON, by primary key; secret columns empty unless ``secrets``."""
    rows = connection.execute(select(table).order_by(*table.primary_key.columns))
    result = []
    for row in rows.mappings():
        data = {name: _json(value) for name, value in row.items()}
        for column in table.columns:
            if (table.name, column.name) in SECRET_COLUMNS and not secrets:
                data[column.name] = ""
        result.append(data)
    return result


def _kind(column: Any) -> str:
    if isinstance(column.type, JSON):
        return "json"
    python_type = getattr(column.type, "impl_instance", column.type).python_type
    for kind, types in (("boolean", bool), ("integer", int), ("datetime", datetime),
                        ("date", date), ("text", str)):
        if issubclass(python_type, types):
            return kind
    raise TypeError(f"backups cannot hold a {python_type} column")  # a new type: teach it here


KIND_NAMES = {"boolean": "true eller false", "integer": "et helt tal", "datetime": "et tidspunkt",
              "date": "en dato", "text": "tekst"}


def column_value(column: Any, value: object) -> tuple[object, str]:
    """The stored value of one JSON value for ``column``, or what it should have been."""
    kind = _kind(column)
    if value is None:
        return (None, "") if column.nullable else (None, "må ikke mangle")
    if kind == "json":
        return value, ""
    wrong = f"skal være {KIND_NAMES[kind]}"
    if kind == "boolean":
        return (value, "") if isinstance(value, bool) else (None, wrong)
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, "") if ok else (None, wrong)
    if not isinstance(value, str):
        return None, wrong
    if kind == "text":
        return value, ""
    try:
        if kind == "date":
            return date.fromisoformat(value), ""
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, wrong
    return (moment, "") if moment.tzinfo is not None else (None, "skal have en tidszone")


def required_columns(table: Table) -> set[str]:
    """Columns a row must give: not nullable and without a default."""
    return {
        column.name for column in table.columns
        if not column.nullable and column.default is None and column.server_default is None
        and not (column.primary_key and column.autoincrement is True)
    }


def reset_sequences(connection: Connection) -> None:
    """After rows were inserted with their ids, new rows must get ids after them (PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        column = table.columns.get("id")
        if column is None or not column.primary_key:
            continue
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
        )
