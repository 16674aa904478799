"""incentive commitments and investor obligations (issue 5)

Policies (region-owned: county, city or province), commitments, fulfillments and
investor obligations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("legal_basis", sa.String(length=200), nullable=False),
        sa.Column("max_amount_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("max_ratio_pct", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("fair_review", sa.String(length=16), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_policies_region_id_regions"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
    )
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policies_region_id"), ["region_id"], unique=False)

    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("target_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("actual_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("actual_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("consequence", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("withhold_lifted_at", sa.DateTime(), nullable=True),
        sa.Column("withhold_lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("withhold_lift_note", sa.Text(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_obligations_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_obligations_project_id_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["withhold_lifted_by_id"], ["users.id"], name=op.f("fk_obligations_withhold_lifted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligations_county_id"), ["county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_obligations_status"), ["status"], unique=False)

    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("clause", sa.Text(), nullable=False),
        sa.Column("amount_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("committed_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("fair_review", sa.String(length=16), nullable=False),
        sa.Column("legal_review", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("status_before_suspension", sa.String(length=24), nullable=True),
        sa.Column("suspended_by_obligation_id", sa.Integer(), nullable=True),
        sa.Column("status_note", sa.Text(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_commitments_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_commitments_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_commitments_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["policies.id"],
            name=op.f("fk_commitments_policy_id_policies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_commitments_project_id_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["suspended_by_obligation_id"],
            ["obligations.id"],
            name=op.f("fk_commitments_suspended_by_obligation_id_obligations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitments_county_id"), ["county_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_policy_id"), ["policy_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_commitments_suspended_by_obligation_id"),
            ["suspended_by_obligation_id"],
            unique=False,
        )

    op.create_table(
        "fulfillments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("fulfilled_on", sa.Date(), nullable=False),
        sa.Column("amount_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("evidence", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_fulfillments_commitment_id_commitments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_fulfillments_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_fulfillments_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfillments")),
    )
    with op.batch_alter_table("fulfillments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fulfillments_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fulfillments_county_id"), ["county_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fulfillments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fulfillments_county_id"))
        batch_op.drop_index(batch_op.f("ix_fulfillments_commitment_id"))

    op.drop_table("fulfillments")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_suspended_by_obligation_id"))
        batch_op.drop_index(batch_op.f("ix_commitments_status"))
        batch_op.drop_index(batch_op.f("ix_commitments_project_id"))
        batch_op.drop_index(batch_op.f("ix_commitments_policy_id"))
        batch_op.drop_index(batch_op.f("ix_commitments_due_on"))
        batch_op.drop_index(batch_op.f("ix_commitments_county_id"))

    op.drop_table("commitments")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_obligations_status"))
        batch_op.drop_index(batch_op.f("ix_obligations_project_id"))
        batch_op.drop_index(batch_op.f("ix_obligations_due_on"))
        batch_op.drop_index(batch_op.f("ix_obligations_county_id"))

    op.drop_table("obligations")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policies_region_id"))

    op.drop_table("policies")
