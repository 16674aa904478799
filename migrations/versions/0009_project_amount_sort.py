"""index for the project list sorted by amount (largest first, unknown last) across a
province: a plain index, and on PostgreSQL one in DESC NULLS LAST order

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_projects_amount", "projects", ["planned_investment_wan", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_projects_amount_nulls_last",
            "projects",
            [sa.text("planned_investment_wan DESC NULLS LAST"), sa.text("id DESC")],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_projects_amount_nulls_last", table_name="projects")
    op.drop_index("ix_projects_amount", table_name="projects")
