"""Closed months and what they posted; an account string per intervention; the finance role.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('caseworker', 'controller', 'manager', 'admin')"
ROLES_AFTER = "role IN ('caseworker', 'controller', 'manager', 'finance', 'admin')"


def upgrade() -> None:
    op.create_table('closed_months',
    sa.Column('month', sa.String(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by', sa.String(), nullable=False),
    sa.CheckConstraint("length(month) = 7 AND substr(month, 5, 1) = '-' AND substr(month, 6, 2) BETWEEN '01' AND '12'", name=op.f('ck_closed_months_month_shape')),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_closed_months'))
    )
    op.create_table('posted_amounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posted_in', sa.String(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(), nullable=False),
    sa.Column('intervention', sa.String(), nullable=False),
    sa.Column('case_ref', sa.String(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.Column('paid_by', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('account', sa.String(), nullable=False),
    sa.Column('payer_account', sa.String(), nullable=False),
    sa.CheckConstraint('month <= posted_in', name=op.f('ck_posted_amounts_month_not_after_posting')),
    sa.ForeignKeyConstraint(['posted_in'], ['closed_months.month'], name=op.f('fk_posted_amounts_posted_in_closed_months')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posted_amounts')),
    sa.UniqueConstraint('posted_in', 'line', name='one_posting_per_line'),
    sa.UniqueConstraint('posted_in', 'month', 'intervention', 'department', 'paid_by', name='one_posting_per_key')
    )
    with op.batch_alter_table('posted_amounts', schema=None) as batch_op:
        batch_op.create_index('posted_amounts_month', ['month'], unique=False)

    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account', sa.String(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_allowed'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_allowed'), ROLES_AFTER)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_allowed'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_allowed'), ROLES_BEFORE)

    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.drop_column('account')

    with op.batch_alter_table('posted_amounts', schema=None) as batch_op:
        batch_op.drop_index('posted_amounts_month')

    op.drop_table('posted_amounts')
    op.drop_table('closed_months')
