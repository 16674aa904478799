"""Promises a county can defend (issue 14 items 9-11, 14): reviews are records, nobody
approves their own draft, risk-flagged clauses need a legal basis, and exceeding a cap
needs a collective decision."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from commitment_helpers import acting, draft_commitment, record_review, user_named
from sqlalchemy import func, select

from crm.commitments import services
from crm.commitments.collective import DecisionInput
from crm.commitments.models import CollectiveDecision, Commitment, CommitmentDecision, Policy
from crm.commitments.policies import NotAllowed
from crm.commitments.risk import risk_flags
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.projects.models import Project

MEETING = DecisionInput("岐山县人民政府第 12 次常务会议", date(2026, 11, 20), "岐政常纪〔2026〕12号")


def _fresh_draft(drafts, reviews=(None, None), **extra) -> Commitment:
    project = db.session.get(Project, drafts["project_a"])
    policy = db.session.get(Policy, drafts["policy_a"])
    return draft_commitment(project, policy, user_named("a_staff"), drafts.today, reviews=reviews, **extra)


# ---- item 9: reviews are records; approval needs both, by someone else ------------------


def test_approval_needs_both_reviews_on_record_and_passed(app, drafts):
    with acting(app):
        manager, staff = user_named("a_manager"), user_named("a_staff")
        commitment = _fresh_draft(drafts)
        assert (commitment.fair_review, commitment.legal_review) == ("pending", "pending")
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(commitment, manager)
        assert set(refused.value.errors) == {"fair_competition", "legality"}
        assert "合法性审核（司法局）" in refused.value.message
        record_review(commitment, staff, "fair_competition", "passed", drafts.today)
        with pytest.raises(ServiceError, match="尚无合法性审核（司法局）记录"):
            services.approve_commitment(commitment, manager)
        record_review(commitment, staff, "legality", "failed", drafts.today)
        assert commitment.legal_review == "failed"
        with pytest.raises(ServiceError, match="不通过"):
            services.approve_commitment(commitment, manager)
        assert commitment.status == "draft"
        record_review(commitment, staff, "legality", "passed", drafts.today)  # a later opinion
        services.approve_commitment(commitment, manager)
        assert commitment.status == "approved" and commitment.legal_review == "passed"


def test_a_review_record_needs_reviewer_date_and_document_number(app, drafts):
    with acting(app):
        commitment = _fresh_draft(drafts)
        with pytest.raises(ServiceError) as refused:
            services.add_review(
                commitment,
                user_named("a_staff"),
                kind="legality",
                reviewer=" ",
                reviewed_on=drafts.today + timedelta(days=1),
                document_no="",
                conclusion="maybe",
                today=drafts.today,
            )
        assert set(refused.value.errors) == {"reviewer", "reviewed_on", "document_no", "conclusion"}
        assert commitment.reviews == []


def test_nobody_approves_their_own_draft(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        project = db.session.get(Project, drafts["project_a"])
        own = draft_commitment(project, db.session.get(Policy, drafts["policy_a"]), manager, drafts.today)
        with pytest.raises(NotAllowed, match="起草人不能批准"):
            services.approve_commitment(own, manager)
        assert own.status == "draft" and own.decisions == []


def test_changing_the_terms_supersedes_the_reviews(app, drafts):
    with acting(app):
        staff = user_named("a_staff")
        commitment = db.session.get(Commitment, drafts["draft_a"])
        assert commitment.fair_review == "passed"
        services.update_commitment(
            commitment, staff, version=commitment.version, clause="工业用地按基准地价 60% 出让"
        )
        assert (commitment.fair_review, commitment.legal_review) == ("pending", "pending")
        assert all(r.superseded_at is not None for r in commitment.reviews)
        with pytest.raises(ServiceError, match="审查未齐备"):
            services.approve_commitment(commitment, user_named("a_manager"))


def test_reviews_are_recorded_only_on_drafts(app, drafts):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        services.approve_commitment(commitment, user_named("a_manager"))
        with pytest.raises(ServiceError, match="只有草稿"):
            record_review(commitment, user_named("a_staff"), "legality", "failed", drafts.today)


# ---- item 10: risk flags need a stated legal basis ------------------------------------


@pytest.mark.parametrize(
    ("kind", "clause", "flags"),
    [
        ("tax_reward", "投产后三年按其缴纳税收给予奖励", ["tax_linked"]),
        ("other", "按地方留成部分的 50% 先征后返", ["tax_linked", "revenue_refund"]),
        ("other", "土地出让金按 30% 返还企业", ["revenue_refund"]),
        ("land_price", "按工业用地出让最低价标准的 70% 出让", ["land_price"]),
        ("other", "零地价供地", ["land_price"]),
        ("plant_rent", "三年内免收标准化厂房租金", []),
        ("loan_interest", "技改贷款按 LPR 的 50% 贴息两年", []),
    ],
)
def test_risk_flags_from_policy_kind_and_clause(kind, clause, flags):
    assert risk_flags(kind, clause) == flags


def test_a_risk_flagged_clause_needs_a_legal_basis_before_approval(app, drafts):
    with acting(app):
        manager, staff = user_named("a_manager"), user_named("a_staff")
        commitment = _fresh_draft(drafts, reviews=("passed", "passed"), risk_legal_basis=None)
        assert services.commitment_risks(commitment) == ["land_price"]
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(commitment, manager)
        assert "risk_legal_basis" in refused.value.errors and "最低价" in refused.value.message
        services.update_commitment(
            commitment, staff, version=commitment.version, risk_legal_basis="国土资发〔2009〕56号"
        )
        for kind in ("fair_competition", "legality"):  # the basis is part of what is reviewed
            record_review(commitment, staff, kind, "passed", drafts.today)
        services.approve_commitment(commitment, manager)
        assert commitment.status == "approved"


def test_an_unflagged_clause_needs_no_legal_basis(app, drafts):
    with acting(app):
        project = db.session.get(Project, drafts["project_a"])
        rent = db.session.get(Policy, drafts["policy_province"])  # fixed-asset subsidy
        commitment = draft_commitment(
            project,
            rent,
            user_named("a_staff"),
            drafts.today,
            amount="100",
            clause="设备购置补助",
            risk_legal_basis=None,
        )
        services.approve_commitment(commitment, user_named("a_manager"))
        assert commitment.status == "approved"


# ---- item 11: above the cap, a collective decision ------------------------------------


def test_above_the_cap_needs_a_collective_decision_record(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        commitment = db.session.get(Commitment, drafts["draft_a"])
        commitment.amount_wan = Decimal("500.01")  # land policy cap: 500
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(commitment, manager)
        assert "500.00" in refused.value.message
        assert set(refused.value.errors) == {"decision_meeting", "decision_held_on", "decision_minute_no"}
        late = DecisionInput(MEETING.meeting, drafts.today + timedelta(days=1), MEETING.minute_no)
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(commitment, manager, decision=late)
        assert set(refused.value.errors) == {"decision_held_on"}
        assert commitment.status == "draft" and commitment.cap_decision is None
        services.approve_commitment(commitment, manager, decision=MEETING)
        assert commitment.status == "approved"
        assert (
            commitment.cap_decision.label
            == "岐山县人民政府第 12 次常务会议（2026-11-20，岐政常纪〔2026〕12号）"
        )
        approval = commitment.decisions[-1]
        assert approval.collective_decision is commitment.cap_decision
        assert approval.reason == commitment.cap_decision.label
        assert commitment.override_reason is None


def test_one_meeting_decides_several_matters_but_a_minute_number_names_one_meeting(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        first = db.session.get(Commitment, drafts["draft_a"])
        second = _fresh_draft(drafts, reviews=("passed", "passed"), amount="600")
        first.amount_wan = Decimal("600")
        services.approve_commitment(first, manager, decision=MEETING)
        other = DecisionInput("县委常委会", MEETING.held_on, MEETING.minute_no)
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(second, manager, decision=other)
        assert "已登记为" in refused.value.errors["decision_minute_no"][0]
        services.approve_commitment(second, manager, decision=MEETING)
        assert second.cap_decision_id == first.cap_decision_id
        assert db.session.execute(select(func.count()).select_from(CollectiveDecision)).scalar_one() == 1


def test_within_the_cap_no_decision_is_kept(app, drafts):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        commitment.amount_wan = Decimal("500.00")
        services.approve_commitment(commitment, user_named("a_manager"), decision=MEETING)
        assert commitment.status == "approved" and commitment.cap_decision is None
        assert db.session.execute(select(func.count()).select_from(CollectiveDecision)).scalar_one() == 0


def test_a_refused_approval_writes_no_decision(app, drafts):
    with acting(app):
        commitment = _fresh_draft(drafts)
        with pytest.raises(ServiceError):
            services.approve_commitment(commitment, user_named("a_manager"))
        count = select(func.count()).select_from(CommitmentDecision)
        assert (
            db.session.execute(count.where(CommitmentDecision.commitment_id == commitment.id)).scalar_one()
            == 0
        )


# ---- item 17 (rule): fulfilments come after the approval ------------------------------


def test_a_fulfilment_cannot_be_dated_before_the_approval(app, drafts):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        services.approve_commitment(commitment, user_named("a_manager"))
        with pytest.raises(ServiceError) as refused:
            services.record_fulfillment(
                commitment,
                user_named("a_staff"),
                fulfilled_on=drafts.today - timedelta(days=1),
                amount_wan=Decimal("10"),
                evidence="拨付凭证 1",
                today=drafts.today,
            )
        assert "早于批准日期 2026-12-04" in refused.value.errors["fulfilled_on"][0]
