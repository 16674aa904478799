"""How the audit log names transfers, agreements, shares and collision alerts (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import register_kind
from crm.coordination.models import (
    AGREEMENT_KINDS,
    COLLISION_MATCHES,
    COLLISION_RULINGS,
    TRANSFER_REASONS,
    TRANSFER_STATUSES,
)
from crm.core.i18n import N_

__all__ = ["register_audit_labels"]


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "transfers",
        N_("项目流转"),
        fields={
            "from_county_id": N_("推荐县"),
            "to_county_id": N_("接收县"),
            "reason": N_("流转原因"),
            "note": N_("说明"),
            "status": N_("状态"),
            "from_share_percent": N_("推荐县分成（％）"),
            "years": N_("年限"),
            "offered_by_id": N_("推荐人"),
            "answered_by_id": N_("答复人"),
            "answered_at": N_("答复时间"),
            "answer_note": N_("意见"),
            "collision_id": N_("撞车提醒"),
        },
        values={"reason": TRANSFER_REASONS, "status": TRANSFER_STATUSES},
        endpoint="coordination.transfer",
        id_arg="transfer_id",
    )
    register_kind(
        app,
        "benefit_agreements",
        N_("利益分成协议"),
        fields={
            "kind": N_("类型"),
            "origin_county_id": N_("原属县"),
            "host_county_id": N_("建设所在县"),
            "starts_on": N_("起始日期"),
            "years": N_("年限"),
            "park": N_("园区"),
            "transfer_id": N_("项目流转"),
            "created_by_id": N_("登记人"),
        },
        values={"kind": AGREEMENT_KINDS},
    )
    register_kind(
        app,
        "benefit_shares",
        N_("分成比例"),
        fields={
            "agreement_id": N_("利益分成协议"),
            "county_id": N_("县"),
            "funds_percent": N_("到位资金分成（％）"),
            "output_percent": N_("产值分成（％）"),
            "tax_percent": N_("税收分成（％）"),
        },
    )
    register_kind(
        app,
        "collision_alerts",
        N_("撞车提醒"),
        fields={
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
            "status": N_("状态"),
            "ruling": N_("裁定"),
            "lead_county_id": N_("主导县"),
            "ruling_note": N_("裁定意见"),
            "ruled_by_id": N_("裁定人"),
            "ruled_at": N_("裁定时间"),
        },
        values={"match": COLLISION_MATCHES, "ruling": COLLISION_RULINGS},
        endpoint="coordination.collision",
        id_arg="alert_id",
    )
