"""How the audit log names referrals, reward rules and lists (crm.audit.labels)."""

from __future__ import annotations

from functools import partial

from crm.audit.labels import domain_kinds, on_page_of
from crm.core.i18n import N_
from crm.projects.confidential import conceal_audit_names
from crm.projects.models import STAGE_LABELS
from crm.rewards.models import (
    BASES,
    INELIGIBLE_REASONS,
    LIST_STATUSES,
    MODE_LABELS,
    OBJECTION_STATUSES,
    REFERRAL_STATUSES,
    REFERRER_KINDS,
    Referral,
    RewardLine,
    RewardList,
    RewardObjection,
    RewardRule,
)

# The reward tables' columns, each named once: a referral's referrer (also a co-referrer's
# and a line's), a rule's terms (also copied onto each list made under it), a list, its lines
# and their objections.
REWARD_FIELDS = {
    "referrer_name": N_("引荐人（单位）"),
    "referrer_kind": N_("引荐人类型"),
    "is_public_official": N_("引荐人为公职人员"),
    "is_public_institution_staff": N_("引荐人为事业单位工作人员"),
    "is_investor_related": N_("引荐人为投资方本身或其关联方（股东、子公司、员工等）"),
    "share_percent": N_("分成比例（%）"),
    "status": N_("状态"),
    # referrals
    "share_agreement": N_("分成协议（文号或存档位置）"),
    "contact": N_("联系方式"),
    "registered_on": N_("备案登记日期"),
    "applied_on": N_("奖励申请日期"),
    "investor_confirmed": N_("投资方已书面确认引荐关系"),
    "investor_confirmed_on": N_("投资方确认日期"),
    "confirmation_evidence": N_("确认材料（文号或存档位置）"),
    "resolution_note": N_("争议处理说明"),
    "referral_id": N_("引荐备案"),
    # rules
    "name": N_("办法名称"),
    "year": N_("年度"),
    "basis": N_("计算基数"),
    "milestone": N_("达到节点（项目阶段）"),
    "mode": N_("计算方式"),
    "tiers": N_("档位"),
    "cap_wan": N_("单个项目封顶（万元）"),
    "exclude_public_officials": N_("公职人员不予个人奖励"),
    "exclude_public_institution_staff": N_("事业单位工作人员不予个人奖励"),
    "exclude_investor_related": N_("投资方本身及其关联方不予奖励"),
    "min_planned_investment_wan": N_("最低计划总投资（万元）"),
    "min_fixed_asset_percent": N_("最低固定资产投资占比（%）"),
    "min_outside_city_percent": N_("最低市外资金占比（%）"),
    "new_entity_only": N_("仅奖励新设法人项目（新建、合资）"),
    "industries": N_("适用产业"),
    "application_days": N_("申请期限（达到节点后天数）"),
    "rule_version": N_("办法版本"),
    "lineage_id": N_("最初版本"),
    "superseded_by_id": N_("被新版本替代"),
    # lists
    "rule_id": N_("奖励办法"),
    "title": N_("名单标题"),
    "period_text": N_("期间"),
    "rule_name": N_("办法名称"),
    "total_reward_wan": N_("奖励合计（万元）"),
    "notice_start": N_("公示开始日期"),
    "notice_end": N_("公示结束日期"),
    "period_start": N_("期间开始"),
    "period_end": N_("期间结束"),
    "rule_lineage_id": N_("办法最初版本"),
    "computed_at": N_("计算时间"),
    "published_at": N_("公示时间"),
    "published_by_id": N_("公示人"),
    "finalized_at": N_("定稿时间"),
    "finalized_by_id": N_("定稿人"),
    # lines
    "list_id": N_("奖励名单"),
    "project_name": N_("项目名称"),
    "signed_on": N_("签约日期"),
    "referral_registered_on": N_("备案登记日期"),
    "milestone_reached_on": N_("达到节点日期"),
    "eligible": N_("符合奖励条件"),
    "reason_code": N_("不予奖励原因"),
    "reason": N_("说明"),
    "basis_wan": N_("奖励基数（万元）"),
    "rates": N_("适用比例"),
    "arithmetic": N_("计算过程"),
    "reward_wan": N_("奖励金额（万元）"),
    "capped": N_("已封顶"),
    "shares": N_("分成"),
    # objections
    "line_id": N_("异议针对的项目"),
    "objector": N_("异议人（单位）"),
    "objector_contact": N_("联系方式"),
    "received_on": N_("收到日期"),
    "content": N_("异议内容"),
    "outcome": N_("核查情况和处理意见"),
    "resolved_on": N_("处理日期"),
}
REWARD_VALUES = {
    "referrer_kind": REFERRER_KINDS,
    "basis": BASES,
    "milestone": STAGE_LABELS,
    "mode": MODE_LABELS,
    "reason_code": INELIGIBLE_REASONS,
}
# A list's lines and objections are shown on the list's page.
ON_LIST_PAGE = on_page_of("rewards.show_list", "list_id")


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, REWARD_FIELDS, REWARD_VALUES)
    kind(
        "referrals",
        N_("引荐备案"),
        values={"status": REFERRAL_STATUSES},
        endpoint="rewards.edit_referral",  # the one page that shows a referral
        id_arg="referral_id",
        model=Referral,
    )
    kind("referral_co_referrers", N_("合作引荐人"))
    kind("reward_rules", N_("奖励办法"), endpoint="rewards.rule", id_arg="rule_id", model=RewardRule)
    kind(
        "reward_lists",
        N_("奖励名单"),
        values={"status": LIST_STATUSES},
        endpoint="rewards.show_list",
        id_arg="list_id",
        model=RewardList,
    )
    kind(
        "reward_lines",
        N_("奖励名单明细"),
        model=RewardLine,
        **ON_LIST_PAGE,
        # A line copies its project's name: the same rule as the project's own page.
        conceal=partial(conceal_audit_names, name_key="project_name", project_key="project_id"),
    )
    kind(
        "reward_objections",
        N_("公示异议"),
        values={"status": OBJECTION_STATUSES},
        model=RewardObjection,
        **ON_LIST_PAGE,
    )
