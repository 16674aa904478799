"""Writes of the land module: parks, parcels, carriers, project sites, 标准地 conditions,
亩均 data and the county's evaluation rules. Shared by views, importer, demo and API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import clock
from crm.core.db import added, db
from crm.core.errors import ServiceError, refuse_stale
from crm.core.serialize import columns_dict
from crm.land.evaluation import DEFAULT_RULES, INDICATORS, Rules
from crm.land.models import (
    CARRIER_KINDS,
    ENCLAVE,
    LAND_USES,
    PARCEL_STATUSES,
    PARK_KINDS,
    Carrier,
    EfficiencyRecord,
    EfficiencySettings,
    Parcel,
    Park,
    ProjectSite,
)
from crm.projects.models import STAGES

__all__ = [
    "STANDARD_CONSEQUENCE",
    "apply_standard_conditions",
    "delete_efficiency_record",
    "remove_site",
    "rules_for",
    "save_carrier",
    "save_efficiency_record",
    "save_parcel",
    "save_park",
    "save_rules",
    "site_project",
]

SIGNED_STAGES = STAGES[STAGES.index("signed") :]
#: What a missed 标准地 figure leads to, and a start never made (the land taken back).
STANDARD_CONSEQUENCE = "adjust_land_price"
START_CONSEQUENCE = "exit"
MAX_FIGURE = Decimal("100000000")


def _saved_or_new(record, version, model, **new):
    """``record``, refused if it has changed since the ``version`` the user saw; or a new ``model(**new)``."""
    if record is None:
        return model(**new)
    if record.id is not None:
        refuse_stale(
            record, version, _("该记录已被他人修改，当前值已显示，请确认后重新保存。"), columns_dict(record)
        )
    return record


def _taken(model, record, *conditions) -> bool:
    """Whether a row of ``model`` other than ``record`` (None: a new one) matches ``conditions``."""
    clash = db.session.execute(select(model.id).where(*conditions)).scalar_one_or_none()
    return clash is not None and (record is None or clash != record.id)


def _figure(errors, name, value, *, required=False, positive=False):
    if value is None:
        if required:
            errors[name] = [_("请填写")]
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > MAX_FIGURE:
        errors[name] = [_("数值无效")]
    elif positive and value <= 0:
        errors[name] = [_("必须大于 0")]
    return value


def _text(value) -> str | None:
    return (value or "").strip() or None


def save_park(county_id: int, values: dict, park: Park | None = None, version=None) -> Park:
    """Create or update a park; a 飞地园区 names its host county and the share agreed."""
    errors: dict = {}
    name = _text(values.get("name"))
    if not name:
        errors["name"] = [_("请填写园区名称")]
    kind = values.get("kind")
    if kind not in PARK_KINDS:
        errors["kind"] = [_("请选择园区类型")]
    area = _figure(errors, "area_mu", values.get("area_mu"), positive=True)
    share = values.get("share_percent")
    host = _text(values.get("host_county"))
    if kind == ENCLAVE:
        if not host:
            errors["host_county"] = [_("飞地园区请填写所在县（区）")]
        if share is None or not (0 <= share <= 100):
            errors["share_percent"] = [_("请填写本县分享比例（0–100）")]
    else:
        host, share = None, None
    if name and not errors:
        if _taken(Park, park, Park.county_id == county_id, Park.name == name):
            errors["name"] = [_("本县已有同名园区")]
    if errors:
        raise ServiceError(_("园区信息有误，未保存"), errors)
    park = _saved_or_new(park, version, Park, county_id=county_id)
    park.name, park.kind, park.area_mu = name, kind, area
    park.host_county, park.share_percent = host, share
    park.sharing_note = _text(values.get("sharing_note")) if kind == ENCLAVE else None
    return added(park)


PARCEL_INDICATORS = (
    "investment_intensity_wan",
    "output_per_mu_wan",
    "tax_per_mu_wan",
    "plot_ratio",
    "energy_per_output",
)


def save_parcel(park: Park, values: dict, parcel: Parcel | None = None, version=None) -> Parcel:
    """Create or update a parcel. A 标准地 needs all five indicators; a supplied or idle
    parcel needs its supply date."""
    errors: dict = {}
    code = _text(values.get("code"))
    if not code:
        errors["code"] = [_("请填写地块编号")]
    area = _figure(errors, "area_mu", values.get("area_mu"), required=True, positive=True)
    land_use = values.get("land_use") or "industrial"
    if land_use not in LAND_USES:
        errors["land_use"] = [_("请选择用地性质")]
    status = values.get("status") or "planned"
    if status not in PARCEL_STATUSES:
        errors["status"] = [_("请选择供地状态")]
    standard = bool(values.get("standard"))
    figures = {
        name: _figure(errors, name, values.get(name), required=standard, positive=True)
        for name in PARCEL_INDICATORS
    }
    supplied_on = values.get("supplied_on")
    if status != "planned" and supplied_on is None:
        errors["supplied_on"] = [_("已供地或闲置的地块请填写供地日期")]
    if supplied_on is not None and supplied_on > clock.today():
        errors["supplied_on"] = [_("供地日期不能晚于今天")]
    row, col = values.get("grid_row") or 0, values.get("grid_col") or 0
    if not (0 <= row <= 50 and 0 <= col <= 50):
        errors["grid_row"] = [_("图上位置应在 0–50 之间")]
    if code and not errors:
        if _taken(Parcel, parcel, Parcel.park_id == park.id, Parcel.code == code):
            errors["code"] = [_("该园区已有同编号地块")]
    if errors:
        raise ServiceError(_("地块信息有误，未保存"), errors)
    parcel = _saved_or_new(parcel, version, Parcel, county_id=park.county_id, park=park)
    parcel.code, parcel.area_mu, parcel.land_use, parcel.status = code, area, land_use, status
    parcel.standard = standard
    for name, value in figures.items():
        setattr(parcel, name, value)
    parcel.supplied_on = supplied_on if status != "planned" else None
    parcel.agreed_start_on = values.get("agreed_start_on")
    parcel.approved_on = values.get("approved_on")
    parcel.grid_row, parcel.grid_col = row, col
    parcel.note = _text(values.get("note"))
    return added(parcel)


def save_carrier(park: Park, values: dict, carrier: Carrier | None = None, version=None) -> Carrier:
    errors: dict = {}
    name = _text(values.get("name"))
    if not name:
        errors["name"] = [_("请填写载体名称")]
    kind = values.get("kind") or "standard_factory"
    if kind not in CARRIER_KINDS:
        errors["kind"] = [_("请选择载体类型")]
    floor = _figure(errors, "floor_area_m2", values.get("floor_area_m2"), required=True, positive=True)
    vacant = _figure(errors, "vacant_area_m2", values.get("vacant_area_m2"), required=True)
    if floor is not None and vacant is not None and not errors and vacant > floor:
        errors["vacant_area_m2"] = [_("空置面积不能大于建筑面积")]
    if errors:
        raise ServiceError(_("载体信息有误，未保存"), errors)
    carrier = _saved_or_new(carrier, version, Carrier, county_id=park.county_id, park=park)
    carrier.name, carrier.kind, carrier.floor_area_m2, carrier.vacant_area_m2 = name, kind, floor, vacant
    carrier.industries = _text(values.get("industries"))
    return added(carrier)


# ---- where projects land ------------------------------------------------------------


def site_project(
    project,
    actor,
    *,
    parcel: Parcel | None = None,
    carrier: Carrier | None = None,
    agreed_start_on: date | None = None,
    agreed_production_on: date | None = None,
    note: str | None = None,
) -> ProjectSite:
    """Match a project to a parcel or a carrier of its own county. A signed project on a
    标准地 parcel takes the parcel's indicators as obligations at once."""
    errors: dict = {}
    if (parcel is None) == (carrier is None):
        errors["target"] = [_("请选择一个地块或载体")]
    target = parcel or carrier
    if target is not None and target.county_id != project.county_id:
        errors["target"] = [_("只能选择本县的地块或载体")]
    if agreed_start_on and agreed_production_on and agreed_production_on < agreed_start_on:
        errors["agreed_production_on"] = [_("约定投产日期不能早于约定开工日期")]
    if not errors:
        column = ProjectSite.parcel_id if parcel else ProjectSite.carrier_id
        taken = db.session.execute(
            select(ProjectSite.id).where(ProjectSite.project_id == project.id, column == target.id)
        ).scalar_one_or_none()
        if taken is not None:
            errors["target"] = [_("该项目已匹配此处")]
    if errors:
        raise ServiceError(_("落地匹配有误，未保存"), errors)
    site = ProjectSite(
        county_id=project.county_id,
        project=project,
        project_id=project.id,
        parcel=parcel,
        carrier=carrier,
        agreed_start_on=agreed_start_on or (parcel.agreed_start_on if parcel else None),
        agreed_production_on=agreed_production_on,
        note=_text(note),
    )
    db.session.add(site)  # matching is not supplying: a planned parcel stays planned
    db.session.flush()
    if conditions_due(site):
        apply_standard_conditions(site, actor)
    return site


def remove_site(site: ProjectSite) -> None:
    """Undo a match; obligations already created stay (they are the investor's record)."""
    db.session.delete(site)
    db.session.flush()


def conditions_due(site: ProjectSite) -> bool:
    """A 标准地 parcel's conditions are due once its project reached 签约 and they were not
    applied before."""
    return (
        site.parcel is not None
        and site.parcel.standard
        and site.conditions_applied_on is None
        and site.project.stage in SIGNED_STAGES
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def condition_dates(site: ProjectSite, today: date) -> tuple[date, date]:
    """(开工 deadline, 投产 deadline): the agreed dates, else one year after signing for the
    start and two years after the start for production."""
    start = site.agreed_start_on or _add_years(site.project.signed_on or today, 1)
    production = site.agreed_production_on or _add_years(start, 2)
    return start, production


def apply_standard_conditions(site: ProjectSite, actor, today: date | None = None) -> list:
    """Turn the parcel's 标准地 indicators into the project's obligations through the
    commitments module's own service (``create_obligation``): 开工 by the start deadline;
    投产, 投资强度, 容积率, 亩均产值 and 亩均税收 checked at the production deadline (单位能耗,
    a ceiling the obligations cannot express, is written in the 投产 obligation's note)."""
    from crm.commitments.services import create_obligation

    if not conditions_due(site):
        raise ServiceError(_("该项目尚未签约或地块不是标准地，或履约事项已生成"))
    today = today or clock.today()
    parcel = site.parcel
    start, production = condition_dates(site, today)
    source = _("标准地 %(code)s 出让条件", code=parcel.code)
    energy_note = _(
        "%(source)s；单位能耗不高于 %(energy)s 吨标煤/万元", source=source, energy=parcel.energy_per_output
    )
    plan = [
        ("construction_start", None, start, START_CONSEQUENCE, source),
        ("production_start", None, production, STANDARD_CONSEQUENCE, energy_note),
        ("investment_intensity", parcel.investment_intensity_wan, production, STANDARD_CONSEQUENCE, source),
        ("plot_ratio", parcel.plot_ratio, production, STANDARD_CONSEQUENCE, source),
        ("output_per_mu", parcel.output_per_mu_wan, production, STANDARD_CONSEQUENCE, source),
        ("tax_per_mu", parcel.tax_per_mu_wan, production, STANDARD_CONSEQUENCE, source),
    ]
    created = [
        create_obligation(
            site.project,
            actor,
            kind=kind,
            target_value=target,
            due_on=due,
            consequence=consequence,
            note=note,
        )
        for kind, target, due, consequence, note in plan
    ]
    site.agreed_start_on, site.agreed_production_on = start, production
    site.conditions_applied_on = today
    db.session.flush()
    return created


# ---- 亩均效益 ------------------------------------------------------------------------

RECORD_FIGURES = ("land_mu", "value_added_wan", "tax_wan", "energy_tce")


def save_efficiency_record(
    county_id: int, values: dict, record: EfficiencyRecord | None = None, version=None
) -> EfficiencyRecord:
    """Create or update one firm's figures for a year (one record per firm name and year)."""
    errors: dict = {}
    name = _text(values.get("firm_name"))
    if not name:
        errors["firm_name"] = [_("请填写企业名称")]
    park = values.get("park")
    if park is None or park.county_id != county_id:
        errors["park_id"] = [_("请选择本县园区")]
    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("年度无效")]
    figures = {
        name_: _figure(errors, name_, values.get(name_), required=True, positive=name_ == "land_mu")
        for name_ in RECORD_FIGURES
    }
    employees = values.get("employees")
    if not isinstance(employees, int) or employees < 0 or employees > 10_000_000:
        errors["employees"] = [_("请填写从业人数（0 或正整数）")]
    if name and isinstance(year, int) and not errors:
        if _taken(
            EfficiencyRecord,
            record,
            EfficiencyRecord.county_id == county_id,
            EfficiencyRecord.year == year,
            EfficiencyRecord.firm_name == name,
        ):
            errors["firm_name"] = [_("该企业本年度的数据已登记")]
    if errors:
        raise ServiceError(_("亩均数据有误，未保存"), errors)
    record = _saved_or_new(record, version, EfficiencyRecord, county_id=county_id)
    record.park, record.park_id, record.year, record.firm_name = park, park.id, year, name
    record.uscc = _text(values.get("uscc"))
    for name_, value in figures.items():
        setattr(record, name_, value)
    record.employees = employees
    return added(record)


def delete_efficiency_record(record: EfficiencyRecord) -> None:
    db.session.delete(record)
    db.session.flush()


def rules_for(county_id: int) -> tuple[Rules, EfficiencySettings | None]:
    """The county's published rules, or the defaults (docs/design.md) until a manager sets them."""
    row = db.session.execute(
        select(EfficiencySettings).where(EfficiencySettings.county_id == county_id)
    ).scalar_one_or_none()
    if row is None:
        return DEFAULT_RULES, None
    return (
        Rules(
            benchmarks={
                "tax": row.benchmark_tax_per_mu,
                "va": row.benchmark_va_per_mu,
                "labour": row.benchmark_labour,
                "energy": row.benchmark_energy,
            },
            weights={
                "tax": row.weight_tax,
                "va": row.weight_va,
                "labour": row.weight_labour,
                "energy": row.weight_energy,
            },
            threshold_a=row.threshold_a,
            threshold_b=row.threshold_b,
            threshold_c=row.threshold_c,
            score_cap=row.score_cap,
            min_land_mu=row.min_land_mu,
        ),
        row,
    )


SETTING_COLUMNS = {
    "benchmark_tax_per_mu": ("benchmarks", "tax"),
    "benchmark_va_per_mu": ("benchmarks", "va"),
    "benchmark_labour": ("benchmarks", "labour"),
    "benchmark_energy": ("benchmarks", "energy"),
    "weight_tax": ("weights", "tax"),
    "weight_va": ("weights", "va"),
    "weight_labour": ("weights", "labour"),
    "weight_energy": ("weights", "energy"),
}


def save_rules(county_id: int, values: dict, version=None) -> EfficiencySettings:
    """A manager publishes the county's rules: benchmarks > 0, weights whole percents summing
    to 100, thresholds A > B > C > 0, a cap of at least 100, a minimum land size ≥ 0."""
    errors: dict = {}
    for name in SETTING_COLUMNS:
        value = values.get(name)
        if name.startswith("weight_"):
            if not isinstance(value, int) or not 0 <= value <= 100:
                errors[name] = [_("权重应为 0–100 的整数")]
        else:
            _figure(errors, name, value, required=True, positive=True)
    weights = [values.get(f"weight_{name}") for name in INDICATORS]
    if not errors and sum(weights) != 100:
        errors["weight_tax"] = [_("四项权重之和应为 100（现为 %(sum)s）", sum=sum(weights))]
    a, b, c = (values.get(f"threshold_{g}") for g in "abc")
    for name, value in (("threshold_a", a), ("threshold_b", b), ("threshold_c", c)):
        _figure(errors, name, value, required=True, positive=True)
    if not errors and not (a > b > c):
        errors["threshold_a"] = [_("分类门槛应为 A > B > C")]
    cap = _figure(errors, "score_cap", values.get("score_cap"), required=True, positive=True)
    if cap is not None and "score_cap" not in errors and cap < 100:
        errors["score_cap"] = [_("单项得分上限不能低于 100")]
    _figure(errors, "min_land_mu", values.get("min_land_mu"), required=True)
    if errors:
        raise ServiceError(_("评价规则有误，未保存"), errors)
    _rules, row = rules_for(county_id)
    row = _saved_or_new(row, version, EfficiencySettings, county_id=county_id)
    for name in (*SETTING_COLUMNS, "threshold_a", "threshold_b", "threshold_c", "score_cap", "min_land_mu"):
        setattr(row, name, values[name])
    return added(row)
