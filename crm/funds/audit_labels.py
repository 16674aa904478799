"""How the audit log names funds in place, targets and exchange rates (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import domain_kinds, on_page_of
from crm.core.i18n import N_
from crm.funds.models import EXCLUSIONS, FundsRecord
from crm.projects.models import FUND_ORIGINS

# The funds tables' columns, each named once.
FUNDS_FIELDS = {
    "month": N_("月份"),
    # funds in place
    "origin": N_("资金来源"),
    "exclusion": N_("资金类别"),
    "amount_wan": N_("到位金额（万元）"),
    "amount_usd_wan": N_("到位金额（万美元）"),
    "usd_rate": N_("汇率（人民币元/美元）"),
    "evidence_ref": N_("凭证编号"),
    "confirmed_at": N_("认定时间"),
    "confirmed_by_id": N_("认定人"),
    # targets
    "year": N_("年度"),
    "funds_target_wan": N_("到位资金目标（万元）"),
    "signed_projects_target": N_("签约项目目标（个）"),
    # exchange rates
    "province_id": N_("省份"),
    "cny_per_usd": N_("汇率（人民币元/美元）"),
    "source": N_("来源"),
    "entered_by_id": N_("录入人"),
}


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, FUNDS_FIELDS, {"origin": FUND_ORIGINS, "exclusion": EXCLUSIONS})
    kind(
        "funds_records",
        N_("到位资金"),
        model=FundsRecord,
        **on_page_of("funds.project_funds", "project_id"),  # the project's funds in place
    )
    kind("county_targets", N_("年度目标"))
    kind("exchange_rates", N_("汇率"))
