"""footprints (issue 10): footprint records, certification applications and their steps, certificates
and their events, supplier footprint requests; app_user.org (a certification body's code).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("certificate_event", "certificate", "cert_step", "footprint_request", "cert_application", "footprint_record")


def upgrade() -> None:
    op.create_table(
        "footprint_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pf_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("declared_unit", sa.String(length=32), nullable=False),
        sa.Column("total_kgco2e", sa.Float(), nullable=False),
        sa.Column("fossil_kgco2e", sa.Float(), nullable=False),
        sa.Column("biogenic_kgco2e", sa.Float(), nullable=False),
        sa.Column("reference_year", sa.Integer(), nullable=True),
        sa.Column("model_digest", sa.String(length=200), nullable=False),
        sa.Column("database_version", sa.String(length=200), nullable=False),
        sa.Column("data_version", sa.String(length=200), nullable=True),
        sa.Column("factor_set", sa.String(length=200), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["replaces_id"], ["footprint_record.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pf_id"),
    )
    op.create_index(("ix_footprint_record_enterprise_id"), "footprint_record", ["enterprise_id"], unique=False)
    op.create_table(
        "cert_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("footprint_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("verified_by", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["footprint_id"], ["footprint_record.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index(("ix_cert_application_body"), "cert_application", ["body"], unique=False)
    op.create_index(("ix_cert_application_enterprise_id"), "cert_application", ["enterprise_id"], unique=False)
    op.create_table(
        "footprint_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("footprint_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["footprint_id"], ["footprint_record.id"]),
        sa.ForeignKeyConstraint(["requester_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["supplier_id"], ["enterprise.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(("ix_footprint_request_requester_id"), "footprint_request", ["requester_id"], unique=False)
    op.create_index(("ix_footprint_request_supplier_id"), "footprint_request", ["supplier_id"], unique=False)
    op.create_table(
        "cert_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("state_before", sa.String(length=32), nullable=False),
        sa.Column("state_after", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("footprint_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["cert_application.id"]),
        sa.ForeignKeyConstraint(["footprint_id"], ["footprint_record.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(("ix_cert_step_application_id"), "cert_step", ["application_id"], unique=False)
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("footprint_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=40), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=False),
        sa.Column("declared_unit", sa.String(length=32), nullable=False),
        sa.Column("value_kgco2e", sa.Float(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["cert_application.id"]),
        sa.ForeignKeyConstraint(["enterprise_id"], ["enterprise.id"]),
        sa.ForeignKeyConstraint(["footprint_id"], ["footprint_record.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("application_id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index(("ix_certificate_enterprise_id"), "certificate", ["enterprise_id"], unique=False)
    op.create_table(
        "certificate_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("status_after", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["certificate.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(("ix_certificate_event_certificate_id"), "certificate_event", ["certificate_id"], unique=False)
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("org", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("org")
    for name in TABLES:
        op.drop_table(name)
