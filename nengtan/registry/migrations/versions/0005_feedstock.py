"""activity: the raw-material (feedstock) part of a monthly quantity and whether its carbon is oxidised.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.add_column(sa.Column("feedstock_quantity", sa.Float(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("feedstock_oxidised", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.drop_column("feedstock_oxidised")
        batch.drop_column("feedstock_quantity")
