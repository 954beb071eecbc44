"""activity: drop the index on enterprise_id alone; the unique (enterprise_id, period, carrier, version)
index starts with it and serves the same look-ups, and every imported row paid for keeping both.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.drop_index("ix_activity_enterprise_id")


def downgrade() -> None:
    with op.batch_alter_table("activity") as batch:
        batch.create_index("ix_activity_enterprise_id", ["enterprise_id"], unique=False)
