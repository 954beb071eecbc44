"""scheduled reports: the day of the month a subscription's reports are sent (issue 15).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notify_subscription") as batch:
        batch.add_column(sa.Column("report_day", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notify_subscription") as batch:
        batch.drop_column("report_day")
