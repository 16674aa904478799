"""How the audit log names projects and their stage changes (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import ON_PROJECT_PAGE, register_kind
from crm.core.i18n import N_
from crm.projects.confidential import conceal_audit_names
from crm.projects.models import (
    FUND_ORIGINS,
    PROJECT_KINDS,
    SOURCE_CHANNELS,
    STAGE_LABELS,
    Project,
    StageChange,
)

PROJECT_FIELDS = {
    "name": N_("项目名称"),
    "code_name": N_("项目代号（保密项目）"),
    "investor_company_id": N_("投资方企业"),
    "local_company_id": N_("本地注册企业"),
    "kind": N_("项目类型"),
    "source_channel": N_("招商方式"),
    "owner_id": N_("负责人"),
    "responsible_unit": N_("责任单位"),
    "leader_in_charge": N_("包抓领导"),
    "industry": N_("所属产业"),
    "planned_investment_wan": N_("计划投资（万元）"),
    "fixed_asset_investment_wan": N_("固定资产投资（万元）"),
    "foreign_investment_wan": N_("利用外资（万元）"),
    "expected_annual_output_wan": N_("预计年产值（万元）"),
    "expected_annual_tax_wan": N_("预计年税收（万元）"),
    "expected_jobs": N_("预计就业（人）"),
    "land_mu": N_("用地（亩）"),
    "capital_origin": N_("资金来源"),
    "stage": N_("阶段"),
    "first_contact_on": N_("首次接洽日期"),
    "signed_on": N_("签约日期"),
    "contract_no": N_("合同编号"),
    "registered_on": N_("注册日期"),
    "local_company_confirmation": N_("异地登记确认（局长填写）"),
    "local_company_confirmed_by_id": N_("异地登记确认人"),
    "local_company_confirmed_at": N_("异地登记确认时间"),
    "construction_started_on": N_("开工日期"),
    "production_started_on": N_("投产日期"),
    "next_follow_up_on": N_("下次跟进日期"),
    "lost_reason": N_("终止原因"),
    "description": N_("项目简介"),
}
PROJECT_VALUES = {
    "stage": STAGE_LABELS,
    "kind": PROJECT_KINDS,
    "source_channel": SOURCE_CHANNELS,
    "capital_origin": FUND_ORIGINS,
}


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "projects",
        N_("项目"),
        fields=PROJECT_FIELDS,
        values=PROJECT_VALUES,
        endpoint="projects.detail",
        id_arg="project_id",
        model=Project,
        conceal=conceal_audit_names,
    )
    register_kind(
        app,
        "stage_changes",
        N_("阶段变更"),
        fields={
            "from_stage": N_("原阶段"),
            "to_stage": N_("新阶段"),
            "changed_at": N_("变更时间"),
            "reached_on": N_("达到日期"),
            "changed_by_id": N_("操作人"),
        },
        values={"from_stage": STAGE_LABELS, "to_stage": STAGE_LABELS},
        model=StageChange,
        **ON_PROJECT_PAGE,
    )
