"""indexes for the county dashboard at 20,000 projects

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.create_index("ix_stage_changes_project_stage", ["project_id", "to_stage", "reached_on"])
    with op.batch_alter_table("funds_records", schema=None) as batch_op:
        batch_op.create_index("ix_funds_records_county_month", ["county_id", "month"])


def downgrade() -> None:
    with op.batch_alter_table("funds_records", schema=None) as batch_op:
        batch_op.drop_index("ix_funds_records_county_month")
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_changes_project_stage")
