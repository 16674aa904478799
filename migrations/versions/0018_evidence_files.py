"""attachments: evidence files attached to a county's records (issue 16, "Evidence files")

One row per file attached to one record (``owner_kind`` + ``owner_id``: a project, a stage
move, a funds record, a commitment review, a fulfilment, a referral), in the record's county.
The bytes are not in the database: they are stored by SHA-256 under ``FILES_DIR``
(crm/files/storage.py). Nothing existing changes; no record had files before.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=30), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("file_type", sa.String(length=10), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("detached_at", sa.DateTime(), nullable=True),
        sa.Column("detached_by_id", sa.Integer(), nullable=True),
        sa.Column("purged_at", sa.DateTime(), nullable=True),
        sa.Column("purged_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_attachments_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["detached_by_id"], ["users.id"], name=op.f("fk_attachments_detached_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["purged_by_id"], ["users.id"], name=op.f("fk_attachments_purged_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index(op.f("ix_attachments_county_id"), "attachments", ["county_id"], unique=False)
    op.create_index(op.f("ix_attachments_sha256"), "attachments", ["sha256"], unique=False)
    op.create_index(
        "ix_attachments_owner", "attachments", ["owner_kind", "owner_id", "county_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_attachments_owner", table_name="attachments")
    op.drop_index(op.f("ix_attachments_sha256"), table_name="attachments")
    op.drop_index(op.f("ix_attachments_county_id"), table_name="attachments")
    op.drop_table("attachments")
