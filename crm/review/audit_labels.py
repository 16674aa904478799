"""How the audit log names the review's records (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import register_kind
from crm.core.i18n import N_
from crm.review.indicators import COUNTY_CLASSES

__all__ = ["register_audit_labels"]


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "review_targets",
        N_("上级下达的年度目标"),
        fields={
            "year": N_("年度"),
            "funds_out_of_province_wan": N_("落地金额目标·省外（万元）"),
            "funds_in_province_wan": N_("落地金额目标·市外省内（万元）"),
            "funds_in_city_wan": N_("落地金额目标·市内县外（万元）"),
            "funds_foreign_wan": N_("落地金额目标·境外（万元）"),
            "big_projects": N_("亿元以上项目（个）"),
            "signings": N_("签约项目（个）"),
            "starts": N_("开工项目（个）"),
            "set_by_id": N_("下达人"),
            "set_by_region_id": N_("下达单位"),
            "set_at": N_("下达时间"),
        },
    )
    register_kind(
        app,
        "review_county_classes",
        N_("县域类型"),
        fields={"year": N_("年度"), "county_class": N_("县域类型")},
        values={"county_class": COUNTY_CLASSES},
    )
    register_kind(
        app,
        "review_weights",
        N_("季度点评权重"),
        fields={
            "region_id": N_("设置单位"),
            "year": N_("年度"),
            "county_class": N_("县域类型"),
            "weights": N_("权重"),
            "set_by_id": N_("设置人"),
        },
        values={"county_class": COUNTY_CLASSES},
    )
    register_kind(
        app,
        "review_snapshots",
        N_("季度数据快照"),
        fields={
            "year": N_("年度"),
            "quarter": N_("季度"),
            "figures": N_("冻结的数据"),
            "frozen_at": N_("冻结时间"),
            "frozen_by_id": N_("冻结人"),
        },
    )
    register_kind(
        app,
        "review_indicators",
        N_("导入的核心指标"),
        fields={
            "year": N_("年度"),
            "quarter": N_("季度"),
            "indicator_values": N_("指标值"),
            "imported_by_id": N_("导入人"),
        },
    )
