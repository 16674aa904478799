"""projects: a manager's confirmation that a local company whose credit code names a region
outside the city is registered in the county (issue 14 item 7)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the projects change that follows (the number is claimed first)


def downgrade() -> None:
    pass
