"""staff scoped to a park or region; park statistics per place (issue 14).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("place", sa.String(length=60), nullable=True))
    with op.batch_alter_table("statistic") as batch:
        batch.add_column(sa.Column("place", sa.String(length=40), nullable=False, server_default="park"))


def downgrade() -> None:
    with op.batch_alter_table("statistic") as batch:
        batch.drop_column("place")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("place")
