"""referrals and reward eligibility (issue 6)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reward_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=30), nullable=False),
        sa.Column("milestone", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("cap_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("exclude_public_officials", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("lineage_id", sa.Integer(), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_reward_rules_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["lineage_id"], ["reward_rules.id"], name=op.f("fk_reward_rules_lineage_id_reward_rules")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["reward_rules.id"],
            name=op.f("fk_reward_rules_superseded_by_id_reward_rules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_rules")),
    )
    op.create_index(op.f("ix_reward_rules_county_id"), "reward_rules", ["county_id"], unique=False)
    op.create_index(op.f("ix_reward_rules_lineage_id"), "reward_rules", ["lineage_id"], unique=False)
    op.create_table(
        "reward_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("period_text", sa.String(length=60), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rule_name", sa.String(length=200), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("rule_lineage_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=30), nullable=False),
        sa.Column("milestone", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("cap_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("exclude_public_officials", sa.Boolean(), nullable=False),
        sa.Column("total_reward_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("finalized_at", sa.DateTime(), nullable=True),
        sa.Column("finalized_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_reward_lists_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_reward_lists_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["finalized_by_id"], ["users.id"], name=op.f("fk_reward_lists_finalized_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["reward_rules.id"],
            name=op.f("fk_reward_lists_rule_id_reward_rules"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_lists")),
    )
    op.create_index(op.f("ix_reward_lists_county_id"), "reward_lists", ["county_id"], unique=False)
    op.create_index(op.f("ix_reward_lists_rule_id"), "reward_lists", ["rule_id"], unique=False)
    op.create_index(
        op.f("ix_reward_lists_rule_lineage_id"), "reward_lists", ["rule_lineage_id"], unique=False
    )
    op.create_index(op.f("ix_reward_lists_status"), "reward_lists", ["status"], unique=False)
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("referrer_name", sa.String(length=200), nullable=False),
        sa.Column("referrer_kind", sa.String(length=20), nullable=False),
        sa.Column("is_public_official", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("investor_confirmed", sa.Boolean(), nullable=False),
        sa.Column("investor_confirmed_on", sa.Date(), nullable=True),
        sa.Column("confirmation_evidence", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_referrals_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_referrals_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_referrals_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index(op.f("ix_referrals_county_id"), "referrals", ["county_id"], unique=False)
    op.create_index(op.f("ix_referrals_project_id"), "referrals", ["project_id"], unique=False)
    op.create_index(op.f("ix_referrals_status"), "referrals", ["status"], unique=False)
    op.create_table(
        "reward_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("referrer_name", sa.String(length=200), nullable=True),
        sa.Column("referrer_kind", sa.String(length=20), nullable=True),
        sa.Column("is_public_official", sa.Boolean(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("referral_registered_on", sa.Date(), nullable=True),
        sa.Column("milestone_reached_on", sa.Date(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("basis_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("rates", sa.String(length=200), nullable=True),
        sa.Column("arithmetic", sa.Text(), nullable=True),
        sa.Column("reward_wan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f("fk_reward_lines_county_id_regions"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["reward_lists.id"],
            name=op.f("fk_reward_lines_list_id_reward_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_reward_lines_project_id_projects"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_reward_lines_referral_id_referrals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_lines")),
    )
    op.create_index(op.f("ix_reward_lines_county_id"), "reward_lines", ["county_id"], unique=False)
    op.create_index(op.f("ix_reward_lines_list_id"), "reward_lines", ["list_id"], unique=False)
    op.create_index(op.f("ix_reward_lines_project_id"), "reward_lines", ["project_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reward_lines_project_id"), table_name="reward_lines")
    op.drop_index(op.f("ix_reward_lines_list_id"), table_name="reward_lines")
    op.drop_index(op.f("ix_reward_lines_county_id"), table_name="reward_lines")
    op.drop_table("reward_lines")
    op.drop_index(op.f("ix_referrals_status"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_project_id"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_county_id"), table_name="referrals")
    op.drop_table("referrals")
    op.drop_index(op.f("ix_reward_lists_status"), table_name="reward_lists")
    op.drop_index(op.f("ix_reward_lists_rule_lineage_id"), table_name="reward_lists")
    op.drop_index(op.f("ix_reward_lists_rule_id"), table_name="reward_lists")
    op.drop_index(op.f("ix_reward_lists_county_id"), table_name="reward_lists")
    op.drop_table("reward_lists")
    op.drop_index(op.f("ix_reward_rules_lineage_id"), table_name="reward_rules")
    op.drop_index(op.f("ix_reward_rules_county_id"), table_name="reward_rules")
    op.drop_table("reward_rules")
