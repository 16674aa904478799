"""How the audit log names transfers, agreements, shares and collision alerts (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import domain_kinds
from crm.coordination.models import (
    AGREEMENT_KINDS,
    COLLISION_MATCHES,
    COLLISION_RULINGS,
    TRANSFER_REASONS,
    TRANSFER_STATUSES,
)
from crm.core.i18n import N_

__all__ = ["COORDINATION_FIELDS", "register_audit_labels"]

# The coordination tables' columns, each named once (where a table names a common column
# its own way, it says so below).
COORDINATION_FIELDS = {
    "status": N_("状态"),
    "years": N_("年限"),
    # transfers
    "from_county_id": N_("推荐县"),
    "to_county_id": N_("接收县"),
    "reason": N_("流转原因"),
    "from_share_percent": N_("推荐县分成（％）"),
    "offered_by_id": N_("推荐人"),
    "answered_by_id": N_("答复人"),
    "answered_at": N_("答复时间"),
    "answer_note": N_("意见"),
    "collision_id": N_("撞车提醒"),
    # benefit agreements and their shares
    "kind": N_("类型"),
    "origin_county_id": N_("原属县"),
    "host_county_id": N_("建设所在县"),
    "starts_on": N_("起始日期"),
    "park": N_("园区"),
    "transfer_id": N_("项目流转"),
    "agreement_id": N_("利益分成协议"),
    "funds_percent": N_("到位资金分成（％）"),
    "output_percent": N_("产值分成（％）"),
    "tax_percent": N_("税收分成（％）"),
    # collision alerts
    "project_a_id": N_("项目一"),
    "project_b_id": N_("项目二"),
    "county_a_id": N_("县一"),
    "county_b_id": N_("县二"),
    "match": N_("依据"),
    "company_label": N_("投资方"),
    "company_key": N_("投资方（查重用）"),
    "first_county_id": N_("首谈县"),
    "first_contact_a": N_("县一首谈"),
    "first_contact_b": N_("县二首谈"),
    "ruling": N_("裁定"),
    "lead_county_id": N_("主导县"),
    "ruling_note": N_("裁定意见"),
    "ruled_by_id": N_("裁定人"),
    "ruled_at": N_("裁定时间"),
}
COORDINATION_VALUES = {
    "reason": TRANSFER_REASONS,
    "kind": AGREEMENT_KINDS,
    "match": COLLISION_MATCHES,
    "ruling": COLLISION_RULINGS,
}


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, COORDINATION_FIELDS, COORDINATION_VALUES)
    transfer_page = {"endpoint": "coordination.transfer", "id_arg": "transfer_id"}
    transfer_values = {"status": TRANSFER_STATUSES}
    kind("transfers", N_("项目流转"), fields={"note": N_("说明")}, values=transfer_values, **transfer_page)
    kind("benefit_agreements", N_("利益分成协议"), fields={"created_by_id": N_("登记人")})
    kind("benefit_shares", N_("分成比例"), fields={"county_id": N_("县")})
    kind("collision_alerts", N_("撞车提醒"), endpoint="coordination.collision", id_arg="alert_id")
