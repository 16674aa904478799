"""indexes for province-scale lists (100 counties): newest activities, covering funds sums,
commitments by due date, overdue follow-ups and stage history read from the index alone,
each county's newest audit event (the dashboard cache's version)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_county_newest", "audit_events", ["county_id", "id"])
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index("ix_projects_county_follow_up", ["county_id", "next_follow_up_on", "stage"])
        batch_op.create_index("ix_projects_updated", ["updated_at", "id"])
        batch_op.create_index("ix_projects_stage_updated", ["stage", "updated_at", "id"])
        batch_op.create_index(
            "ix_projects_stage_county_amount", ["stage", "county_id", "planned_investment_wan"]
        )
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_changes_project_stage")
        batch_op.create_index(
            "ix_stage_changes_project_stage", ["project_id", "to_stage", "reached_on", "county_id"]
        )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index("ix_commitments_county_due", ["county_id", "due_on", "status", "amount_wan"])
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index("ix_activities_county_occurred", ["county_id", "occurred_on", "id"])
        batch_op.create_index("ix_activities_occurred", ["occurred_on", "id"])
    with op.batch_alter_table("funds_records", schema=None) as batch_op:
        batch_op.drop_index("ix_funds_records_county_month")
        batch_op.create_index("ix_funds_records_county_month", ["county_id", "month", "origin", "amount_wan"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_county_newest", table_name="audit_events")
    with op.batch_alter_table("funds_records", schema=None) as batch_op:
        batch_op.drop_index("ix_funds_records_county_month")
        batch_op.create_index("ix_funds_records_county_month", ["county_id", "month"])
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_occurred")
        batch_op.drop_index("ix_activities_county_occurred")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index("ix_commitments_county_due")
    with op.batch_alter_table("stage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_changes_project_stage")
        batch_op.create_index("ix_stage_changes_project_stage", ["project_id", "to_stage", "reached_on"])
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_stage_county_amount")
        batch_op.drop_index("ix_projects_stage_updated")
        batch_op.drop_index("ix_projects_updated")
        batch_op.drop_index("ix_projects_county_follow_up")
