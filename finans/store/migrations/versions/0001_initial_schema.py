"""Initial schema: departments, users, tokens, cases, interventions, splits, decisions, audit.

Revision ID: 0001
Revises: -
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('audit_entity_key', ['entity', 'key'], unique=False)
    op.create_table('cases',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(), nullable=False),
    sa.Column('family', sa.String(), nullable=False),
    sa.Column('coordinator', sa.String(), nullable=False),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_ref'), ['ref'], unique=True)
    op.create_table('departments',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('account', sa.String(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments'))
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_code'), ['code'], unique=True)

    settings = op.create_table('settings',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('min_departments', sa.Integer(), nullable=False),
    sa.Column('require_consent', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settings'))
    )
    # The model's default criteria: at least two departments and the family's consent.
    op.bulk_insert(settings, [{'id': 1, 'version': 1, 'min_departments': 2, 'require_consent': True}])
    op.create_table('case_departments',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_departments_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department'], ['departments.code'], name=op.f('fk_case_departments_department_departments')),
    sa.PrimaryKeyConstraint('case_id', 'department', name=op.f('pk_case_departments'))
    )
    op.create_table('interventions',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('legal_basis', sa.String(), nullable=False),
    sa.Column('granted_by', sa.String(), nullable=False),
    sa.Column('paid_by', sa.String(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('per', sa.String(), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.CheckConstraint("per IN ('once', 'week', 'month', 'year')", name=op.f('ck_interventions_per_allowed')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_interventions_amount_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_interventions_case_id_cases')),
    sa.ForeignKeyConstraint(['granted_by'], ['departments.code'], name=op.f('fk_interventions_granted_by_departments')),
    sa.ForeignKeyConstraint(['paid_by'], ['departments.code'], name=op.f('fk_interventions_paid_by_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interventions'))
    )
    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interventions_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interventions_granted_by'), ['granted_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_interventions_paid_by'), ['paid_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_interventions_public_id'), ['public_id'], unique=True)
    op.create_table('users',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('department', sa.String(), nullable=True),
    sa.Column('password_hash', sa.String(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("role IN ('caseworker', 'controller', 'manager', 'admin')", name=op.f('ck_users_role_allowed')),
    sa.ForeignKeyConstraint(['department'], ['departments.code'], name=op.f('fk_users_department_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_username'), ['username'], unique=True)
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(), nullable=False),
    sa.Column('token_hash', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)
    op.create_table('split_versions',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('method', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('alpha', sa.String(), nullable=True),
    sa.Column('shares', sa.JSON(), nullable=False),
    sa.Column('rationale', sa.String(), nullable=False),
    sa.Column('proposed_by', sa.String(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('fixed', 'equal', 'weighted', 'savings')", name=op.f('ck_split_versions_method_allowed')),
    sa.CheckConstraint("status IN ('draft', 'proposed', 'agreed', 'rejected')", name=op.f('ck_split_versions_status_allowed')),
    sa.ForeignKeyConstraint(['intervention_id'], ['interventions.id'], name=op.f('fk_split_versions_intervention_id_interventions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_split_versions'))
    )
    with op.batch_alter_table('split_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_split_versions_intervention_id'), ['intervention_id'], unique=False)
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('split_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(), nullable=False),
    sa.Column('decision', sa.String(), nullable=False),
    sa.Column('decided_by', sa.String(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('at_meeting', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.CheckConstraint("decision IN ('approve', 'reject')", name=op.f('ck_decisions_decision_allowed')),
    sa.ForeignKeyConstraint(['department'], ['departments.code'], name=op.f('fk_decisions_department_departments')),
    sa.ForeignKeyConstraint(['split_id'], ['split_versions.id'], name=op.f('fk_decisions_split_id_split_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('split_id', 'department', name='one_decision_per_department')
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_split_id'), ['split_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_split_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('split_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_split_versions_intervention_id'))

    op.drop_table('split_versions')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_username'))
        batch_op.drop_index(batch_op.f('ix_users_department'))

    op.drop_table('users')
    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interventions_public_id'))
        batch_op.drop_index(batch_op.f('ix_interventions_paid_by'))
        batch_op.drop_index(batch_op.f('ix_interventions_granted_by'))
        batch_op.drop_index(batch_op.f('ix_interventions_case_id'))

    op.drop_table('interventions')
    op.drop_table('case_departments')
    op.drop_table('settings')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_code'))

    op.drop_table('departments')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_ref'))

    op.drop_table('cases')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('audit_entity_key')

    op.drop_table('audit_log')
