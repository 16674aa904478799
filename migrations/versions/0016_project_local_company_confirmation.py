"""projects: a manager's confirmation that a local company whose credit code names a region
outside the city is registered in the county (issue 14 item 7)

The 本地注册企业 of a project is now checked against the county (crm/projects/registration.py):
a code issued outside the city is refused unless a manager confirms it, with a reason. The
three columns hold that confirmation: its text, who gave it and when (UTC).

Existing projects get no confirmation: a registered project whose local company was issued
its code outside the city shows "须由局长确认" on its page and in `chaincrm projects check`,
and its next edit asks for the manager's confirmation. Nothing is confirmed on anyone's
behalf by the upgrade.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.add_column(sa.Column("local_company_confirmation", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("local_company_confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("local_company_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_projects_local_company_confirmed_by_id_users"),
            "users",
            ["local_company_confirmed_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_constraint(op.f("fk_projects_local_company_confirmed_by_id_users"), type_="foreignkey")
        batch_op.drop_column("local_company_confirmed_at")
        batch_op.drop_column("local_company_confirmed_by_id")
        batch_op.drop_column("local_company_confirmation")
