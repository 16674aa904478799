from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from crm.auth.models import User
from crm.companies.models import Company, _from_name
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned, utcnow
from crm.util.pinyin import initials

# Every amount in 万元 (projects, funds, commitments, rewards, targets) has this one column
# type, declared here.
Money = Numeric(14, 2)
# Likewise every percent with two decimals (a referrer's share, a county's share of a
# benefit agreement, a reward rule's minimum shares): up to 999.99.
Percent = Numeric(5, 2)

STAGES = ("lead", "contacted", "visited", "negotiating", "signed", "registered", "started", "producing")
OFF_PATH_STAGES = ("on_hold", "lost")
ALL_STAGES = STAGES + OFF_PATH_STAGES
STAGE_LABELS = {
    "lead": "线索",
    "contacted": "对接",
    "visited": "考察",
    "negotiating": "洽谈",
    "signed": "签约",
    "registered": "注册落地",
    "started": "开工",
    "producing": "投产",
    "on_hold": "搁置",
    "lost": "终止",
}
PROJECT_KINDS = {"new": "新建", "expansion": "扩建", "relocation": "搬迁", "joint_venture": "合资"}
SOURCE_CHANNELS = {
    "resident_office": "驻外招商",
    "business_referral": "以商招商",
    "intermediary": "中介招商",
    "expo": "展会招商",
    "commissioned": "委托招商",
    "online": "网络招商",
    "other": "其他",
}
# Origin of capital, shared with funds in place (docs/design.md glossary: funds).
FUND_ORIGINS = {
    "out_of_province": "省外",
    "in_province": "市外省内",
    "in_city": "市内县外",
    "foreign": "境外",
}
# Origins from outside the city (市内县外 money moves within the city: the city does not gain it).
OUTSIDE_CITY_ORIGINS = ("out_of_province", "in_province", "foreign")


class Project(CountyOwned, Versioned, TimestampMixin, Base):
    """One investment opportunity (招商项目/线索) pursued by one county."""

    __tablename__ = "projects"
    # Search keys kept from the names: not what anyone changed.
    __audit_derived__ = ("name_initials", "code_name_initials")
    # The board reads the latest cards per stage and the list sorts by last change.
    __table_args__ = (
        Index("ix_projects_county_stage_updated", "county_id", "stage", "updated_at"),
        Index("ix_projects_county_updated", "county_id", "updated_at"),
        # Newest first across many counties (a coordinator's list and board): walked in order
        # and stopped at the page's end instead of sorting every county's projects.
        Index("ix_projects_updated", "updated_at", "id"),
        Index("ix_projects_stage_updated", "stage", "updated_at", "id"),
        # The board's column totals (count and planned investment per stage) from the index alone.
        Index("ix_projects_stage_county_amount", "stage", "county_id", "planned_investment_wan"),
        # "At least N 万元" counted over many counties from the index alone: PostgreSQL read
        # every project's row to check its amount (110 ms for a province at 500,000 projects).
        Index("ix_projects_county_amount", "county_id", "planned_investment_wan"),
        # Overdue follow-ups of many counties, read from the index alone.
        Index("ix_projects_county_follow_up", "county_id", "next_follow_up_on", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    code_name: Mapped[str | None] = mapped_column(String(100))  # for confidential projects
    # Pinyin initials of the name and of the code name, for the type-ahead search
    # (crm/util/pinyin.py); the real name's are matched only where the viewer may read it.
    name_initials: Mapped[str] = mapped_column(
        String(200), nullable=False, default=lambda ctx: _from_name(ctx, initials)
    )
    code_name_initials: Mapped[str] = mapped_column(
        String(100), nullable=False, default=lambda ctx: _from_name(ctx, initials, "code_name")
    )
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
    # A manager's confirmation that the local company, though its credit code names a region
    # outside the city, is registered in the county (crm/projects/registration.py).
    local_company_confirmation: Mapped[str | None] = mapped_column(Text)
    local_company_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    local_company_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    construction_started_on: Mapped[date | None] = mapped_column(Date)
    production_started_on: Mapped[date | None] = mapped_column(Date)
    next_follow_up_on: Mapped[date | None] = mapped_column(Date, index=True)
    lost_reason: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    investor_company: Mapped[Company | None] = relationship(foreign_keys=[investor_company_id])
    local_company: Mapped[Company | None] = relationship(foreign_keys=[local_company_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    local_company_confirmed_by: Mapped[User | None] = relationship(
        foreign_keys=[local_company_confirmed_by_id]
    )

    @validates("name", "code_name")
    def _keep_initials(self, key, value):
        setattr(self, f"{key}_initials", initials(value))
        return value

    def __repr__(self) -> str:
        # No name: a repr reaches logs and tracebacks, which are not the owner's alone.
        return f"<Project {self.id} {self.stage}>"


# Projects by name: the list's "名称" sort and the referral list (ordered by project name),
# which PostgreSQL then reads in name order instead of sorting a province's referrals.
Index("ix_projects_name", Project.name, Project.id)
# Projects by amount, unknown amounts last (the list's "金额" sort): a province's page is
# read in index order instead of sorting every project. SQLite and an ascending sort on
# PostgreSQL walk the plain index; PostgreSQL's largest-first needs DESC NULLS LAST spelled
# out, which SQLite's CREATE INDEX does not accept.
Index("ix_projects_amount", Project.planned_investment_wan, Project.id)
Index(
    "ix_projects_amount_nulls_last", Project.planned_investment_wan.desc().nulls_last(), Project.id.desc()
).ddl_if(dialect="postgresql")


class StageChange(CountyOwned, Base):
    """One move of a project between stages; ``reached_on`` is the date the stage was reached."""

    __tablename__ = "stage_changes"
    # "When did this project enter stage S?" is asked per row by the dashboard's stay lengths;
    # without this index SQLite scans the county's whole history for each row.
    # county_id last: the tenant filter is then answered from the index too.
    __table_args__ = (
        Index("ix_stage_changes_project_stage", "project_id", "to_stage", "reached_on", "county_id"),
    )

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
