"""refund rates per year; refundable interventions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 04:00:00

Seeds the statutory 2022 level of the refund (860.000 / 1.680.000 / 2.120.000 kr., 25 / 50 / 75 %)
and marks existing interventions refundable by their legal basis, as new ones are.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from finans.allocation.legal_basis import refundable_by_default

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    rates = op.create_table('refund_rates',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('threshold_1', sa.BigInteger(), nullable=False),
    sa.Column('threshold_2', sa.BigInteger(), nullable=False),
    sa.Column('threshold_3', sa.BigInteger(), nullable=False),
    sa.Column('percent_1', sa.String(), nullable=False),
    sa.Column('percent_2', sa.String(), nullable=False),
    sa.Column('percent_3', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('statutory', sa.Boolean(), nullable=False),
    sa.CheckConstraint('threshold_1 < threshold_2 AND threshold_2 < threshold_3', name=op.f('ck_refund_rates_thresholds_ascending')),
    sa.CheckConstraint('threshold_1 >= 0', name=op.f('ck_refund_rates_threshold_not_negative')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_refund_rates'))
    )
    op.bulk_insert(rates, [{
        'version': 1, 'year': 2022,
        'threshold_1': 86_000_000, 'threshold_2': 168_000_000, 'threshold_3': 212_000_000,
        'percent_1': '25', 'percent_2': '50', 'percent_3': '75',
        'note': 'Lovens beløb i 2022-niveau (Barnets lov § 198, Serviceloven § 176)',
        'statutory': True,
    }])

    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refundable', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    interventions = sa.table('interventions', sa.column('id', sa.Integer),
                             sa.column('legal_basis', sa.String),
                             sa.column('refundable', sa.Boolean))
    connection = op.get_bind()
    rows = connection.execute(sa.select(interventions.c.id, interventions.c.legal_basis))
    refundable = [row.id for row in rows if refundable_by_default(row.legal_basis)]
    for start in range(0, len(refundable), 1000):
        connection.execute(
            interventions.update()
            .where(interventions.c.id.in_(refundable[start:start + 1000]))
            .values(refundable=True)
        )
    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.alter_column('refundable', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.drop_column('refundable')

    op.drop_table('refund_rates')
