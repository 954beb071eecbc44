"""targets tables (issue 4): adopted targets, versioned budget allocations, project assessments.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "target_adopted",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("interim_json", sa.Text(), nullable=False),
        sa.Column("base_level", sa.Float(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("clause", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("template_id", sa.String(length=120), nullable=True),
        sa.Column("adopted_by", sa.String(length=100), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_target_adopted_target_id", "target_adopted", ["target_id"])
    op.create_table(
        "budget_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("budget_units", sa.BigInteger(), nullable=False),
        sa.Column("unit_t", sa.Float(), nullable=False),
        sa.Column("reserve_units", sa.BigInteger(), nullable=False),
        sa.Column("parameters_json", sa.Text(), nullable=False),
        sa.Column("history", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=100), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "version"),
    )
    op.create_index("ix_budget_allocation_year", "budget_allocation", ["year"])
    op.create_table(
        "budget_allocation_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("allocation_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("enterprise", sa.String(length=200), nullable=False),
        sa.Column("sector_code", sa.String(length=8), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("allocated_units", sa.BigInteger(), nullable=False),
        sa.Column("expected_value_added", sa.Float(), nullable=True),
        sa.Column("intensity", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["allocation_id"], ["budget_allocation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_budget_allocation_line_allocation_id", "budget_allocation_line", ["allocation_id"])
    op.create_table(
        "project_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("sector_code", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("input_json", sa.Text(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=100), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("project_assessment")
    op.drop_index("ix_budget_allocation_line_allocation_id", table_name="budget_allocation_line")
    op.drop_table("budget_allocation_line")
    op.drop_index("ix_budget_allocation_year", table_name="budget_allocation")
    op.drop_table("budget_allocation")
    op.drop_index("ix_target_adopted_target_id", table_name="target_adopted")
    op.drop_table("target_adopted")
