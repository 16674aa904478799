"""Records between counties: transfer offers, benefit-sharing agreements, collision alerts.

None of them is county-owned (``CountyOwned``): each names two counties and is read by both,
and by the coordinators above them. Who may read one is decided in one place,
``crm.coordination.access``, from the counties it names.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.core.db import Base, TimestampMixin, Versioned
from crm.core.i18n import N_
from crm.projects.models import Percent

__all__ = [
    "AGREEMENT_KINDS",
    "BenefitAgreement",
    "BenefitShare",
    "COLLISION_MATCHES",
    "COLLISION_RULINGS",
    "CollisionAlert",
    "TRANSFER_REASONS",
    "TRANSFER_STATUSES",
    "Transfer",
]

TRANSFER_REASONS = {"land": N_("用地"), "energy": N_("能耗"), "chain": N_("产业链配套"), "other": N_("其他")}
TRANSFER_STATUSES = {
    "offered": N_("待接收"),
    "accepted": N_("已接收"),
    "declined": N_("已拒绝"),
    "withdrawn": N_("已撤回"),
}
AGREEMENT_KINDS = {"transfer": N_("项目流转"), "offsite": N_("异地建设")}
COLLISION_MATCHES = {"company": N_("同一企业"), "uscc": N_("同一信用代码"), "name": N_("企业名称相同")}
COLLISION_RULINGS = {"lead": N_("一县主导"), "joint": N_("联合招商"), "transfer": N_("项目流转")}


class Transfer(Versioned, TimestampMixin, Base):
    """County A offers one of its projects to county B, which accepts or declines."""

    __tablename__ = "transfers"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True, nullable=False)
    from_county_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    to_county_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="offered", index=True)
    # The split A proposes (percent of A; B holds the rest) and for how many years.
    from_share_percent: Mapped[Decimal] = mapped_column(Percent, nullable=False)
    years: Mapped[int] = mapped_column(Integer, nullable=False)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer_note: Mapped[str | None] = mapped_column(Text)
    # A coordinator's collision ruling that opened this offer, if any.
    collision_id: Mapped[int | None] = mapped_column(ForeignKey("collision_alerts.id"))


class BenefitAgreement(Versioned, TimestampMixin, Base):
    """Each county's share of one project's funds in place, output and tax, for ``years``
    years from ``starts_on``. ``kind``: a transfer (the project moved to ``host``) or 异地建设
    (built in a park of ``host`` while the project stays with ``origin``)."""

    __tablename__ = "benefit_agreements"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    origin_county_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    host_county_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    years: Mapped[int] = mapped_column(Integer, nullable=False)
    park: Mapped[str | None] = mapped_column(String(200))  # 异地建设: the host's park
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    shares: Mapped[list[BenefitShare]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="BenefitShare.id"
    )

    def ends_before(self) -> date:
        """The first day no longer under the agreement."""
        start = self.starts_on
        try:
            return start.replace(year=start.year + self.years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.years, day=28)


class BenefitShare(Base):
    """One county's share of an agreement, in percent (the shares add up to 100)."""

    __tablename__ = "benefit_shares"
    __audited__ = True
    __table_args__ = (UniqueConstraint("agreement_id", "county_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("benefit_agreements.id", ondelete="CASCADE"), index=True, nullable=False
    )
    county_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    funds_percent: Mapped[Decimal] = mapped_column(Percent, nullable=False)
    output_percent: Mapped[Decimal] = mapped_column(Percent, nullable=False)
    tax_percent: Mapped[Decimal] = mapped_column(Percent, nullable=False)

    agreement: Mapped[BenefitAgreement] = relationship(back_populates="shares")


class CollisionAlert(Versioned, TimestampMixin, Base):
    """Two counties pursue the same investor (撞车). ``first_county`` recorded contact first."""

    __tablename__ = "collision_alerts"
    __audited__ = True
    __table_args__ = (UniqueConstraint("project_a_id", "project_b_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pair in id order (a < b), so a pair has one alert.
    project_a_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True, nullable=False)
    project_b_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True, nullable=False)
    county_a_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    county_b_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True, nullable=False)
    match: Mapped[str] = mapped_column(String(20), nullable=False)
    company_label: Mapped[str] = mapped_column(String(200), nullable=False)  # shared master data
    # The investor's normalised name: one alert per pair of counties and investor.
    company_key: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    first_county_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), nullable=False)
    first_contact_a: Mapped[date] = mapped_column(Date, nullable=False)
    first_contact_b: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open", index=True)
    ruling: Mapped[str | None] = mapped_column(String(20))
    lead_county_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    ruling_note: Mapped[str | None] = mapped_column(Text)
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ruled_at: Mapped[datetime | None] = mapped_column(DateTime)

    def counties(self) -> tuple[int, int]:
        return (self.county_a_id, self.county_b_id)
