"""regions above the parks (issue 14).

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('region',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['region.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table("park") as batch:
        batch.add_column(sa.Column("region_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_park_region", "region", ["region_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("park") as batch:
        batch.drop_constraint("fk_park_region", type_="foreignkey")
        batch.drop_column("region_id")
    op.drop_table("region")
