"""Parks, their parcels and carriers, where projects land, and each firm's annual 亩均 data.

The rules (标准地 conditions, 闲置 periods, the 亩均效益 score) are in docs/design.md,
"Land and 亩均效益"; the computation is in ``crm.land.evaluation``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.core.i18n import N_
from crm.projects.models import Percent, Project

__all__ = [
    "CARRIER_KINDS",
    "LAND_USES",
    "PARCEL_STATUSES",
    "PARK_KINDS",
    "Carrier",
    "EfficiencySettings",
    "EfficiencyRecord",
    "Parcel",
    "Park",
    "ProjectSite",
]

PARK_KINDS = {"development_zone": N_("开发区"), "industrial_park": N_("产业园"), "enclave": N_("飞地园区")}
ENCLAVE = "enclave"
PARCEL_STATUSES = {"planned": N_("规划待供"), "supplied": N_("已供地"), "idle": N_("闲置")}
LAND_USES = {
    "industrial": N_("工业用地"),
    "warehouse": N_("仓储用地"),
    "commercial": N_("商服用地"),
    "mixed": N_("新型产业用地（M0）"),
}
#: The menu group and items of the module (crm.land.init_app), marked for translation.
NAV_LABELS = (N_("园区与用地"), N_("园区与载体"), N_("用地与项目"), N_("亩均效益评价"))
CARRIER_KINDS = {"standard_factory": N_("标准厂房"), "building": N_("楼宇")}

Mu = Numeric(12, 2)  # 亩
Ratio = Numeric(8, 2)


class Park(CountyOwned, Versioned, TimestampMixin, Base):
    """A county's park. A 飞地园区 lies in another county (``host_county``) under a sharing
    agreement: ``share_percent`` of its statistics and tax count for this county."""

    __tablename__ = "land_parks"
    __table_args__ = (UniqueConstraint("county_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    area_mu: Mapped[Decimal | None] = mapped_column(Mu)
    host_county: Mapped[str | None] = mapped_column(String(100))  # 飞地: where it lies
    share_percent: Mapped[Decimal | None] = mapped_column(Percent)  # 飞地: this county's share
    sharing_note: Mapped[str | None] = mapped_column(Text)

    parcels: Mapped[list[Parcel]] = relationship(
        back_populates="park", order_by=lambda: (Parcel.grid_row, Parcel.grid_col, Parcel.code)
    )
    carriers: Mapped[list[Carrier]] = relationship(back_populates="park", order_by=lambda: Carrier.name)

    @property
    def is_enclave(self) -> bool:
        return self.kind == ENCLAVE


class Parcel(CountyOwned, Versioned, TimestampMixin, Base):
    """A parcel of a park. A 标准地 (``standard``) carries the five indicators a buyer must
    meet; ``agreed_start_on`` is the 约定动工开发日期 of the land contract (闲置 counts from it)."""

    __tablename__ = "land_parcels"
    __table_args__ = (
        UniqueConstraint("park_id", "code"),
        CheckConstraint("area_mu > 0", name="area_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("land_parks.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(50), nullable=False)  # 地块编号
    area_mu: Mapped[Decimal] = mapped_column(Mu, nullable=False)
    land_use: Mapped[str] = mapped_column(String(20), nullable=False, default="industrial")
    standard: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # 标准地
    investment_intensity_wan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 万元/亩
    output_per_mu_wan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 亩均产值 万元/亩
    tax_per_mu_wan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 亩均税收 万元/亩
    plot_ratio: Mapped[Decimal | None] = mapped_column(Ratio)  # 容积率
    energy_per_output: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))  # 吨标煤/万元, at most
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned", index=True)
    approved_on: Mapped[date | None] = mapped_column(Date)  # 批准用地 (农转用/征收) 日期
    supplied_on: Mapped[date | None] = mapped_column(Date)
    agreed_start_on: Mapped[date | None] = mapped_column(Date)
    grid_row: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    grid_col: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    note: Mapped[str | None] = mapped_column(Text)

    park: Mapped[Park] = relationship(back_populates="parcels")


class Carrier(CountyOwned, Versioned, TimestampMixin, Base):
    """A standard factory or building a bureau offers investors, with its vacant floor area."""

    __tablename__ = "land_carriers"
    __table_args__ = (CheckConstraint("vacant_area_m2 <= floor_area_m2", name="vacancy_within_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("land_parks.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="standard_factory")
    floor_area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    vacant_area_m2: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    industries: Mapped[str | None] = mapped_column(String(300))  # 适宜产业, separated by 、 or ,

    park: Mapped[Park] = relationship(back_populates="carriers")

    @property
    def industry_list(self) -> list[str]:
        text = (self.industries or "").replace("，", "、").replace(",", "、")
        return [part.strip() for part in text.split("、") if part.strip()]


class ProjectSite(CountyOwned, TimestampMixin, Base):
    """Where a project lands: one parcel or one carrier. ``conditions_applied_on`` is set
    once a 标准地 parcel's indicators became the project's obligations (never twice)."""

    __tablename__ = "land_project_sites"
    __table_args__ = (
        CheckConstraint("(parcel_id IS NULL) <> (carrier_id IS NULL)", name="parcel_or_carrier"),
        UniqueConstraint("project_id", "parcel_id"),
        UniqueConstraint("project_id", "carrier_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    parcel_id: Mapped[int | None] = mapped_column(
        ForeignKey("land_parcels.id", ondelete="RESTRICT"), index=True
    )
    carrier_id: Mapped[int | None] = mapped_column(
        ForeignKey("land_carriers.id", ondelete="RESTRICT"), index=True
    )
    agreed_start_on: Mapped[date | None] = mapped_column(Date)  # 约定开工
    agreed_production_on: Mapped[date | None] = mapped_column(Date)  # 约定投产
    note: Mapped[str | None] = mapped_column(Text)
    conditions_applied_on: Mapped[date | None] = mapped_column(Date)

    project: Mapped[Project] = relationship()
    parcel: Mapped[Parcel | None] = relationship()
    carrier: Mapped[Carrier | None] = relationship()


class EfficiencyRecord(CountyOwned, Versioned, TimestampMixin, Base):
    """One firm's 亩均效益 figures for one year (统计口径: the firm's land in the park)."""

    __tablename__ = "land_efficiency_records"
    __table_args__ = (
        UniqueConstraint("county_id", "year", "firm_name"),
        CheckConstraint(
            "land_mu > 0 AND value_added_wan >= 0 AND tax_wan >= 0 AND energy_tce >= 0 AND employees >= 0",
            name="figures_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("land_parks.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    firm_name: Mapped[str] = mapped_column(String(200), nullable=False)
    uscc: Mapped[str | None] = mapped_column(String(18))
    land_mu: Mapped[Decimal] = mapped_column(Mu, nullable=False)
    value_added_wan: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    tax_wan: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    energy_tce: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)  # 吨标煤
    employees: Mapped[int] = mapped_column(Integer, nullable=False)

    park: Mapped[Park] = relationship()


class EfficiencySettings(CountyOwned, Versioned, TimestampMixin, Base):
    """A county's published 亩均效益 rules: benchmarks, weights (percent, summing to 100),
    the A/B/C score thresholds, the score cap and the minimum land size classed."""

    __tablename__ = "land_efficiency_settings"
    __table_args__ = (UniqueConstraint("county_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    benchmark_tax_per_mu: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    benchmark_va_per_mu: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    benchmark_labour: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    benchmark_energy: Mapped[Decimal] = mapped_column(Numeric(14, 2), nullable=False)
    weight_tax: Mapped[int] = mapped_column(Integer, nullable=False)
    weight_va: Mapped[int] = mapped_column(Integer, nullable=False)
    weight_labour: Mapped[int] = mapped_column(Integer, nullable=False)
    weight_energy: Mapped[int] = mapped_column(Integer, nullable=False)
    threshold_a: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False)
    threshold_b: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False)
    threshold_c: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False)
    score_cap: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False)
    min_land_mu: Mapped[Decimal] = mapped_column(Mu, nullable=False)
