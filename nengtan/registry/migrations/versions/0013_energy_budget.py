"""energy-use budgets and energy reviews (issue 14).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('energy_budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('budget_tce', sa.Float(), nullable=False),
    sa.Column('reserve_tce', sa.Float(), nullable=False),
    sa.Column('parameters', sa.Text(), nullable=False),
    sa.Column('lines', sa.Text(), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('year', 'version')
    )
    op.create_index('ix_energy_budget_year', 'energy_budget', ['year'], unique=False)
    op.create_table('energy_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=18), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('energy_tce', sa.Float(), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('approval_no', sa.String(length=60), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['project_assessment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_energy_review_year', 'energy_review', ['year'], unique=False)
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table("energy_review")
    op.drop_table("energy_budget")
