"""How the audit log names the land module's records (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import ON_PROJECT_PAGE, domain_kinds
from crm.core.i18n import N_
from crm.land.models import (
    CARRIER_KINDS,
    LAND_USES,
    PARCEL_STATUSES,
    PARK_KINDS,
    Carrier,
    Parcel,
    Park,
    ProjectSite,
)

__all__ = ["LAND_FIELDS", "LAND_VALUES", "register_audit_labels"]

# The land tables' columns, each named once; a park and a carrier name their ``name`` and
# ``kind`` themselves, a park its planned area and a site its agreed start.
LAND_FIELDS = {
    "park_id": N_("园区"),
    # parks
    "host_county": N_("飞地所在县（区）"),
    "share_percent": N_("本县分享比例（%）"),
    "sharing_note": N_("分享协议说明"),
    # parcels
    "code": N_("地块编号"),
    "area_mu": N_("面积（亩）"),
    "land_use": N_("用地性质"),
    "standard": N_("标准地"),
    "investment_intensity_wan": N_("投资强度（万元/亩）"),
    "output_per_mu_wan": N_("亩均产值（万元/亩）"),
    "tax_per_mu_wan": N_("亩均税收（万元/亩）"),
    "plot_ratio": N_("容积率（不低于）"),
    "energy_per_output": N_("单位能耗（吨标煤/万元，不高于）"),
    "status": N_("供地状态"),
    "approved_on": N_("批准用地日期"),
    "supplied_on": N_("供地日期"),
    "agreed_start_on": N_("约定动工日期"),
    "grid_row": N_("规划图行"),
    "grid_col": N_("规划图列"),
    # carriers
    "floor_area_m2": N_("建筑面积（㎡）"),
    "vacant_area_m2": N_("空置面积（㎡）"),
    "industries": N_("适宜产业"),
    # project sites
    "parcel_id": N_("地块"),
    "carrier_id": N_("载体"),
    "agreed_production_on": N_("约定投产日期"),
    "conditions_applied_on": N_("标准地履约事项已生成"),
    # efficiency records
    "year": N_("年度"),
    "firm_name": N_("企业名称"),
    "uscc": N_("统一社会信用代码"),
    "land_mu": N_("用地面积（亩）"),
    "value_added_wan": N_("增加值（万元）"),
    "tax_wan": N_("税收（万元）"),
    "energy_tce": N_("综合能耗（吨标煤）"),
    "employees": N_("从业人数"),
    # efficiency settings
    "benchmark_tax_per_mu": N_("亩均税收基准（万元/亩）"),
    "benchmark_va_per_mu": N_("亩均增加值基准（万元/亩）"),
    "benchmark_labour": N_("全员劳动生产率基准（万元/人）"),
    "benchmark_energy": N_("单位能耗增加值基准（万元/吨标煤）"),
    "weight_tax": N_("亩均税收权重（%）"),
    "weight_va": N_("亩均增加值权重（%）"),
    "weight_labour": N_("全员劳动生产率权重（%）"),
    "weight_energy": N_("单位能耗增加值权重（%）"),
    "threshold_a": N_("A 类门槛（综合得分不低于）"),
    "threshold_b": N_("B 类门槛"),
    "threshold_c": N_("C 类门槛（低于为 D 类）"),
    "score_cap": N_("单项得分上限"),
    "min_land_mu": N_("参评最小用地（亩）"),
}
LAND_VALUES = {"land_use": LAND_USES, "status": PARCEL_STATUSES}


def register_audit_labels(app) -> None:
    kind = domain_kinds(app, LAND_FIELDS, LAND_VALUES)
    kind(
        "land_parks",
        N_("园区"),
        fields={"name": N_("园区名称"), "kind": N_("园区类型"), "area_mu": N_("规划面积（亩）")},
        values={"kind": PARK_KINDS},
        endpoint="land.park",
        id_arg="park_id",
        model=Park,
    )
    kind("land_parcels", N_("地块"), endpoint="land.parcel", id_arg="parcel_id", model=Parcel)
    kind(
        "land_carriers",
        N_("载体"),
        fields={"name": N_("载体名称"), "kind": N_("载体类型")},
        values={"kind": CARRIER_KINDS},
        endpoint="land.carrier",
        id_arg="carrier_id",
        model=Carrier,
    )
    site_fields = {"agreed_start_on": N_("约定开工日期")}
    kind("land_project_sites", N_("落地位置"), fields=site_fields, model=ProjectSite, **ON_PROJECT_PAGE)
    kind("land_efficiency_records", N_("亩均数据"))
    kind("land_efficiency_settings", N_("亩均效益评价规则"))
