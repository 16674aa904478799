"""project CRM: companies, pipeline, activities, funds (issue 3)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _projects_upgrade() -> None:
    # The board reads the latest cards per stage; the list sorts by last change.
    with op.batch_alter_table("projects") as batch:
        batch.create_index("ix_projects_county_stage_updated", ["county_id", "stage", "updated_at"])
        batch.create_index("ix_projects_county_updated", ["county_id", "updated_at"])


def _projects_downgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.drop_index("ix_projects_county_updated")
        batch.drop_index("ix_projects_county_stage_updated")


def upgrade() -> None:
    _projects_upgrade()


def downgrade() -> None:
    _projects_downgrade()
