"""How the audit log names policies, commitments and obligations (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import domain_kinds, on_page_of
from crm.commitments.models import (
    CLEANUP_CAUSES,
    CLEANUP_RESOLUTIONS,
    COMMITMENT_STATUSES,
    CONSEQUENCES,
    DECISIONS,
    FAIR_REVIEW_STATES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    POLICY_KINDS,
    REVIEW_CONCLUSIONS,
    REVIEW_KINDS,
    CleanupResolution,
    Commitment,
    CommitmentDecision,
    CommitmentObligation,
    CommitmentReview,
    Fulfillment,
    Obligation,
)
from crm.core.i18n import N_

# The commitment tables' columns, each named once; a table names its ``kind`` itself, and
# a fulfillment's amount and an obligation's due date and status are their own.
COMMITMENT_FIELDS = {
    "commitment_id": N_("承诺条款"),
    # policies
    "region_id": N_("发布区划"),
    "name": N_("政策名称"),
    "legal_basis": N_("政策依据（文号）"),
    "max_amount_wan": N_("最高金额（万元）"),
    "max_ratio_pct": N_("最高比例（占投资额 %）"),
    "valid_from": N_("生效日期"),
    "valid_to": N_("失效日期（空为长期）"),
    "fair_review": N_("公平竞争审查"),
    "description": N_("说明"),
    "withdrawn_on": N_("废止日期"),
    "withdrawal_document": N_("废止文件文号"),
    "withdrawal_reason": N_("废止原因"),
    "withdrawn_at": N_("废止登记时间"),
    "review_failed_at": N_("审查未通过时间"),
    # commitments
    "policy_id": N_("依据政策"),
    "clause": N_("承诺条款"),
    "amount_wan": N_("承诺金额（万元）"),
    "conditions": N_("兑现条件"),
    "committed_on": N_("承诺日期"),
    "due_on": N_("兑现期限"),
    "risk_legal_basis": N_("法律依据"),
    "status": N_("状态"),
    "status_before_suspension": N_("暂停前状态"),
    "approved_by_id": N_("批准人"),
    "approved_at": N_("批准时间"),
    "status_note": N_("状态说明"),
    "suspended_by_obligation_id": N_("暂停依据的履约事项"),
    "cap_decision_id": N_("集体决策"),
    "override_reason": N_("超出上限的理由"),
    # fulfillments
    "fulfilled_on": N_("兑现日期"),
    "evidence": N_("兑现凭证（拨付凭证号/文件号）"),
    "conditions_evidence": N_("兑现条件核实依据"),
    "override_decision_id": N_("集体决策"),
    # decisions
    "decision": N_("处理结论"),
    "reason": N_("理由"),
    "decided_at": N_("决定时间"),
    "decided_by_id": N_("决定人"),
    "collective_decision_id": N_("集体决策"),
    # reviews
    "reviewer": N_("审查机构及审查人"),
    "reviewed_on": N_("审查日期"),
    "document_no": N_("审查意见书文号"),
    "conclusion": N_("审查结论"),
    "attachment_ref": N_("附件（档案号或存放位置）"),
    "superseded_at": N_("被替代时间"),
    "migrated": N_("由旧数据迁移"),
    # collective decisions
    "meeting": N_("集体决策会议"),
    "held_on": N_("会议日期"),
    "minute_no": N_("会议纪要号"),
    # the obligations a commitment rests on, the clean-up
    "obligation_id": N_("企业履约"),
    "cause": N_("原因"),
    "resolution": N_("处理结果"),
    "decision_id": N_("集体决策"),
    # obligations
    "target_value": N_("目标值"),
    "actual_value": N_("实际值"),
    "actual_on": N_("实际日期（开工/投产）"),
    "consequence": N_("未履约处理"),
    "assessed_on": N_("核验日期"),
    "withhold_lifted_at": N_("解除暂缓时间"),
    "withhold_lifted_by_id": N_("解除暂缓人"),
    "withhold_lift_note": N_("解除暂缓说明"),
}
COMMITMENT_VALUES = {
    "fair_review": FAIR_REVIEW_STATES,
    "status": COMMITMENT_STATUSES,
    "status_before_suspension": COMMITMENT_STATUSES,
    "decision": DECISIONS,
    "conclusion": REVIEW_CONCLUSIONS,
    "cause": CLEANUP_CAUSES,
    "resolution": CLEANUP_RESOLUTIONS,
    "consequence": CONSEQUENCES,
}
# A commitment's fulfillments, decisions, reviews and clean-up are shown on its page.
ON_COMMITMENT_PAGE = on_page_of("commitments.detail", "commitment_id")


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, COMMITMENT_FIELDS, COMMITMENT_VALUES)
    kind("policies", N_("优惠政策"), fields={"kind": N_("政策类型")}, values={"kind": POLICY_KINDS})
    kind(
        "commitments", N_("承诺条款"), endpoint="commitments.detail", id_arg="commitment_id", model=Commitment
    )
    kind(
        "fulfillments",
        N_("兑现记录"),
        fields={"amount_wan": N_("兑现金额（万元）")},
        model=Fulfillment,
        **ON_COMMITMENT_PAGE,
    )
    kind("commitment_decisions", N_("承诺审批"), model=CommitmentDecision, **ON_COMMITMENT_PAGE)
    kind(
        "commitment_reviews",
        N_("承诺审查"),
        fields={"kind": N_("审查类型")},
        values={"kind": REVIEW_KINDS},
        model=CommitmentReview,
        **ON_COMMITMENT_PAGE,
    )
    kind("collective_decisions", N_("集体决策"))
    kind(
        "commitment_obligations", N_("承诺所依赖的履约事项"), model=CommitmentObligation, **ON_COMMITMENT_PAGE
    )
    kind("cleanup_resolutions", N_("存量清理"), model=CleanupResolution, **ON_COMMITMENT_PAGE)
    kind(
        "obligations",
        N_("企业履约"),
        fields={"kind": N_("履约事项"), "due_on": N_("履约期限")},
        values={"kind": OBLIGATION_KINDS, "status": OBLIGATION_STATUSES},
        model=Obligation,
        # The project's commitments and obligations.
        **on_page_of("commitments.project_register", "project_id"),
    )
