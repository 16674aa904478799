"""Demo land: per county a development zone with a grid of parcels (one 标准地 signed by a
demo project, which carries its conditions as obligations; some supplied and not started,
one idle past two years; some approved and unsupplied) and standard factories; the first
county also has a 飞地园区. Two years of 亩均 data for eleven firms per county."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from crm.core.db import db
from crm.land import services
from crm.land.models import ProjectSite
from crm.projects.models import Project

FIRMS = (
    # name, land 亩, value added 万元, tax 万元, energy 吨标煤, employees
    ("宏达机械", 80, 5200, 1300, 1500, 220),
    ("秦川精工", 45, 2600, 620, 700, 150),
    ("周原食品", 60, 2400, 420, 900, 260),
    ("西岐新材", 120, 7800, 1900, 4200, 310),
    ("凤鸣包装", 30, 900, 150, 300, 80),
    ("渭水电子", 40, 3300, 700, 260, 190),
    ("五丈原建材", 90, 1800, 240, 2600, 120),
    ("岐伯药业", 50, 3500, 900, 400, 170),
    ("陈仓纺织", 70, 1200, 130, 1100, 300),
    ("太白物流", 35, 700, 90, 0, 40),  # energy not reported: 0
    ("小微配件", 3, 260, 60, 50, 12),  # under the minimum land size: listed, not classed
)


def _parcels(ctx, park, county_index: int):
    today = ctx.today
    plan = [
        # code, 亩, status, standard, supplied days ago, approved days ago, row, col
        ("A-01", 50, "supplied", True, 300, 700, 0, 0),
        ("A-02", 40, "supplied", False, 500, 900, 0, 1),
        ("A-03", 60, "idle", False, 1000, 1400, 0, 2),
        ("B-01", 80, "planned", True, None, 420, 1, 0),
        ("B-02", 35, "planned", False, None, 200, 1, 1),
        ("B-03", 45, "planned", False, None, None, 1, 2),
    ]
    parcels = {}
    for code, area, status, standard, supplied_ago, approved_ago, row, col in plan:
        values = {
            "code": code,
            "area_mu": Decimal(area),
            "land_use": "industrial",
            "status": status,
            "standard": standard,
            "supplied_on": today - timedelta(days=supplied_ago) if supplied_ago else None,
            "approved_on": today - timedelta(days=approved_ago) if approved_ago else None,
            "grid_row": row,
            "grid_col": col,
        }
        if standard:
            values.update(
                investment_intensity_wan=Decimal(300 + 20 * county_index),
                output_per_mu_wan=Decimal(500),
                tax_per_mu_wan=Decimal(25),
                plot_ratio=Decimal("1.20"),
                energy_per_output=Decimal("0.0500"),
            )
        parcels[code] = services.save_parcel(park, values)
    return parcels


def _signed_project(county) -> Project | None:
    """The county's most recently signed project without land, for the 标准地 demo."""
    return db.session.execute(
        select(Project)
        .where(
            Project.county_id == county.id,
            Project.stage.in_(services.SIGNED_STAGES),
            Project.signed_on.is_not(None),
            ~select(ProjectSite.id).where(ProjectSite.project_id == Project.id).exists(),
        )
        .order_by(Project.signed_on.desc(), Project.id)
        .limit(1)
    ).scalar_one_or_none()


def _efficiency(ctx, county, park, enclave):
    for year, factor in ((ctx.today.year - 2, Decimal("0.92")), (ctx.today.year - 1, Decimal(1))):
        for index, (name, land, va, tax, energy, people) in enumerate(FIRMS):
            wobble = Decimal(100 + ctx.rng.randint(-6, 6)) / 100
            services.save_efficiency_record(
                county.id,
                {
                    "park": enclave if enclave is not None and index % 4 == 3 else park,
                    "year": year,
                    "firm_name": f"{county.name[:2]}{name}",
                    "land_mu": Decimal(land),
                    "value_added_wan": (Decimal(va) * factor * wobble).quantize(Decimal("0.01")),
                    "tax_wan": (Decimal(tax) * factor * wobble).quantize(Decimal("0.01")),
                    "energy_tce": Decimal(energy),
                    "employees": people,
                },
            )


def load_demo(ctx) -> None:
    for index, county in enumerate(ctx.counties):
        staff = ctx.county_users[county.id]["staff"]
        zone = services.save_park(
            county.id,
            {
                "name": f"{county.name[:2]}经济技术开发区",
                "kind": "development_zone",
                "area_mu": Decimal(6000),
            },
        )
        parcels = _parcels(ctx, zone, index)
        services.save_carrier(
            zone,
            {
                "name": "标准化厂房一期 3 号楼",
                "kind": "standard_factory",
                "floor_area_m2": Decimal(12000),
                "vacant_area_m2": Decimal(4500),
                "industries": "新能源汽车、高端装备",
            },
        )
        services.save_carrier(
            zone,
            {
                "name": "科创孵化大楼",
                "kind": "building",
                "floor_area_m2": Decimal(8000),
                "vacant_area_m2": Decimal(2600),
                "industries": "电子信息、生物医药",
            },
        )
        enclave = None
        if index == 0:
            enclave = services.save_park(
                county.id,
                {
                    "name": f"{county.name[:2]}—西咸飞地产业园",
                    "kind": "enclave",
                    "area_mu": Decimal(1200),
                    "host_county": "西咸新区",
                    "share_percent": Decimal(60),
                    "sharing_note": "地区生产总值和税收县级留成部分按 6:4 分享，期限十年",
                },
            )
            services.save_parcel(
                enclave,
                {
                    "code": "F-01",
                    "area_mu": Decimal(70),
                    "status": "supplied",
                    "standard": False,
                    "supplied_on": ctx.today - timedelta(days=120),
                    "grid_row": 0,
                    "grid_col": 0,
                },
            )
        project = _signed_project(county)
        if project is not None:
            services.site_project(project, staff, parcel=parcels["A-01"])  # 标准地: obligations now
        _efficiency(ctx, county, zone, enclave)
