"""green power (issue 11): GEC holdings, green-power contracts, claims and their parts, the park's order book
and trades, and the append-only ledger_entry table (the database refuses updates and deletes).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("green_trade", "green_order", "green_claim_part", "gec_holding", "green_contract_profile",
          "green_contract", "green_claim", "ledger_entry")

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION nengtan_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entry is append-only';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('log', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('leaf', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('log', 'seq')
    )
    op.create_index('ix_ledger_entry_subject', 'ledger_entry', ['subject'], unique=False)
    op.create_table('green_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('mwh', sa.Integer(), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_green_claim_enterprise_id', 'green_claim', ['enterprise_id'], unique=False)
    op.create_table('green_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('seller', sa.String(length=200), nullable=False),
    sa.Column('project_code', sa.String(length=17), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('mwh', sa.Integer(), nullable=False),
    sa.Column('price', sa.Float(), nullable=True),
    sa.Column('shape', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number', 'month')
    )
    op.create_index('ix_green_contract_enterprise_id', 'green_contract', ['enterprise_id'], unique=False)
    op.create_table('gec_holding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_code', sa.String(length=32), nullable=False),
    sa.Column('project_code', sa.String(length=17), nullable=False),
    sa.Column('energy_type', sa.String(length=24), nullable=False),
    sa.Column('production_month', sa.Date(), nullable=False),
    sa.Column('first_seq', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('tradable', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('traded', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.String(length=80), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('split_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['green_contract.id'], ),
    sa.ForeignKeyConstraint(['split_from_id'], ['gec_holding.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_gec_holding_head_code', 'gec_holding', ['head_code'], unique=False)
    op.create_index('ix_gec_holding_owner', 'gec_holding', ['owner'], unique=False)
    op.create_index('ix_gec_holding_project_code', 'gec_holding', ['project_code'], unique=False)
    op.create_table('green_claim_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('holding_id', sa.Integer(), nullable=False),
    sa.Column('mwh', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['green_claim.id'], ),
    sa.ForeignKeyConstraint(['holding_id'], ['gec_holding.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('holding_id')
    )
    op.create_index('ix_green_claim_part_claim_id', 'green_claim_part', ['claim_id'], unique=False)
    op.create_table('green_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=40), nullable=False),
    sa.Column('side', sa.String(length=4), nullable=False),
    sa.Column('product', sa.String(length=16), nullable=False),
    sa.Column('price', sa.Float(), nullable=False),
    sa.Column('mwh', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('holding_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['holding_id'], ['gec_holding.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_green_order_owner', 'green_order', ['owner'], unique=False)
    op.create_table('green_trade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buy_order_id', sa.Integer(), nullable=False),
    sa.Column('sell_order_id', sa.Integer(), nullable=False),
    sa.Column('product', sa.String(length=16), nullable=False),
    sa.Column('mwh', sa.Integer(), nullable=False),
    sa.Column('price', sa.Float(), nullable=False),
    sa.Column('ledger_seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buy_order_id'], ['green_order.id'], ),
    sa.ForeignKeyConstraint(['sell_order_id'], ['green_order.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_green_trade_buy_order_id', 'green_trade', ['buy_order_id'], unique=False)
    op.create_index('ix_green_trade_sell_order_id', 'green_trade', ['sell_order_id'], unique=False)
    op.create_table('green_contract_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('hour', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kwh', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number', 'hour')
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry "
                   "FOR EACH ROW EXECUTE FUNCTION nengtan_ledger_append_only()")
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER ledger_entry_no_{verb.lower()} BEFORE {verb} ON ledger_entry "
                       "BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_entry")
        op.execute("DROP FUNCTION IF EXISTS nengtan_ledger_append_only()")
    for name in TABLES:
        op.drop_table(name)
