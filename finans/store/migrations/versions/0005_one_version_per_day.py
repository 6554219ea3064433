"""one agreed and one open split version per intervention and day

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00

Two partial unique indexes keep the workflow's rules in the database: at most one agreed version,
and at most one draft or proposal, per intervention and ``effective_from``. A database that already
breaks them is not changed: the upgrade stops and lists the versions to settle first (reject or
edit one of each pair in the version of finans that made them), since nothing saved is dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

RULES = (
    ("one_agreed_version_per_day", "status = 'agreed'", "aftalte"),
    ("one_open_version_per_day", "status IN ('draft', 'proposed')", "åbne (kladde eller forslag)"),
)


def _duplicates(condition: str) -> list[str]:
    rows = op.get_bind().execute(sa.text(
        "SELECT i.public_id, s.effective_from, COUNT(*) FROM split_versions s "
        "JOIN interventions i ON i.id = s.intervention_id "
        f"WHERE {condition} GROUP BY i.public_id, s.effective_from HAVING COUNT(*) > 1 "
        "ORDER BY i.public_id, s.effective_from"
    ))
    return [f"{public_id} fra {day}: {count}" for public_id, day, count in rows]


def upgrade() -> None:
    found = []
    for _, condition, words in RULES:
        found += [f"{words} versioner af {item}" for item in _duplicates(condition)]
    if found:
        raise RuntimeError(
            "Databasen har indsatser med flere fordelinger af samme slags fra samme dag; afvis "
            "eller ret dem, før databasen opdateres: " + "; ".join(found)
        )
    with op.batch_alter_table('split_versions', schema=None) as batch_op:
        for name, condition, _ in RULES:
            where = sa.text(condition)
            batch_op.create_index(name, ['intervention_id', 'effective_from'], unique=True,
                                  sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    with op.batch_alter_table('split_versions', schema=None) as batch_op:
        for name, _, _ in RULES:
            batch_op.drop_index(name)
