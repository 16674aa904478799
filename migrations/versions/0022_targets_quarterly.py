"""targets from above and the quarterly review (issue 17)

`review_targets`: a county's annual targets as its city or province gave them;
`review_county_classes`: a county's class per year; `review_weights`: a coordinator
region's weights per year and class; `review_snapshots`: a county's quarter frozen as JSON;
`review_indicators`: the quarter's imported core indicators. All but the weights are
county-owned.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)


def _county(table: str) -> list:
    return [
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_id"], ["regions.id"], name=op.f(f"fk_{table}_county_id_regions"), ondelete="RESTRICT"
        ),
    ]


def _timestamps() -> list:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _user(table: str, column: str, nullable: bool = True) -> list:
    return [
        sa.Column(column, sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users")),
    ]


def _county_index(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_county_id"), ["county_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "review_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("funds_out_of_province_wan", MONEY, nullable=True),
        sa.Column("funds_in_province_wan", MONEY, nullable=True),
        sa.Column("funds_in_city_wan", MONEY, nullable=True),
        sa.Column("funds_foreign_wan", MONEY, nullable=True),
        sa.Column("big_projects", sa.Integer(), nullable=True),
        sa.Column("signings", sa.Integer(), nullable=True),
        sa.Column("starts", sa.Integer(), nullable=True),
        *_user("review_targets", "set_by_id", nullable=False),
        sa.Column("set_by_region_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_region_id"], ["regions.id"], name=op.f("fk_review_targets_set_by_region_id_regions")
        ),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        *_county("review_targets"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_targets")),
        sa.UniqueConstraint("county_id", "year", name=op.f("uq_review_targets_county_id_year")),
    )
    _county_index("review_targets")
    op.create_table(
        "review_county_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("county_class", sa.String(length=30), nullable=False),
        *_timestamps(),
        *_county("review_county_classes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_county_classes")),
        sa.UniqueConstraint("county_id", "year", name=op.f("uq_review_county_classes_county_id_year")),
    )
    _county_index("review_county_classes")
    op.create_table(
        "review_weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("county_class", sa.String(length=30), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        *_user("review_weights", "set_by_id"),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_review_weights_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_weights")),
        sa.UniqueConstraint(
            "region_id", "year", "county_class", name=op.f("uq_review_weights_region_id_year_county_class")
        ),
    )
    with op.batch_alter_table("review_weights", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_weights_region_id"), ["region_id"], unique=False)
    op.create_table(
        "review_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=False),
        *_user("review_snapshots", "frozen_by_id"),
        *_timestamps(),
        *_county("review_snapshots"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_snapshots")),
        sa.UniqueConstraint(
            "county_id", "year", "quarter", name=op.f("uq_review_snapshots_county_id_year_quarter")
        ),
    )
    _county_index("review_snapshots")
    op.create_table(
        "review_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("indicator_values", sa.JSON(), nullable=False),
        *_user("review_indicators", "imported_by_id"),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        *_county("review_indicators"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_indicators")),
        sa.UniqueConstraint(
            "county_id", "year", "quarter", name=op.f("uq_review_indicators_county_id_year_quarter")
        ),
    )
    _county_index("review_indicators")


def downgrade() -> None:
    for table in ("review_indicators", "review_snapshots", "review_county_classes", "review_targets"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_county_id"))
        op.drop_table(table)
    with op.batch_alter_table("review_weights", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_weights_region_id"))
    op.drop_table("review_weights")
