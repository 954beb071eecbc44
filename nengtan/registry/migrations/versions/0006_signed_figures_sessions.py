"""year_lock: the figures a verifier signed (energy, CO2, the data and factor versions that made them);
app_user: the time before which a user's sessions are void (a password change ends them).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("year_lock") as batch:
        batch.add_column(sa.Column("signed_energy_tce", sa.Float(), nullable=True))
        batch.add_column(sa.Column("signed_co2_t", sa.Float(), nullable=True))
        batch.add_column(sa.Column("signed_data_version", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("signed_factor_set", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("statement", sa.Text(), nullable=True))
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("sessions_valid_from", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("sessions_valid_from")
    with op.batch_alter_table("year_lock") as batch:
        for name in ("statement", "signed_factor_set", "signed_data_version", "signed_co2_t", "signed_energy_tce"):
            batch.drop_column(name)
