"""rewards: rule options (thresholds, exclusions, industries, application deadline), co-referrers
with agreed shares, the 公示期 of a list and objections against its lines

Issue 14 items 4 and 5 (docs/design.md, "Rewards"):

- rules, and the lists that copy them, get the options a county's 办法 typically has: minimum
  planned investment, fixed-asset share and share of money from outside the city, new legal
  entities only, an industry list, exclusion of 事业单位 staff and of the investor and its
  related parties, and an application deadline in days after the milestone. Existing rules
  and lists have none of them (no condition, no exclusion): what they computed stays so;
- referrals get the referrer's flags (事业单位 staff, investor or related party), the referrer's
  agreed share (100 for every existing referral, which has one referrer), the share agreement's
  reference, the date the reward was applied for, and co-referrers (``referral_co_referrers``);
- a line keeps each referrer's part of its reward (``shares``; empty for existing lines);
- a list gets its 公示期 (``notice_start``..``notice_end``) and who published it when, and
  ``reward_objections`` holds the objections received against its lines.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FLAG_COLUMNS = ("new_entity_only", "exclude_public_institution_staff", "exclude_investor_related")


def _option_columns() -> list[sa.Column]:
    # The server defaults fill existing rows; they are dropped again below (the models have none).
    return [
        sa.Column("min_planned_investment_wan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("min_fixed_asset_percent", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("min_outside_city_percent", sa.Numeric(precision=5, scale=2), nullable=True),
        *[sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()) for name in FLAG_COLUMNS],
        sa.Column("industries", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column("application_days", sa.Integer(), nullable=True),
    ]


def _drop_server_defaults(table: str, names) -> None:
    with op.batch_alter_table(table) as batch_op:
        for name in names:
            batch_op.alter_column(name, server_default=None)


def upgrade() -> None:
    for table in ("reward_rules", "reward_lists"):
        with op.batch_alter_table(table) as batch_op:
            for column in _option_columns():
                batch_op.add_column(column)
        _drop_server_defaults(table, (*FLAG_COLUMNS, "industries"))

    with op.batch_alter_table("reward_lists") as batch_op:
        batch_op.add_column(sa.Column("notice_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("notice_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("published_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_reward_lists_published_by_id_users"), "users", ["published_by_id"], ["id"]
        )

    with op.batch_alter_table("reward_lines") as batch_op:
        batch_op.add_column(sa.Column("shares", sa.JSON(), nullable=True))

    with op.batch_alter_table("referrals") as batch_op:
        for name in ("is_public_institution_staff", "is_investor_related"):
            batch_op.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column("share_percent", sa.Numeric(precision=5, scale=2), nullable=False, server_default="100")
        )
        batch_op.add_column(sa.Column("share_agreement", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("applied_on", sa.Date(), nullable=True))
    _drop_server_defaults(
        "referrals", ("is_public_institution_staff", "is_investor_related", "share_percent")
    )

    op.create_table(
        "referral_co_referrers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("referrer_name", sa.String(length=200), nullable=False),
        sa.Column("referrer_kind", sa.String(length=20), nullable=False),
        sa.Column("share_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("is_public_official", sa.Boolean(), nullable=False),
        sa.Column("is_public_institution_staff", sa.Boolean(), nullable=False),
        sa.Column("is_investor_related", sa.Boolean(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_referral_co_referrers_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_co_referrers_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_co_referrers")),
    )
    op.create_index(op.f("ix_referral_co_referrers_county_id"), "referral_co_referrers", ["county_id"])
    op.create_index(op.f("ix_referral_co_referrers_referral_id"), "referral_co_referrers", ["referral_id"])

    op.create_table(
        "reward_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("objector", sa.String(length=200), nullable=False),
        sa.Column("objector_contact", sa.String(length=200), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"],
            ["regions.id"],
            name=op.f("fk_reward_objections_county_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_reward_objections_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["reward_lines.id"],
            name=op.f("fk_reward_objections_line_id_reward_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["reward_lists.id"],
            name=op.f("fk_reward_objections_list_id_reward_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_reward_objections_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_objections")),
    )
    op.create_index(op.f("ix_reward_objections_county_id"), "reward_objections", ["county_id"])
    op.create_index(op.f("ix_reward_objections_line_id"), "reward_objections", ["line_id"])
    op.create_index(op.f("ix_reward_objections_list_id"), "reward_objections", ["list_id"])


def downgrade() -> None:
    op.drop_table("reward_objections")
    op.drop_table("referral_co_referrers")
    with op.batch_alter_table("referrals") as batch_op:
        for name in ("applied_on", "share_agreement", "share_percent", "is_investor_related"):
            batch_op.drop_column(name)
        batch_op.drop_column("is_public_institution_staff")
    with op.batch_alter_table("reward_lines") as batch_op:
        batch_op.drop_column("shares")
    with op.batch_alter_table("reward_lists") as batch_op:
        batch_op.drop_constraint(op.f("fk_reward_lists_published_by_id_users"), type_="foreignkey")
        for name in ("published_by_id", "published_at", "notice_end", "notice_start"):
            batch_op.drop_column(name)
    for table in ("reward_lists", "reward_rules"):
        with op.batch_alter_table(table) as batch_op:
            for column in reversed(_option_columns()):
                batch_op.drop_column(column.name)
