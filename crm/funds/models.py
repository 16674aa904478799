"""Funds in place (到位资金) as the statistics count them, the province's monthly exchange
rates for 境外 money, and the county's annual targets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.core.i18n import N_
from crm.projects.models import FUND_ORIGINS, Money, Project  # noqa: F401 - origins live with the project

__all__ = [
    "EXCLUSIONS",
    "FUND_ORIGINS",
    "FOREIGN_ORIGIN",
    "NOT_EXCLUDED",
    "STANDINGS",
    "CountyTarget",
    "ExchangeRate",
    "FundsRecord",
    "Rate",
    "is_counted",
]

#: The origin recorded in 万美元 and converted at the month's rate (境外: foreign, Hong Kong,
#: Macao and Taiwan money, as 实际利用外资 counts it).
FOREIGN_ORIGIN = "foreign"
#: Money in place that the 招商引资落地金额 indicator leaves out, and "none" for money it counts.
NOT_EXCLUDED = "none"
EXCLUSIONS = {
    NOT_EXCLUDED: N_("计入"),
    "bank_loan": N_("银行贷款"),
    "government": N_("政府资金"),
    "local": N_("本地资金"),
}
#: Where a record stands for the indicator; every record is in exactly one.
STANDINGS = {"counted": N_("已认定计入"), "pending": N_("待认定"), "excluded": N_("不计入")}
#: CNY per USD, as published to four decimals (e.g. 7.1268).
Rate = Numeric(10, 4)


class FundsRecord(CountyOwned, Versioned, TimestampMixin, Base):
    """到位资金: money actually in place for one project, one month, one origin and one kind
    (counted, or excluded as a bank loan, government or local money).

    ``amount_wan`` is always 万元; 境外 money is entered as ``amount_usd_wan`` (万美元) and
    ``amount_wan`` is it converted at ``usd_rate``, the province's rate of the month. Money
    counts once a manager confirmed it (``confirmed_at``)."""

    __tablename__ = "funds_records"
    __table_args__ = (
        UniqueConstraint("project_id", "month", "origin", "exclusion"),
        # Covers the monthly sums (counted, unconfirmed and excluded alike), so they never
        # read the table itself.
        Index(
            "ix_funds_records_county_month",
            "county_id",
            "month",
            "origin",
            "exclusion",
            "confirmed_at",
            "amount_wan",
        ),
        # Dollars come with their rate, and only on 境外 money (whose records from before
        # migration 0014 hold 万元 alone: their dollars were never recorded).
        CheckConstraint(
            "(amount_usd_wan IS NULL) = (usd_rate IS NULL) AND (origin = 'foreign' OR amount_usd_wan IS NULL)",
            name="dollars_for_overseas",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date, nullable=False)  # first day of the month
    origin: Mapped[str] = mapped_column(String(20), nullable=False)
    exclusion: Mapped[str] = mapped_column(
        String(20), nullable=False, default=NOT_EXCLUDED, server_default=NOT_EXCLUDED
    )
    amount_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    amount_usd_wan: Mapped[Decimal | None] = mapped_column(Money)
    usd_rate: Mapped[Decimal | None] = mapped_column(Rate)
    evidence_ref: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship()
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def standing(self) -> str:
        """``counted`` (confirmed, not excluded: see ``crm.funds.queries.funds_that_count``),
        ``pending`` (awaiting 认定) or ``excluded``."""
        if self.exclusion != NOT_EXCLUDED:
            return "excluded"
        return "counted" if self.confirmed else "pending"


def is_counted():
    """The SQL condition "this record counts": confirmed and not excluded (``standing`` is
    ``counted``). Beside the record, so the funds queries and the benefit shares that adjust
    them (crm/coordination/shares.py) both read it from below."""
    return and_(FundsRecord.confirmed_at.is_not(None), FundsRecord.exclusion == NOT_EXCLUDED)


class ExchangeRate(Versioned, TimestampMixin, Base):
    """The CNY-per-USD rate of one month, kept by a province (its coordinator enters it) and
    used to convert every 境外 record of its counties for that month."""

    __tablename__ = "exchange_rates"
    __audited__ = True
    __table_args__ = (UniqueConstraint("province_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), nullable=False)
    month: Mapped[date] = mapped_column(Date, nullable=False)  # first day of the month
    cny_per_usd: Mapped[Decimal] = mapped_column(Rate, nullable=False)
    source: Mapped[str | None] = mapped_column(String(200))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CountyTarget(CountyOwned, Versioned, TimestampMixin, Base):
    """The county's annual KPI targets, e.g. funds in place for the year."""

    __tablename__ = "county_targets"
    __table_args__ = (UniqueConstraint("county_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    funds_target_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    signed_projects_target: Mapped[int | None] = mapped_column(Integer)
