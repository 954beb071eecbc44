"""stored notes in both languages: an alarm's message in English beside its Chinese, an energy review's reason in
Chinese beside its English (issue 15, item 2). Rows written before keep the one language they had (None).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alarm") as batch:
        batch.add_column(sa.Column("message_en", sa.Text(), nullable=True))
    with op.batch_alter_table("energy_review") as batch:
        batch.add_column(sa.Column("reason_zh", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("energy_review") as batch:
        batch.drop_column("reason_zh")
    with op.batch_alter_table("alarm") as batch:
        batch.drop_column("message_en")
