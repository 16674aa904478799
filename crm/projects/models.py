from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.companies.models import Company
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned, utcnow

Money = Numeric(14, 2)

STAGES = ("lead", "contacted", "visited", "negotiating", "signed", "registered", "started", "producing")
OFF_PATH_STAGES = ("on_hold", "lost")
ALL_STAGES = STAGES + OFF_PATH_STAGES
STAGE_LABELS = {
    "lead": "线索", "contacted": "对接", "visited": "考察", "negotiating": "洽谈",
    "signed": "签约", "registered": "注册落地", "started": "开工", "producing": "投产",
    "on_hold": "搁置", "lost": "终止",
}
PROJECT_KINDS = {"new": "新建", "expansion": "扩建", "relocation": "搬迁", "joint_venture": "合资"}
SOURCE_CHANNELS = {
    "resident_office": "驻外招商", "business_referral": "以商招商", "intermediary": "中介招商",
    "expo": "展会招商", "commissioned": "委托招商", "online": "网络招商", "other": "其他",
}
FUND_ORIGINS = {"out_of_province": "省外", "in_province": "市外省内", "in_city": "县际", "foreign": "外资"}
ACTIVITY_KINDS = {
    "call": "电话", "visit": "拜访", "meeting": "会议", "site_visit": "考察",
    "negotiation": "洽谈", "event": "活动",
}


class Project(CountyOwned, Versioned, TimestampMixin, Base):
    """One investment opportunity (招商项目/线索) pursued by one county."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    code_name: Mapped[str | None] = mapped_column(String(100))  # for confidential projects
    investor_company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    # The company registered locally for the project (its USCC is the evidence of `registered`).
    local_company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="new")
    source_channel: Mapped[str] = mapped_column(String(30), nullable=False, default="other")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    responsible_unit: Mapped[str | None] = mapped_column(String(100))
    leader_in_charge: Mapped[str | None] = mapped_column(String(100))  # 包抓领导
    industry: Mapped[str | None] = mapped_column(String(100))
    planned_investment_wan: Mapped[Decimal | None] = mapped_column(Money)
    fixed_asset_investment_wan: Mapped[Decimal | None] = mapped_column(Money)
    foreign_investment_wan: Mapped[Decimal | None] = mapped_column(Money)
    expected_annual_output_wan: Mapped[Decimal | None] = mapped_column(Money)
    expected_annual_tax_wan: Mapped[Decimal | None] = mapped_column(Money)
    expected_jobs: Mapped[int | None] = mapped_column(Integer)
    land_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    capital_origin: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20), nullable=False, default="lead", index=True)
    first_contact_on: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    contract_no: Mapped[str | None] = mapped_column(String(100))
    registered_on: Mapped[date | None] = mapped_column(Date)
    construction_started_on: Mapped[date | None] = mapped_column(Date)
    production_started_on: Mapped[date | None] = mapped_column(Date)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    lost_reason: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    investor_company: Mapped[Company | None] = relationship(foreign_keys=[investor_company_id])
    local_company: Mapped[Company | None] = relationship(foreign_keys=[local_company_id])
    owner: Mapped[User | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.code_name or self.name

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name} {self.stage}>"


class StageChange(CountyOwned, Base):
    """One move of a project between stages; ``reached_on`` is the date the stage was reached."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20), nullable=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    reached_on: Mapped[date] = mapped_column(Date, nullable=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship()
    changed_by: Mapped[User | None] = relationship()


class Activity(CountyOwned, Versioned, TimestampMixin, Base):
    """跟进记录: a call, visit, meeting, site visit, negotiation or event."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    participants: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project | None] = relationship()
    created_by: Mapped[User | None] = relationship()


class FundsRecord(CountyOwned, Versioned, TimestampMixin, Base):
    """到位资金: money actually in place for one project, one month and one origin."""

    __tablename__ = "funds_records"
    __table_args__ = (UniqueConstraint("project_id", "month", "origin"),)

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
