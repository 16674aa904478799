"""Referrals (引荐备案), reward rules (奖励办法) and reward lists (奖励名单).

A finalized list is a snapshot: it copies the rule's parameters and every line
(project and referrer names, basis, rates, arithmetic, reward, reason), so later
edits to projects, funds, referrals or rules never change it. The flush guard at
the bottom refuses any change to a finalized list, its lines or its objections.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned
from crm.core.errors import ServiceError
from crm.core.i18n import N_
from crm.core.session import TenantSession
from crm.projects.confidential import NameRef
from crm.projects.models import Money, Percent, Project

REFERRER_KINDS = {"individual": N_("个人"), "unit": N_("单位"), "intermediary": N_("中介机构")}
REFERRAL_STATUSES = {
    "active": N_("有效"),
    "disputed": N_("争议待处理"),
    "superseded": N_("已被替换"),
    "rejected": N_("已驳回"),
}
BASES = {
    "funds_in_place": N_("到位资金"),
    "fixed_asset_investment": N_("固定资产投资"),
    "planned_investment": N_("计划（协议）投资额"),
}
MODE_LABELS = {"bracket": N_("分档全额"), "progressive": N_("超额累进")}
LIST_STATUSES = {"draft": N_("草稿"), "publicized": N_("公示中"), "finalized": N_("已定稿")}
OBJECTION_STATUSES = {"open": N_("待处理"), "upheld": N_("异议成立"), "dismissed": N_("异议不成立")}
# Reasons a project that reached the milestone gets no reward, in the order they are checked.
INELIGIBLE_REASONS = {
    "no_referral": N_("无有效引荐备案"),
    "late_registration": N_("引荐备案晚于签约日期"),
    "not_confirmed": N_("投资方未确认引荐关系"),
    "public_official": N_("引荐人为公职人员，按办法不予个人奖励"),
    "public_institution_staff": N_("引荐人为事业单位工作人员，按办法不予个人奖励"),
    "investor_related": N_("引荐人为投资方本身或其关联方，按办法不予奖励"),
    "moved_back": N_("项目已退回到奖励节点之前的阶段"),
    "below_min_investment": N_("计划总投资低于办法规定的最低额"),
    "below_min_fixed_asset_share": N_("固定资产投资占比低于办法规定"),
    "below_min_outside_share": N_("市外资金占比低于办法规定"),
    "not_new_entity": N_("非新设法人项目"),
    "industry_not_covered": N_("项目产业不在办法适用范围内"),
    "not_applied": N_("尚未提交奖励申请"),
    "late_application": N_("奖励申请超过办法规定的期限"),
    "already_rewarded": N_("已在本办法的定稿名单中奖励过"),
    "rewarded_before_transfer": N_("项目流转前，原所在县（区）已按同一节点奖励过"),
    "zero_basis": N_("奖励基数为零"),
    "objection_upheld": N_("公示期异议成立"),
}
# A referrer of one of these kinds of person is excluded from the reward when the rule says so;
# the rule's flag and the referral's flag of each pair (docs/design.md "Rewards").
PERSONAL_EXCLUSIONS = (
    ("public_official", "exclude_public_officials", "is_public_official"),
    ("public_institution_staff", "exclude_public_institution_staff", "is_public_institution_staff"),
    ("investor_related", "exclude_investor_related", "is_investor_related"),
)


class Referral(CountyOwned, Versioned, TimestampMixin, Base):
    """Who introduced a project. One ``active`` referral per project; a later claim is kept
    as ``disputed`` until a manager keeps the existing one or replaces it."""

    __tablename__ = "referrals"
    # The database itself refuses a second active referral, so two claims racing past the
    # service's check cannot both become active (the service turns the refusal into a dispute).
    __table_args__ = (
        Index(
            "uq_referrals_one_active",
            "project_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    referrer_name: Mapped[str] = mapped_column(String(200), nullable=False)
    referrer_kind: Mapped[str] = mapped_column(String(20), nullable=False, default="individual")
    is_public_official: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_public_institution_staff: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The investor itself, or a party it declared related (a shareholder, a subsidiary, staff).
    is_investor_related: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # The referrer's agreed share of the reward in percent; with co-referrers the shares sum to 100.
    share_percent: Mapped[Decimal] = mapped_column(Percent, nullable=False, default=Decimal("100"))
    share_agreement: Mapped[str | None] = mapped_column(String(500))  # 分成协议: number or archive place
    contact: Mapped[str | None] = mapped_column(String(200))
    registered_on: Mapped[date] = mapped_column(Date, nullable=False)
    applied_on: Mapped[date | None] = mapped_column(Date)  # 奖励申请日期
    investor_confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    investor_confirmed_on: Mapped[date | None] = mapped_column(Date)
    confirmation_evidence: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship()
    created_by: Mapped[User | None] = relationship()
    co_referrers: Mapped[list[CoReferrer]] = relationship(
        back_populates="referral", order_by="CoReferrer.position", cascade="all, delete-orphan"
    )

    def registered_late(self) -> bool:
        signed_on = self.project.signed_on if self.project is not None else None
        return signed_on is not None and self.registered_on > signed_on

    @property
    def referrers(self) -> list:
        """The referrer on this record, then its co-referrers: who shares the reward."""
        return [self, *self.co_referrers]


class CoReferrer(CountyOwned, Base):
    """A referrer who brought the project in together with the referral's own referrer, with
    the share of the reward they agreed on (a competing claim is a disputed referral instead)."""

    __tablename__ = "referral_co_referrers"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    referrer_name: Mapped[str] = mapped_column(String(200), nullable=False)
    referrer_kind: Mapped[str] = mapped_column(String(20), nullable=False, default="individual")
    share_percent: Mapped[Decimal] = mapped_column(Percent, nullable=False)
    is_public_official: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_public_institution_staff: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_investor_related: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    referral: Mapped[Referral] = relationship(back_populates="co_referrers")


class RuleOptions:
    """The conditions a county's 办法 typically adds (docs/design.md "Rewards"), on a rule and
    copied onto each list made from it. None (or empty, or false) leaves a condition out."""

    min_planned_investment_wan: Mapped[Decimal | None] = mapped_column(Money)
    min_fixed_asset_percent: Mapped[Decimal | None] = mapped_column(Percent)
    min_outside_city_percent: Mapped[Decimal | None] = mapped_column(Percent)
    new_entity_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Project industries the rule covers, as the projects name them; empty: every industry.
    industries: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    exclude_public_institution_staff: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    exclude_investor_related: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    application_days: Mapped[int | None] = mapped_column(Integer)  # apply within N days of the milestone


class RewardRule(RuleOptions, CountyOwned, Versioned, TimestampMixin, Base):
    """A county's 招商引资奖励办法 for one year. Once a finalized list uses it, an edit makes a
    new ``rule_version`` (same ``lineage_id``) and the old one points to it by ``superseded_by_id``."""

    __tablename__ = "reward_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    basis: Mapped[str] = mapped_column(String(30), nullable=False)
    milestone: Mapped[str] = mapped_column(String(20), nullable=False)
    mode: Mapped[str] = mapped_column(String(20), nullable=False)
    # [{"upper_wan": "1000" | None, "rate_permille": "5"}, ...] as validated by calc.validate_tiers
    tiers: Mapped[list] = mapped_column(JSON, nullable=False)
    cap_wan: Mapped[Decimal | None] = mapped_column(Money)
    exclude_public_officials: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    note: Mapped[str | None] = mapped_column(Text)
    rule_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    lineage_id: Mapped[int | None] = mapped_column(ForeignKey("reward_rules.id"), index=True)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("reward_rules.id"))

    superseded_by: Mapped[RewardRule | None] = relationship(
        remote_side="RewardRule.id", foreign_keys=[superseded_by_id]
    )

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    @property
    def rule_name(self) -> str:  # the same attribute name as a list's snapshot
        return self.name


class LinesByEligibility:
    """A list's ``lines`` split into those rewarded and those not: a stored list
    (:class:`RewardList`) and one being computed (``crm.rewards.eligibility.Eligibility``)."""

    @property
    def eligible_lines(self) -> list:
        return [line for line in self.lines if line.eligible]

    @property
    def ineligible_lines(self) -> list:
        return [line for line in self.lines if not line.eligible]


class RewardList(LinesByEligibility, RuleOptions, CountyOwned, Versioned, TimestampMixin, Base):
    """奖励名单 for one rule and one period: a draft, then (optionally) published for 公示
    from ``notice_start`` to ``notice_end`` with its lines frozen, then finalized by a manager."""

    __tablename__ = "reward_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reward_rules.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    period_text: Mapped[str] = mapped_column(String(60), nullable=False)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft", index=True)
    # The rule as it was when the lines were computed (a copy, not a reference).
    rule_name: Mapped[str] = mapped_column(String(200), nullable=False)
    rule_version: Mapped[int] = mapped_column(Integer, nullable=False)
    rule_lineage_id: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    basis: Mapped[str] = mapped_column(String(30), nullable=False)
    milestone: Mapped[str] = mapped_column(String(20), nullable=False)
    mode: Mapped[str] = mapped_column(String(20), nullable=False)
    tiers: Mapped[list] = mapped_column(JSON, nullable=False)
    cap_wan: Mapped[Decimal | None] = mapped_column(Money)
    exclude_public_officials: Mapped[bool] = mapped_column(Boolean, nullable=False)
    total_reward_wan: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    computed_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    finalized_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # 公示期: the first and last day objections are received (both inclusive).
    notice_start: Mapped[date | None] = mapped_column(Date)
    notice_end: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    rule: Mapped[RewardRule] = relationship()
    finalized_by: Mapped[User | None] = relationship(foreign_keys=[finalized_by_id])
    lines: Mapped[list[RewardLine]] = relationship(
        back_populates="reward_list", order_by="RewardLine.position", cascade="all, delete-orphan"
    )
    objections: Mapped[list[RewardObjection]] = relationship(
        back_populates="reward_list", order_by="RewardObjection.id", cascade="all, delete-orphan"
    )

    @property
    def is_finalized(self) -> bool:
        return self.status == "finalized"

    @property
    def is_publicized(self) -> bool:
        return self.status == "publicized"

    @property
    def open_objections(self) -> list[RewardObjection]:
        return [o for o in self.objections if o.status == "open"]


class RewardLine(CountyOwned, Base):
    """One project of a list, eligible or not, with everything needed to read it later."""

    __tablename__ = "reward_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("reward_lists.id", ondelete="CASCADE"), index=True)
    # The insert sentinel: SQLite cannot say which generated id belongs to which row of a
    # multi-row INSERT .. RETURNING, so without one the ORM inserts a list's lines one statement
    # per line. Positions are unique within a list, and services._fill_lines is the only place
    # that adds lines and flushes each list's new lines on their own; new lines of two lists in
    # one flush would make SQLAlchemy refuse the flush (loudly, never mixing ids up).
    position: Mapped[int] = mapped_column(Integer, nullable=False, insert_sentinel=True)
    # SET NULL: deleting a project later must not change a finalized list.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    project_name: Mapped[str] = mapped_column(String(200), nullable=False)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))
    referrer_name: Mapped[str | None] = mapped_column(String(200))
    referrer_kind: Mapped[str | None] = mapped_column(String(20))
    is_public_official: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signed_on: Mapped[date | None] = mapped_column(Date)
    referral_registered_on: Mapped[date | None] = mapped_column(Date)
    milestone_reached_on: Mapped[date] = mapped_column(Date, nullable=False)
    eligible: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(500))
    basis_wan: Mapped[Decimal | None] = mapped_column(Money)
    rates: Mapped[str | None] = mapped_column(String(200))
    arithmetic: Mapped[str | None] = mapped_column(Text)
    reward_wan: Mapped[Decimal] = mapped_column(Money, nullable=False, default=Decimal("0"))
    capped: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Each referrer's part of the reward: [{"referrer_name", "referrer_kind", "share_percent",
    # "reward_wan", "excluded"}] (amounts and percents as text; ``excluded`` the reason or null).
    shares: Mapped[list | None] = mapped_column(JSON)

    reward_list: Mapped[RewardList] = relationship(back_populates="lines")
    # The project as it is now, joined into the statement that reads the lines: whether it
    # is confidential and whose it is are not part of the snapshot (a project that gets a
    # code name later is hidden in old lists too). Read only through ``project_ref``.
    project: Mapped[Project | None] = relationship(viewonly=True, lazy="joined")

    @property
    def project_ref(self) -> NameRef:
        """The copied project name with what the confidential rule needs to show it. A line
        whose project was deleted keeps its name as copied."""
        project = self.project
        if project is None:
            return NameRef(self.project_name, None, None, self.county_id)
        return NameRef(self.project_name, project.code_name, project.owner_id, self.county_id)


class RewardObjection(CountyOwned, Versioned, TimestampMixin, Base):
    """异议: an objection to one line of a list received during its 公示期, and its outcome."""

    __tablename__ = "reward_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("reward_lists.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("reward_lines.id", ondelete="CASCADE"), index=True)
    objector: Mapped[str] = mapped_column(String(200), nullable=False)  # who raised it
    objector_contact: Mapped[str | None] = mapped_column(String(200))
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    outcome: Mapped[str | None] = mapped_column(Text)  # what the bureau found and decided
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    reward_list: Mapped[RewardList] = relationship(back_populates="objections")
    line: Mapped[RewardLine] = relationship()
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class FinalizedListError(ServiceError):
    """Something tried to change a finalized reward list."""

    def __init__(self):
        super().__init__("已定稿的奖励名单不能修改或删除")


def _committed(obj, key: str):
    history = inspect(obj).attrs[key].history
    if history.deleted:
        return history.deleted[0]
    return history.unchanged[0] if history.unchanged else getattr(obj, key)


def _guard_finalized(session, flush_context, instances) -> None:
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, RewardList) and _committed(obj, "status") == "finalized":
            if obj in session.deleted or session.is_modified(obj, include_collections=False):
                raise FinalizedListError()
        elif isinstance(obj, (RewardLine, RewardObjection)) and obj.reward_list is not None:
            if _committed(obj.reward_list, "status") == "finalized" and (
                obj in session.deleted or session.is_modified(obj, include_collections=False)
            ):
                raise FinalizedListError()


event.listen(TenantSession, "before_flush", _guard_finalized)
