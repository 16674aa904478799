"""Targets set from above, county classes and weights, the quarterly snapshot and the
imported core indicators (docs/design.md, "Targets and the quarterly review").

Targets, classes, snapshots and imported indicators are county-owned: a county reads its
own, a coordinator those below its region, another county's id is a 404. They are written
by a coordinator through ``crm.review.services.acting_for`` (a scope that writes the one
county named), so the audit rows carry the coordinator's name and the county's id (its
cached figures are recomputed). Weights belong to the coordinator's region, not a county.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from crm.auth.models import User
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.projects.models import Money

__all__ = ["CountyClass", "QuarterIndicators", "QuarterSnapshot", "ReviewTarget", "ReviewWeights"]


class _CountyYear:
    """A county's row for one year: at most one per county and year (``_period``).

    ``sort_order`` keeps the id, the year and (``_CountyQuarter``) the quarter first among
    the table's columns, in that order: where the migrations created them and where the
    audit log lists them.
    """

    _period: tuple[str, ...] = ("year",)

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)
    year: Mapped[int] = mapped_column(Integer, nullable=False, sort_order=-2)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("county_id", *cls._period),)


class _CountyQuarter(_CountyYear):
    """A county's row for one quarter of a year: at most one per county, year and quarter."""

    _period = ("year", "quarter")

    quarter: Mapped[int] = mapped_column(Integer, nullable=False, sort_order=-1)


class ReviewTarget(_CountyYear, CountyOwned, Versioned, TimestampMixin, Base):
    """A county's annual targets as its city or province gave them (落地金额 by origin in
    万元, projects over 1亿元, signings, starts); empty means not given."""

    __tablename__ = "review_targets"

    funds_out_of_province_wan: Mapped[Decimal | None] = mapped_column(Money)
    funds_in_province_wan: Mapped[Decimal | None] = mapped_column(Money)
    funds_in_city_wan: Mapped[Decimal | None] = mapped_column(Money)
    funds_foreign_wan: Mapped[Decimal | None] = mapped_column(Money)
    big_projects: Mapped[int | None] = mapped_column(Integer)
    signings: Mapped[int | None] = mapped_column(Integer)
    starts: Mapped[int | None] = mapped_column(Integer)
    # Who set it, from which region, when: the county reads them as given.
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    set_by_region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), nullable=False)
    set_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    set_by: Mapped[User] = relationship(foreign_keys=[set_by_id])

    def funds_by_origin(self) -> dict[str, Decimal | None]:
        return {
            "out_of_province": self.funds_out_of_province_wan,
            "in_province": self.funds_in_province_wan,
            "in_city": self.funds_in_city_wan,
            "foreign": self.funds_foreign_wan,
        }

    def funds_total(self) -> Decimal | None:
        """The 落地金额 target: the sum of the origins given; None when none is given."""
        given = [v for v in self.funds_by_origin().values() if v is not None]
        return sum(given, Decimal(0)) if given else None


class CountyClass(_CountyYear, CountyOwned, TimestampMixin, Base):
    """A county's class for a year (重点开发区 / 农产品主产区 / 重点生态功能区): its weights."""

    __tablename__ = "review_county_classes"

    county_class: Mapped[str] = mapped_column(String(30), nullable=False)


class ReviewWeights(TimestampMixin, Base):
    """A coordinator region's weights for one year and county class: {indicator: whole
    percent}, summing to 100."""

    __tablename__ = "review_weights"
    __audited__ = True
    __table_args__ = (UniqueConstraint("region_id", "year", "county_class"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    county_class: Mapped[str] = mapped_column(String(30), nullable=False)
    weights: Mapped[dict] = mapped_column(JSON, nullable=False)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class QuarterSnapshot(_CountyQuarter, CountyOwned, TimestampMixin, Base):
    """A county's figures for a quarter as they stood when frozen; never changed after."""

    __tablename__ = "review_snapshots"

    figures: Mapped[dict] = mapped_column(JSON, nullable=False)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the CLI

    frozen_by: Mapped[User | None] = relationship(foreign_keys=[frozen_by_id])


class QuarterIndicators(_CountyQuarter, CountyOwned, Versioned, TimestampMixin, Base):
    """What the app does not hold, imported per quarter from the coordinator's sheet:
    前期手续办结率 and the other six core indicators (percent of target), bonus and
    penalty points. ``indicator_values``: {code: decimal text}."""

    __tablename__ = "review_indicators"

    indicator_values: Mapped[dict] = mapped_column(JSON, nullable=False)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
