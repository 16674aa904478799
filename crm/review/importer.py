"""Import of a quarter's core indicators from the coordinator's sheet (.xlsx or .csv).

The first row is exactly ``HEADERS``; each further row is one county below the
coordinator's region, by its 6-digit code. Percent columns are the indicator's completion
in percent of its target (0–500; empty: not given, scored 0); 加分/减分 are points (0–100).
All or nothing: any wrong row and nothing is saved, every wrong row named. A county already
imported for the quarter is replaced (audited in its county).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.access import descendant_county_ids
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.land.importer import read_rows
from crm.regions.models import Region
from crm.review.indicators import IMPORTED
from crm.review.models import QuarterIndicators
from crm.review.services import Forbidden, acting_for

__all__ = ["HEADERS", "import_indicators", "read_rows"]

PERCENT_HEADERS = {
    "procedures_rate": "前期手续办结率（%）",
    "gdp": "地区生产总值（%）",
    "industry": "规上工业增加值（%）",
    "fixed_investment": "固定资产投资（%）",
    "retail": "社会消费品零售总额（%）",
    "revenue": "一般公共预算收入（%）",
    "income": "居民人均可支配收入（%）",
}
HEADERS = ("行政区划代码", "县区名称", *PERCENT_HEADERS.values(), "加分", "减分")
MAX_PERCENT = Decimal(500)
MAX_POINTS = Decimal(100)
assert set(PERCENT_HEADERS) == set(IMPORTED)


def _number(raw, highest: Decimal) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    value = Decimal(str(raw).strip())  # InvalidOperation handled by the caller
    if not value.is_finite() or not 0 <= value <= highest:
        raise InvalidOperation
    return value.quantize(Decimal("0.01"))


def import_indicators(rows: list[list], year: int, quarter: int, actor) -> int:
    """Save the sheet's rows for the quarter; the number of counties imported."""
    if actor is None or not actor.has_role("coordinator"):
        raise Forbidden(_("只有市、省协调部门可以导入指标"))
    if not rows or [str(c or "").strip() for c in rows[0]][: len(HEADERS)] != list(HEADERS):
        raise ServiceError(_("表头不符"), {"sheet": [_("第一行须为：%(h)s", h="，".join(HEADERS))]})
    below = descendant_county_ids(actor.region_id)
    codes = dict(db.session.execute(select(Region.code, Region.id).where(Region.id.in_(sorted(below)))).all())
    problems, found, seen = [], {}, set()
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (len(HEADERS) - len(row))
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        code = str(row[0] or "").strip()
        if code not in codes:
            problems.append(_("第 %(n)s 行：%(code)s 不是本地区所辖的县（区）", n=number, code=code))
            continue
        if code in seen:
            problems.append(_("第 %(n)s 行：%(code)s 重复", n=number, code=code))
            continue
        seen.add(code)
        values = {}
        try:
            for offset, key in enumerate(PERCENT_HEADERS, start=2):
                amount = _number(row[offset], MAX_PERCENT)
                values[key] = None if amount is None else str(amount)
            for offset, key in ((len(HEADERS) - 2, "bonus"), (len(HEADERS) - 1, "penalty")):
                amount = _number(row[offset], MAX_POINTS)
                values[key] = None if amount is None else str(amount)
        except (InvalidOperation, ValueError):
            problems.append(_("第 %(n)s 行：百分数须在 0 到 500 之间，加分、减分在 0 到 100 之间", n=number))
            continue
        found[codes[code]] = values
    if problems:
        raise ServiceError(_("导入未保存：有 %(n)s 行有误", n=len(problems)), {"sheet": problems})
    if not found:
        raise ServiceError(_("表中没有数据"), {"sheet": [_("表中没有数据")]})
    for county_id, values in found.items():
        record = db.session.execute(
            select(QuarterIndicators).where(
                QuarterIndicators.county_id == county_id,
                QuarterIndicators.year == year,
                QuarterIndicators.quarter == quarter,
            )
        ).scalar_one_or_none()
        with acting_for(county_id, actor):
            if record is None:
                record = QuarterIndicators(
                    county_id=county_id, year=year, quarter=quarter, indicator_values={}
                )
                db.session.add(record)
            record.indicator_values, record.imported_by_id = values, actor.id
            db.session.flush()
    return len(found)
