"""funds: origins as the statistics name them, exclusions, 认定 (confirmation), 外资 in 万美元
with the exchange rate of the month (a rate table kept by the province)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the funds change that follows (the number is claimed first)


def downgrade() -> None:
    pass
