"""rewards: rule options (thresholds, exclusions, industries, application deadline), co-referrers
with agreed shares, the 公示期 of a list and objections against its lines

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the rewards change that follows (the number is claimed first)


def downgrade() -> None:
    pass
