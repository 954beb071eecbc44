"""carbon assets (issue 12): compliance years, allowance movements and CCER lots.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("allowance_movement", "ccer_lot", "compliance_year")


def upgrade() -> None:
    op.create_table('allowance_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tonnes', sa.Float(), nullable=False),
    sa.Column('counterparty', sa.String(length=100), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_allowance_movement_enterprise_id', 'allowance_movement', ['enterprise_id'], unique=False)
    op.create_table('ccer_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=80), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('methodology', sa.String(length=80), nullable=False),
    sa.Column('vintage', sa.Integer(), nullable=False),
    sa.Column('tonnes', sa.Float(), nullable=False),
    sa.Column('project_in_boundary', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('used_for', sa.Integer(), nullable=True),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('serial')
    )
    op.create_index('ix_ccer_lot_enterprise_id', 'ccer_lot', ['enterprise_id'], unique=False)
    op.create_table('compliance_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('verified_t', sa.Float(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('settled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enterprise_id', 'year')
    )
    op.create_index('ix_compliance_year_enterprise_id', 'compliance_year', ['enterprise_id'], unique=False)


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)
