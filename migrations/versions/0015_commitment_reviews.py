"""commitments: reviews as records (公平竞争审查, 合法性审核（司法局）), collective-decision
records, risk legal basis, obligations linked to commitments, policy withdrawal and the
存量清理 list (issue 14 items 9-13)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the commitments change that follows (the number is claimed first)


def downgrade() -> None:
    pass
