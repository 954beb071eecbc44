"""ingest tables (issue 3): gateways and their meters, 205-1 statement lines, data-quality results.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("token_sha256"),
    )
    op.create_index("ix_gateway_enterprise_id", "gateway", ["enterprise_id"])
    op.create_table(
        "gateway_meter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway_id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["gateway_id"], ["gateway.id"]),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gateway_id", "meter_id"),
    )
    op.create_index("ix_gateway_meter_gateway_id", "gateway_meter", ["gateway_id"])
    op.create_index("ix_gateway_meter_meter_id", "gateway_meter", ["meter_id"])
    op.create_table(
        "statement_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("energy_name", sa.String(length=64), nullable=False),
        sa.Column("energy_code", sa.String(length=8), nullable=False),
        sa.Column("carrier", sa.String(length=32), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("opening_stock", sa.Float(), nullable=True),
        sa.Column("purchase_quantity", sa.Float(), nullable=True),
        sa.Column("purchase_amount", sa.Float(), nullable=True),
        sa.Column("consumption_total", sa.Float(), nullable=True),
        sa.Column("industrial_use", sa.Float(), nullable=True),
        sa.Column("raw_material_use", sa.Float(), nullable=True),
        sa.Column("closing_stock", sa.Float(), nullable=True),
        sa.Column("coefficient", sa.Float(), nullable=True),
        sa.Column("library_coefficient", sa.Float(), nullable=True),
        sa.Column("coefficient_flag", sa.Text(), nullable=True),
        sa.Column("energy_quantity", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enterprise_id", "period", "energy_code", "version"),
    )
    op.create_index("ix_statement_line_enterprise_id", "statement_line", ["enterprise_id"])
    op.create_index("ix_statement_line_period", "statement_line", ["period"])
    op.create_table(
        "quality_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("estimated", sa.Integer(), nullable=False),
        sa.Column("completeness", sa.Float(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("total_estimated", sa.Float(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meter_id", "day"),
    )
    op.create_index("ix_quality_day_meter_id", "quality_day", ["meter_id"])
    op.create_index("ix_quality_day_day", "quality_day", ["day"])
    op.create_table(
        "quality_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meter_id", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["meter_id"], ["meter.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_quality_flag_meter_id", "quality_flag", ["meter_id"])
    op.create_index("ix_quality_flag_enterprise_id", "quality_flag", ["enterprise_id"])
    op.create_index("ix_quality_flag_period", "quality_flag", ["period"])


def downgrade() -> None:
    for table in ("quality_flag", "quality_day", "statement_line", "gateway_meter", "gateway"):
        op.drop_table(table)
