"""How the audit log names the review's records (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import domain_kinds
from crm.core.i18n import N_
from crm.review.indicators import COUNTY_CLASSES

__all__ = ["register_audit_labels"]

# The review tables' columns, each named once (a weight's setter is named by its own table).
REVIEW_FIELDS = {
    "year": N_("年度"),
    "quarter": N_("季度"),
    "county_class": N_("县域类型"),
    # targets
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
    # weights
    "region_id": N_("设置单位"),
    "weights": N_("权重"),
    # snapshots
    "figures": N_("冻结的数据"),
    "frozen_at": N_("冻结时间"),
    "frozen_by_id": N_("冻结人"),
    # imported indicators
    "indicator_values": N_("指标值"),
    "imported_by_id": N_("导入人"),
}


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, REVIEW_FIELDS, {"county_class": COUNTY_CLASSES})
    kind("review_targets", N_("上级下达的年度目标"))
    kind("review_county_classes", N_("县域类型"))
    kind("review_weights", N_("季度点评权重"), fields={"set_by_id": N_("设置人")})
    kind("review_snapshots", N_("季度数据快照"))
    kind("review_indicators", N_("导入的核心指标"))
