"""Demo: each city's targets for its counties (this year and last, split by origin from the
county's own funds target), a class for each, and frozen quarters — the last ended quarter,
the one before it and the same quarter a year earlier (so 同比 and 环比 show) — with the core
indicators of the last one imported."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from crm.core.db import db
from crm.funds.models import CountyTarget
from crm.regions.models import Region
from crm.review import importer, services
from crm.review.indicators import previous_quarter

ORIGIN_SPLIT = {  # of the county's funds target
    "funds_out_of_province_wan": Decimal("0.50"),
    "funds_in_province_wan": Decimal("0.25"),
    "funds_in_city_wan": Decimal("0.15"),
    "funds_foreign_wan": Decimal("0.10"),
}
CLASSES = ("development", "agricultural")


def _targets(county_id: int, year: int, index: int, city_user) -> None:
    own = db.session.execute(
        select(CountyTarget.funds_target_wan).where(
            CountyTarget.county_id == county_id, CountyTarget.year == year
        )
    ).scalar_one_or_none()
    total = Decimal(own) if own is not None else Decimal(20000 + 5000 * index)
    values = {
        name: (total * share).quantize(Decimal("0.01"), ROUND_HALF_UP) for name, share in ORIGIN_SPLIT.items()
    }
    values["funds_foreign_wan"] = total - sum(v for k, v in values.items() if k != "funds_foreign_wan")
    values |= {"big_projects": 3 + index, "signings": 12 + 2 * index, "starts": 8 + index}
    services.set_target(county_id, year, values, city_user)


def _coordinators(ctx) -> dict[int, object]:
    """Each demo county's city coordinator (宝鸡's ``city``, 汉中's ``hanzhong``)."""
    by_region = {u.region_id: u for u in ctx.users.values() if u.has_role("coordinator")}
    return {
        county.id: by_region[county.parent_id] for county in ctx.counties if county.parent_id in by_region
    }


def load_demo(ctx) -> None:
    coordinator_of = _coordinators(ctx)
    today = ctx.today
    last = previous_quarter(today.year, (today.month - 1) // 3 + 1)
    quarters = [(last[0] - 1, last[1]), previous_quarter(*last), last]
    counties = [county for county in ctx.counties if county.id in coordinator_of]
    for index, county in enumerate(counties):
        coordinator = coordinator_of[county.id]
        for year in sorted({today.year - 1, today.year, *(y for y, _ in quarters)}):
            _targets(county.id, year, index, coordinator)
            services.set_county_class(county.id, year, CLASSES[index % len(CLASSES)], coordinator)
    for year, quarter in quarters:
        for county in counties:
            services.freeze_quarter(county.id, year, quarter, coordinator_of[county.id], today=today)
    codes = dict(
        db.session.execute(
            select(Region.id, Region.code).where(Region.id.in_([c.id for c in counties]))
        ).all()
    )
    sheets: dict[int, list] = {}  # a coordinator's sheet holds its own counties
    for index, county in enumerate(counties):
        coordinator = coordinator_of[county.id]
        rows = sheets.setdefault(coordinator.id, [coordinator, list(importer.HEADERS)])
        rows.append(
            [codes[county.id], county.name, 85 + 10 * index, 101.5 - index, 97 + 3 * index, 92, 103, 99.5, 100,
             1 if index == 0 else 0, 0.5 if index else 0]
        )  # fmt: skip
    for coordinator, *rows in sheets.values():
        importer.import_indicators(rows, *last, coordinator)
    db.session.flush()
