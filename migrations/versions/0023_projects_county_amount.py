"""an index on projects (county_id, planned_investment_wan) (issue 19)

The project list's "at least N 万元" filter is counted over a province's counties from
this index alone; PostgreSQL had read every project's row to check its amount.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_projects_county_amount", ["county_id", "planned_investment_wan"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_county_amount")
