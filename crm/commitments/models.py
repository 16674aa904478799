"""Policies (优惠政策), commitments (承诺), fulfillments (兑现) and investor obligations (企业履约).

A policy belongs to a region: a county's own policy is visible to that county only, a
province's (or city's) policy to every county below it. That is not the one-county tenancy
of ``CountyOwned``, so ``Policy`` carries ``region_id`` and the services check visibility
explicitly (``crm.commitments.policies``). Commitments, fulfillments, obligations, a
manager's decisions on a draft (批准 / 驳回), the review records of a commitment,
collective-decision records, the obligations a payment depends on and 存量清理 decisions
are ordinary county-owned records.

A policy's own 公平竞争审查 stays one state on the policy (with the moment it last failed);
withdrawing it (废止) or failing it puts its live commitments on the 存量清理 list.

A commitment's reviews are records, not drop-downs (issue 14 item 9): each 公平竞争审查 and
合法性审核（司法局） is a row with its reviewer, date, document number, conclusion and
attachment reference. The review *state* shown everywhere (待审查 / 审查通过 / 审查未通过)
is derived from the current record of each kind.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    not_,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.core import clock
from crm.core.db import Base, CountyOwned, TimestampMixin, Versioned, utcnow
from crm.core.i18n import N_
from crm.projects.models import Money, Project
from crm.regions.models import Region

# Labels are msgids (translated where shown).
POLICY_KINDS = {
    "land_price": "土地价格优惠",
    "tax_reward": "税收贡献奖励",
    "fixed_asset_subsidy": "固定资产投资补助",
    "plant_rent": "厂房租金减免",
    "loan_interest": "贷款贴息",
    "talent": "人才引进",
    "other": "其他",
}
# A policy's 公平竞争审查 (still one state on the policy), and the state of each review of a
# commitment, derived from its current record.
FAIR_REVIEW_STATES = {"pending": "待审查", "passed": "审查通过", "failed": "审查未通过"}
# "无需审查" survives only on records migration 0015 made from the old drop-down.
LEGAL_REVIEW_STATES = {**FAIR_REVIEW_STATES, "not_required": "无需审查"}
REVIEW_KINDS = {"fair_competition": N_("公平竞争审查"), "legality": N_("合法性审核（司法局）")}
REVIEW_CONCLUSIONS = {"passed": N_("通过"), "failed": N_("不通过")}
# Why a live commitment is on the 存量清理 list, and what the manager decided.
CLEANUP_CAUSES = {"withdrawn": N_("依据政策已废止"), "review_failed": N_("依据政策未通过公平竞争审查")}
CLEANUP_RESOLUTIONS = {"continue": N_("依法继续履行"), "revoke": N_("撤销承诺")}
# Binding promises still owed: what a withdrawn or failed policy puts on the list.
LIVE_STATUSES = ("approved", "partially_fulfilled", "suspended")
COMMITMENT_STATUSES = {
    "draft": "草稿",
    "approved": "已批准",
    "partially_fulfilled": "部分兑现",
    "fulfilled": "已兑现",
    "suspended": "暂停兑现",
    "revoked": "已撤销",
    "clawed_back": "已追回",
}
# Nothing more is owed on these, so they are never overdue.
CLOSED_STATUSES = ("fulfilled", "revoked", "clawed_back")
# Binding promises: counted in "promised" figures (a draft is not yet promised).
PROMISED_STATUSES = ("approved", "partially_fulfilled", "fulfilled", "suspended")

OBLIGATION_KINDS = {
    "investment_amount": "投资总额",
    "investment_intensity": "投资强度",
    "output_per_mu": "亩均产值",
    "tax_per_mu": "亩均税收",
    "plot_ratio": "容积率",  # a 标准地 condition (crm.land)
    "construction_start": "开工时限",
    "production_start": "投产时限",
    "jobs": "就业人数",
}
OBLIGATION_UNITS = {
    "investment_amount": "万元",
    "investment_intensity": "万元/亩",
    "output_per_mu": "万元/亩",
    "tax_per_mu": "万元/亩",
    "plot_ratio": "",
    "construction_start": "",
    "production_start": "",
    "jobs": "人",
}
# Kinds met by a date (the deadline is ``due_on``) rather than by a figure.
DATE_OBLIGATION_KINDS = ("construction_start", "production_start")
OBLIGATION_STATUSES = {"pending": "待核验", "met": "已履约", "missed": "未履约"}
# A manager's decision on a draft: approving makes it binding, refusing (驳回) leaves it a
# draft for the staff to fix. Each is kept with its reason and the amount decided on.
DECISIONS = {"approved": "批准", "refused": "驳回"}
CONSEQUENCES = {
    "withhold": "暂缓兑现优惠",
    "adjust_land_price": "调整地价",
    "recover_subsidy": "追回补助",
    "exit": "退出（收回土地）",
}


class Policy(Versioned, TimestampMixin, Base):
    """A published incentive with its legal basis and limits, owned by a region."""

    __tablename__ = "policies"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False, default="other")
    legal_basis: Mapped[str] = mapped_column(String(200), nullable=False)  # 文号
    max_amount_wan: Mapped[Decimal | None] = mapped_column(Money)
    max_ratio_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # % of the investment
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_to: Mapped[date | None] = mapped_column(Date)
    fair_review: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    # When the 公平竞争审查 was last set to failed: the live commitments under it go to 存量清理.
    review_failed_at: Mapped[datetime | None] = mapped_column(DateTime)
    description: Mapped[str | None] = mapped_column(Text)
    # 废止: from this day the policy backs no new promise; its live ones go to 存量清理.
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)  # when it was recorded (UTC)
    withdrawal_document: Mapped[str | None] = mapped_column(String(100))  # 废止文件文号
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    region: Mapped[Region] = relationship()

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def cleanup_cause(self) -> tuple[str, datetime] | None:
        """Why the policy's live commitments are to be reviewed, and since when: withdrawn,
        or its 公平竞争审查 failed (the later of the two when both); None when neither."""
        causes = []
        if self.withdrawn_at is not None:
            causes.append(("withdrawn", self.withdrawn_at))
        if self.fair_review == "failed" and self.review_failed_at is not None:
            causes.append(("review_failed", self.review_failed_at))
        return max(causes, key=lambda cause: cause[1], default=None)

    def __repr__(self) -> str:
        return f"<Policy {self.id} {self.name}>"


class Commitment(CountyOwned, Versioned, TimestampMixin, Base):
    """One clause promised to one project's investor under a policy."""

    __tablename__ = "commitments"
    # The register pages by due date within the readable counties and totals amounts by
    # status; with these columns in one index both are read from the index alone.
    __table_args__ = (Index("ix_commitments_county_due", "county_id", "due_on", "status", "amount_wan"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: a project with promises on record must not disappear with them.
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="RESTRICT"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="RESTRICT"), index=True)
    clause: Mapped[str] = mapped_column(Text, nullable=False)
    amount_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    conditions: Mapped[str | None] = mapped_column(Text)
    committed_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    # The legal basis the drafter states for a clause the risk flags mark (crm.commitments.risk).
    risk_legal_basis: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), nullable=False, default="draft", index=True)
    # Where a suspended commitment returns to when the suspension is lifted.
    status_before_suspension: Mapped[str | None] = mapped_column(String(24))
    suspended_by_obligation_id: Mapped[int | None] = mapped_column(
        ForeignKey("obligations.id", ondelete="SET NULL"), index=True
    )
    status_note: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The collective decision an approval above the policy's cap rests on (issue 14 item 11).
    cap_decision_id: Mapped[int | None] = mapped_column(ForeignKey("collective_decisions.id"))
    # One manager's free-text reason for exceeding the cap, as approvals before migration
    # 0015 kept it; no longer written (a collective-decision record is needed now).
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship()
    policy: Mapped[Policy] = relationship()
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    cap_decision: Mapped[CollectiveDecision | None] = relationship()
    reviews: Mapped[list[CommitmentReview]] = relationship(
        back_populates="commitment", order_by=lambda: (CommitmentReview.reviewed_on, CommitmentReview.id)
    )
    obligation_links: Mapped[list[CommitmentObligation]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan"
    )
    linked_obligations: Mapped[list[Obligation]] = relationship(
        secondary="commitment_obligations", viewonly=True, order_by=lambda: (Obligation.due_on, Obligation.id)
    )
    cleanup_resolutions: Mapped[list[CleanupResolution]] = relationship(
        back_populates="commitment",
        order_by=lambda: (CleanupResolution.resolved_at, CleanupResolution.id),
    )
    fulfillments: Mapped[list[Fulfillment]] = relationship(
        back_populates="commitment", order_by="Fulfillment.fulfilled_on, Fulfillment.id"
    )
    decisions: Mapped[list[CommitmentDecision]] = relationship(
        back_populates="commitment",
        order_by=lambda: (CommitmentDecision.decided_at.desc(), CommitmentDecision.id.desc()),
    )

    @property
    def fulfilled_wan(self) -> Decimal:
        return sum((f.amount_wan for f in self.fulfillments), Decimal("0.00"))

    @property
    def outstanding_wan(self) -> Decimal:
        return self.amount_wan - self.fulfilled_wan

    def current_review(self, kind: str) -> CommitmentReview | None:
        """The latest record of ``kind`` on the terms as they stand (records made before
        the terms last changed are superseded), by review date, then entry."""
        found = [r for r in self.reviews if r.kind == kind and r.superseded_at is None]
        return max(found, key=lambda r: (r.reviewed_on, r.id or 0), default=None)

    def cleanup_cause(self) -> tuple[str, datetime] | None:
        """Why this commitment is on the 存量清理 list, and since when; None when it is not
        live, its policy stands, or a manager resolved it since (the SQL form is
        ``crm.commitments.queries.cleanup_statement``)."""
        if self.status not in LIVE_STATUSES:
            return None
        cause = self.policy.cleanup_cause()
        if cause is None or any(r.resolved_at >= cause[1] for r in self.cleanup_resolutions):
            return None
        return cause

    @property
    def fair_review(self) -> str:
        """``pending`` / ``passed`` / ``failed`` from the current 公平竞争审查 record."""
        return review_state(self.current_review("fair_competition"))

    @property
    def legal_review(self) -> str:
        """The same for the 合法性审核（司法局） (``not_required`` only on migrated records)."""
        return review_state(self.current_review("legality"))

    def is_overdue(self, today: date) -> bool:
        """Due date passed (due today is not overdue) and something is still owed."""
        return self.due_on < today and self.status not in CLOSED_STATUSES

    @classmethod
    def overdue_on(cls, today: date):
        """The SQL form of :meth:`is_overdue`, for filters and aggregates."""
        return and_(cls.due_on < today, not_(cls.status.in_(CLOSED_STATUSES)))

    @hybrid_property
    def overdue(self) -> bool:
        return self.is_overdue(clock.today())

    @overdue.inplace.expression
    @classmethod
    def _overdue_expression(cls):
        return cls.overdue_on(clock.today())

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.status} {self.amount_wan}>"


class Fulfillment(CountyOwned, TimestampMixin, Base):
    """One delivery (兑现) against a commitment."""

    __tablename__ = "fulfillments"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"), index=True)
    fulfilled_on: Mapped[date] = mapped_column(Date, nullable=False)
    amount_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    evidence: Mapped[str] = mapped_column(String(200), nullable=False)  # 拨付凭证号 / 文件号
    note: Mapped[str | None] = mapped_column(Text)
    # How the clause's conditions were verified before paying (核实依据), when it has any.
    conditions_evidence: Mapped[str | None] = mapped_column(Text)
    # The collective decision that allowed paying with obligations or conditions unmet.
    override_decision_id: Mapped[int | None] = mapped_column(ForeignKey("collective_decisions.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    commitment: Mapped[Commitment] = relationship(back_populates="fulfillments")
    override_decision: Mapped[CollectiveDecision | None] = relationship()


class CommitmentDecision(CountyOwned, Base):
    """A manager's approval or refusal of a draft, with the reason and the amount decided on
    (the draft may change after a refusal, so the amount is copied, not referenced)."""

    __tablename__ = "commitment_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16), nullable=False)
    # Why it was refused; for an approval above the cap, the collective decision's label
    # (before migration 0015: one manager's override reason).
    reason: Mapped[str | None] = mapped_column(Text)
    amount_wan: Mapped[Decimal] = mapped_column(Money, nullable=False)
    collective_decision_id: Mapped[int | None] = mapped_column(ForeignKey("collective_decisions.id"))
    collective_decision: Mapped[CollectiveDecision | None] = relationship()

    commitment: Mapped[Commitment] = relationship(back_populates="decisions")
    # Shown beside every decision: loaded with it, not one query per decider.
    decided_by: Mapped[User | None] = relationship(lazy="joined")


class Obligation(CountyOwned, Versioned, TimestampMixin, Base):
    """What the investor promised back (政企双兑现) and what happens if it is missed."""

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    # Figure kinds have a target (万元, 万元/亩 or people); date kinds are met by ``due_on``.
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    actual_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    actual_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending", index=True)
    consequence: Mapped[str] = mapped_column(String(30), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    assessed_on: Mapped[date | None] = mapped_column(Date)
    withhold_lifted_at: Mapped[datetime | None] = mapped_column(DateTime)
    withhold_lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withhold_lift_note: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship()

    @property
    def is_date_kind(self) -> bool:
        return self.kind in DATE_OBLIGATION_KINDS

    @property
    def withholding(self) -> bool:
        """True while this missed obligation keeps the project's commitments suspended."""
        return self.status == "missed" and self.consequence == "withhold" and self.withhold_lifted_at is None


class CommitmentReview(CountyOwned, Base):
    """One 公平竞争审查 or 合法性审核（司法局） of a commitment's terms, as the reviewing body
    gave it: who, when, under which document number, with what conclusion."""

    __tablename__ = "commitment_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    reviewer: Mapped[str] = mapped_column(String(100), nullable=False)  # 审查机构及审查人
    reviewed_on: Mapped[date] = mapped_column(Date, nullable=False)
    document_no: Mapped[str] = mapped_column(String(100), nullable=False)  # 审查意见书文号 ("" only migrated)
    conclusion: Mapped[str] = mapped_column(String(16), nullable=False)
    attachment_ref: Mapped[str | None] = mapped_column(String(200))  # 附件：档案号或存放位置
    note: Mapped[str | None] = mapped_column(Text)
    # Made by migration 0015 from the old drop-down: no reviewer, date or document behind
    # it, so it is shown but does not count towards approving a draft.
    migrated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Set when the terms reviewed changed afterwards: the record stays, but no longer counts.
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="reviews")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")


def review_state(review: CommitmentReview | None) -> str:
    return "pending" if review is None else review.conclusion


class CollectiveDecision(CountyOwned, Base):
    """A collective decision (集体决策) on record: the meeting, its date and the minute number.

    One meeting may decide several matters, so several approvals or payments may refer to
    the same record; a minute number names one meeting per county."""

    __tablename__ = "collective_decisions"
    __table_args__ = (UniqueConstraint("county_id", "minute_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting: Mapped[str] = mapped_column(String(200), nullable=False)  # e.g. 县政府第12次常务会议
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    minute_no: Mapped[str] = mapped_column(String(100), nullable=False)  # 会议纪要文号
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    @property
    def label(self) -> str:
        return f"{self.meeting}（{self.held_on.isoformat()}，{self.minute_no}）"


class CommitmentObligation(CountyOwned, Base):
    """An investor obligation a commitment's payment depends on (政企双兑现): while it is not
    met, the commitment is not paid without a collective decision (issue 14 item 13)."""

    __tablename__ = "commitment_obligations"
    __table_args__ = (UniqueConstraint("commitment_id", "obligation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"), index=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("obligations.id", ondelete="RESTRICT"), index=True)

    commitment: Mapped[Commitment] = relationship(back_populates="obligation_links")


class CleanupResolution(CountyOwned, Base):
    """A manager's decision on a commitment on the 存量清理 list: continue it (on a collective
    decision) or revoke it. It answers the policy's state at ``resolved_at``; a later
    withdrawal or failed review puts the commitment on the list again."""

    __tablename__ = "cleanup_resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="RESTRICT"), index=True)
    cause: Mapped[str] = mapped_column(String(20), nullable=False)
    resolution: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("collective_decisions.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    commitment: Mapped[Commitment] = relationship(back_populates="cleanup_resolutions")
    decision: Mapped[CollectiveDecision | None] = relationship()
    resolved_by: Mapped[User | None] = relationship(lazy="joined")


__all__ = [
    "CleanupResolution",
    "CollectiveDecision",
    "CommitmentObligation",
    "Commitment",
    "CommitmentDecision",
    "CommitmentReview",
    "Fulfillment",
    "Obligation",
    "Policy",
    "utcnow",
]
