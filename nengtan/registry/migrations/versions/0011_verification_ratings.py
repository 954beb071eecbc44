"""verification records, ratings, points, statistics, energy-use rights, ESG publications, CCER sell orders
(issue 12).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("verification_line", "verification_record", "statistic", "points_entry", "esg_publication",
          "energy_right_movement", "rating_run", "rating_method_version")


def upgrade() -> None:
    op.create_table('rating_method_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('adopted_by', sa.String(length=100), nullable=False),
    sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('method', 'version')
    )
    op.create_table('rating_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('factor_set', sa.String(length=100), nullable=False),
    sa.Column('data_version', sa.String(length=200), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_rating_run_method', 'rating_run', ['method'], unique=False)
    op.create_table('energy_right_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tce', sa.Float(), nullable=False),
    sa.Column('counterparty', sa.String(length=100), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_energy_right_movement_enterprise_id', 'energy_right_movement', ['enterprise_id'], unique=False)
    op.create_table('esg_publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('published_by', sa.String(length=100), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enterprise_id', 'year', 'version')
    )
    op.create_index('ix_esg_publication_enterprise_id', 'esg_publication', ['enterprise_id'], unique=False)
    op.create_table('points_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enterprise_id', 'year', 'rule', 'kind')
    )
    op.create_index('ix_points_entry_enterprise_id', 'points_entry', ['enterprise_id'], unique=False)
    op.create_table('statistic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_statistic_enterprise_id', 'statistic', ['enterprise_id'], unique=False)
    op.create_index('ix_statistic_year', 'statistic', ['year'], unique=False)
    op.create_table('verification_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('verifier', sa.String(length=200), nullable=False),
    sa.Column('guideline', sa.String(length=40), nullable=False),
    sa.Column('report_name', sa.String(length=255), nullable=True),
    sa.Column('report_sha256', sa.String(length=64), nullable=True),
    sa.Column('total_t', sa.Float(), nullable=False),
    sa.Column('scope1_t', sa.Float(), nullable=False),
    sa.Column('scope2_t', sa.Float(), nullable=False),
    sa.Column('covered_t', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('imported_by', sa.String(length=100), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('enterprise_id', 'year', 'version')
    )
    op.create_index('ix_verification_record_enterprise_id', 'verification_record', ['enterprise_id'], unique=False)
    op.create_table('verification_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('factor', sa.Float(), nullable=True),
    sa.Column('emissions_t', sa.Float(), nullable=False),
    sa.Column('covered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['verification_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_verification_line_record_id', 'verification_line', ['record_id'], unique=False)
    with op.batch_alter_table("compliance_year") as batch:
        batch.add_column(sa.Column("verification_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_compliance_year_verification", "verification_record", ["verification_id"],
                                 ["id"])
    with op.batch_alter_table("green_order") as batch:
        batch.add_column(sa.Column("ccer_lot_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_green_order_ccer_lot", "ccer_lot", ["ccer_lot_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("green_order") as batch:
        batch.drop_constraint("fk_green_order_ccer_lot", type_="foreignkey")
        batch.drop_column("ccer_lot_id")
    with op.batch_alter_table("compliance_year") as batch:
        batch.drop_constraint("fk_compliance_year_verification", type_="foreignkey")
        batch.drop_column("verification_id")
    for name in TABLES:
        op.drop_table(name)
