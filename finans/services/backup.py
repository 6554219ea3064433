"""Backups of everything a restore needs, and restoring one into an empty database.

A backup is JSON: ``{"format": "finans-backup", "format_version": 1, "schema": "<migration>",
"created_at": …, "password_hashes": bool, "tables": {table: [row, …]}}`` with the tables of
:data:`finans.store.backup.BACKED_UP`. Users' password hashes are left out unless asked for; a user
restored without one cannot log in until an administrator sets a password. A restore goes only into
an empty database (after ``finans init``), checks every row first and reports problems by location
(``tables.users[3].role``), then inserts everything in one transaction with the rows' own ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from finans.allocation.problems import Problem
from finans.services import audit
from finans.services.actor import Actor
from finans.services.errors import Refusal
from finans.store import backup
from finans.store.timestamps import now

FORMAT = "finans-backup"
FORMAT_VERSION = 1
Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What a restore found and did: rows per table, users left without a password."""

    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    without_password: list[str] = field(default_factory=list)
    applied: bool = False


def make_backup(session: Session, *, with_password_hashes: bool = False) -> Json:
    """Every backed-up table's rows, as one snapshot: changes committed while the backup is read
    are either all in it or not at all."""
    if session.get_bind().dialect.name == "postgresql":
        connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        connection = session.connection()
        connection.exec_driver_sql("BEGIN")  # SQLite reads one snapshot inside a transaction
    data = {
        table.name: backup.read_rows(connection, table, secrets=with_password_hashes)
        for table in backup.tables()
    }
    revision = backup.schema_revision(connection)
    session.rollback()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": revision,
        "created_at": now().isoformat(),
        "password_hashes": with_password_hashes,
        "tables": data,
    }


def _header_problems(data: object) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("not_backup", "Filen er ikke en sikkerhedskopi fra finans", "")]
    if data.get("format") != FORMAT:
        return [Problem("not_backup", "Filen er ikke en sikkerhedskopi fra finans", "format")]
    if data.get("format_version") != FORMAT_VERSION:
        message = f"Kun sikkerhedskopier i version {FORMAT_VERSION} kan genskabes"
        return [Problem("backup_version", message, "format_version")]
    if not isinstance(data.get("tables"), dict):
        return [Problem("missing", "Skal være et objekt med en liste pr. tabel", "tables")]
    unknown = sorted(set(data["tables"]) - set(backup.BACKED_UP))
    return [Problem("unknown_table", "Ukendt tabel", f"tables.{name}") for name in unknown]


def _rows(table: Any, rows: object, where: str) -> tuple[list[Json], list[Problem]]:
    """The rows of one table as stored values, or the problems of each."""
    if not isinstance(rows, list):
        return [], [Problem("not_list", "Skal være en liste af rækker", where)]
    columns = {column.name: column for column in table.columns}
    required = backup.required_columns(table)
    values, problems = [], []
    for index, row in enumerate(rows):
        at = f"{where}[{index}]"
        if not isinstance(row, dict):
            problems.append(Problem("not_object", "Skal være et objekt", at))
            continue
        problems += [Problem("unknown_column", "Ukendt kolonne", f"{at}.{name}")
                     for name in sorted(set(row) - set(columns))]
        problems += [Problem("missing", "Mangler", f"{at}.{name}")
                     for name in sorted(required - set(row))]
        stored = {}
        for name, value in row.items():
            if name in columns:
                stored[name], wrong = backup.column_value(columns[name], value)
                if wrong:
                    problems.append(Problem("bad_value", f"Værdien {wrong}", f"{at}.{name}"))
        values.append(stored)
    return values, problems


def _is_empty(session: Session) -> bool:
    return all(
        table.name in backup.SEEDED
        or session.execute(select(func.count()).select_from(table)).scalar_one() == 0
        for table in backup.tables()
    )


def restore_backup(
    session: Session, *, actor: Actor, data: Mapping[str, object] | object, apply: bool = False
) -> RestoreReport:
    """Check a backup and, with ``apply``, restore it into this empty database."""
    problems = _header_problems(data)
    if problems:
        return RestoreReport(problems)
    assert isinstance(data, dict)
    if not _is_empty(session):
        raise Refusal("Databasen er ikke tom. En sikkerhedskopi genskabes kun i en tom database "
                      "(kør 'finans init' på en ny database først).")
    prepared = []
    for table in backup.tables():
        rows, found = _rows(table, data["tables"].get(table.name, []), f"tables.{table.name}")
        problems += found
        prepared.append((table, rows))
    counts = {table.name: len(rows) for table, rows in prepared}
    without = sorted(str(row["username"]) for table, rows in prepared if table.name == "users"
                     for row in rows if not row.get("password_hash"))
    if problems or not apply:
        return RestoreReport(problems, counts, without)
    try:
        for table, rows in prepared:
            if table.name in backup.SEEDED:
                session.execute(delete(table))
            if rows:
                session.execute(table.insert(), rows)
        backup.reset_sequences(session.connection())
        audit.record(session, actor, "restore", "database", "backup", after={
            "tables": len(counts), "rows": sum(counts.values()),
        })
        session.commit()
    except IntegrityError as error:
        session.rollback()
        detail = str(error.orig).strip().splitlines()[0]
        return RestoreReport([Problem("inconsistent", f"Rækkerne hænger ikke sammen: {detail}",
                                      "tables")], counts, without)
    return RestoreReport([], counts, without, applied=True)
