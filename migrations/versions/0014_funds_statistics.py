"""funds: origins as the statistics name them, exclusions, 认定 (confirmation), 外资 in 万美元
with the exchange rate of the month (a rate table kept by the province)

Issue 14 items 15 and 16 (docs/design.md, "Funds in place"):

- origins keep their codes and take the statistics' names (``out_of_province`` 省外,
  ``in_province`` 市外省内, ``in_city`` 市内县外 (was 县际: within the city, outside the
  county, as its code says), ``foreign`` 境外 (was 外资: 境外 also counts Hong Kong, Macao
  and Taiwan money, as 实际利用外资 does)); a label change, so no row changes and the API's
  codes stay;
- ``exclusion`` marks money the 招商引资落地金额 indicator leaves out (``bank_loan``,
  ``government``, ``local``); existing records are ``none`` (counted), as they were counted;
  the same money is unique per project, month, origin and exclusion;
- ``amount_usd_wan`` and ``usd_rate``: 境外 money is entered in 万美元 and converted at the
  province's rate of the month (table ``exchange_rates``). Existing 境外 records keep their
  万元 alone (their dollars were never recorded); their next edit asks for the dollars;
- ``confirmed_at``/``confirmed_by_id``: a manager's 认定. Records written before this upgrade
  were already reported and counted, so they count as confirmed at the upgrade, by nobody
  (``confirmed_by_id`` empty, shown as "升级前登记"): the year's figures do not change
  overnight.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

DOLLARS_CHECK = (
    "(amount_usd_wan IS NULL) = (usd_rate IS NULL) AND (origin = 'foreign' OR amount_usd_wan IS NULL)"
)


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("cny_per_usd", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_exchange_rates_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["province_id"],
            ["regions.id"],
            name=op.f("fk_exchange_rates_province_id_regions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint("province_id", "month", name=op.f("uq_exchange_rates_province_id_month")),
    )
    with op.batch_alter_table("funds_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exclusion", sa.String(length=20), server_default="none", nullable=False)
        )
        batch_op.add_column(sa.Column("amount_usd_wan", sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column("usd_rate", sa.Numeric(precision=10, scale=4), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_funds_records_confirmed_by_id_users"), "users", ["confirmed_by_id"], ["id"]
        )
        batch_op.drop_constraint("uq_funds_records_project_id_month_origin", type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_funds_records_project_id_month_origin_exclusion"),
            ["project_id", "month", "origin", "exclusion"],
        )
        batch_op.create_check_constraint(op.f("ck_funds_records_dollars_for_overseas"), DOLLARS_CHECK)
        batch_op.drop_index("ix_funds_records_county_month")
        batch_op.create_index(
            "ix_funds_records_county_month",
            ["county_id", "month", "origin", "exclusion", "confirmed_at", "amount_wan"],
        )
    funds = sa.table("funds_records", sa.column("confirmed_at", sa.DateTime))
    upgraded_at = datetime.now(UTC).replace(tzinfo=None)  # columns store naive UTC
    op.execute(funds.update().values(confirmed_at=upgraded_at))


def downgrade() -> None:
    # The old schema has one record per project, month and origin: excluded money has no
    # place there and is dropped (it never counted); dollars and confirmations are dropped.
    funds = sa.table("funds_records", sa.column("exclusion", sa.String))
    op.execute(funds.delete().where(funds.c.exclusion != "none"))
    with op.batch_alter_table("funds_records", schema=None) as batch_op:
        batch_op.drop_index("ix_funds_records_county_month")
        batch_op.create_index("ix_funds_records_county_month", ["county_id", "month", "origin", "amount_wan"])
        batch_op.drop_constraint(op.f("ck_funds_records_dollars_for_overseas"), type_="check")
        batch_op.drop_constraint(op.f("uq_funds_records_project_id_month_origin_exclusion"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_funds_records_project_id_month_origin", ["project_id", "month", "origin"]
        )
        batch_op.drop_constraint(op.f("fk_funds_records_confirmed_by_id_users"), type_="foreignkey")
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("usd_rate")
        batch_op.drop_column("amount_usd_wan")
        batch_op.drop_column("exclusion")
    op.drop_table("exchange_rates")
