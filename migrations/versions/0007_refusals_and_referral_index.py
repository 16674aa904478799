"""commitment decisions (approvals and refusals) and one active referral per project

commitment_decisions keeps every manager approval and refusal (驳回) of a draft commitment.
uq_referrals_one_active lets the database refuse a second active referral of a project.
A database that already holds two active referrals of one project (possible before this
index, under a race) keeps the oldest active and turns the later ones into disputes for a
manager to resolve, as the service would have.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'active'")


def upgrade() -> None:
    op.create_table(
        "commitment_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("amount_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_decisions_commitment_id_commitments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_commitment_decisions_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_commitment_decisions_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_decisions")),
    )
    with op.batch_alter_table("commitment_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_decisions_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_commitment_decisions_county_id"), ["county_id"], unique=False)

    op.execute(
        "UPDATE referrals SET status = 'disputed', version = version + 1 "
        "WHERE status = 'active' AND EXISTS (SELECT 1 FROM referrals AS earlier "
        "WHERE earlier.project_id = referrals.project_id AND earlier.status = 'active' "
        "AND earlier.id < referrals.id)"
    )
    op.create_index(
        "uq_referrals_one_active",
        "referrals",
        ["project_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_referrals_one_active", table_name="referrals")
    with op.batch_alter_table("commitment_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_decisions_county_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_decisions_commitment_id"))

    op.drop_table("commitment_decisions")
