from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import Base, TimestampMixin, Versioned


class RegionLevel(str, enum.Enum):
    province = "province"
    city = "city"
    county = "county"


LEVEL_LABELS = {"province": "省", "city": "市", "county": "县（区）"}
PARENT_LEVEL = {RegionLevel.city: RegionLevel.province, RegionLevel.county: RegionLevel.city}


class Region(Versioned, TimestampMixin, Base):
    """A 行政区划 with its GB/T 2260 code. Counties are the tenants."""

    __tablename__ = "regions"
    __audited__ = True
    __table_args__ = (CheckConstraint("length(code) = 6", name="code_six_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    level: Mapped[RegionLevel] = mapped_column(
        Enum(RegionLevel, name="region_level", native_enum=False, length=16), nullable=False
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side="Region.id", back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent", order_by="Region.code")

    @property
    def is_county(self) -> bool:
        return self.level == RegionLevel.county

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
