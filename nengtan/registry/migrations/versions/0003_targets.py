"""targets tables (issue 4): placeholder in the fixed chain 0001 → 0002 → 0003 → 0004.

Revision ID: 0003
Revises: 0002
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
