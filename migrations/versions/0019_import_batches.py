"""ledger import: import batches, the records each wrote, saved column mappings (issue 16)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _county_fk(table: str):
    return sa.ForeignKeyConstraint(
        ["county_id"], ["regions.id"], name=op.f(f"fk_{table}_county_id_regions"), ondelete="RESTRICT"
    )


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("audit_from", sa.Integer(), nullable=False),
        sa.Column("audit_to", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        _county_fk("import_batches"),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_import_batches_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["users.id"], name=op.f("fk_import_batches_undone_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(op.f("ix_import_batches_county_id"), "import_batches", ["county_id"])
    op.create_table(
        "import_batch_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        _county_fk("import_batch_records"),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_import_batch_records_batch_id_import_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch_records")),
    )
    op.create_index(op.f("ix_import_batch_records_batch_id"), "import_batch_records", ["batch_id"])
    op.create_index(op.f("ix_import_batch_records_county_id"), "import_batch_records", ["county_id"])
    op.create_index("ix_import_batch_records_record", "import_batch_records", ["table_name", "record_id"])
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        _county_fk("import_mappings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint("county_id", "kind", "name", name="uq_import_mappings_name"),
    )
    op.create_index(op.f("ix_import_mappings_county_id"), "import_mappings", ["county_id"])


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_table("import_batch_records")
    op.drop_table("import_batches")
