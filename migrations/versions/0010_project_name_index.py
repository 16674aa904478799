"""index for projects by name: the project list's name sort and the province referral
list, ordered by project name

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_projects_name", "projects", ["name", "id"])


def downgrade() -> None:
    op.drop_index("ix_projects_name", table_name="projects")
