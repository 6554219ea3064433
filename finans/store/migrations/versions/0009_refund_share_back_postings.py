"""The state refund's share-back among what closed months posted: a posted amount is unique per
household too, since a refund part passed on has no intervention.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-15
"""

from __future__ import annotations

from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BEFORE = ['posted_in', 'month', 'intervention', 'department', 'paid_by']
AFTER = ['posted_in', 'month', 'intervention', 'case_ref', 'department', 'paid_by']


def upgrade() -> None:
    with op.batch_alter_table('posted_amounts', schema=None) as batch_op:
        batch_op.drop_constraint('one_posting_per_key', type_='unique')
        batch_op.create_unique_constraint('one_posting_per_key', AFTER)


def downgrade() -> None:
    # The earlier schema has no place for the share-back (one row per intervention only).
    op.execute("DELETE FROM posted_amounts WHERE intervention = ''")
    with op.batch_alter_table('posted_amounts', schema=None) as batch_op:
        batch_op.drop_constraint('one_posting_per_key', type_='unique')
        batch_op.create_unique_constraint('one_posting_per_key', BEFORE)
