from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.projects.models import FUND_ORIGINS, Money, Project  # noqa: F401 - origins live with the project


class FundsRecord(CountyOwned, Versioned, TimestampMixin, Base):
    """到位资金: money actually in place for one project, one month and one origin."""

    __tablename__ = "funds_records"
    __table_args__ = (
        UniqueConstraint("project_id", "month", "origin"),
        # Covers the monthly sums, so they never read the table itself.
        Index("ix_funds_records_county_month", "county_id", "month", "origin", "amount_wan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date, nullable=False)  # first day of the month
    origin: Mapped[str] = mapped_column(String(20), nullable=False)
    amount_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    evidence_ref: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship()


class CountyTarget(CountyOwned, Versioned, TimestampMixin, Base):
    """The county's annual KPI targets, e.g. funds in place for the year."""

    __tablename__ = "county_targets"
    __table_args__ = (UniqueConstraint("county_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    funds_target_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    signed_projects_target: Mapped[int | None] = mapped_column(Integer)
