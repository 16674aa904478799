"""The province's exchange rates (人民币元/美元, one per month) for 境外 funds in place.

境外 money is recorded in 万美元 and counted in 万元 at the rate of its month. The rate is
the province's: one figure for all its counties, so a city or province total converts every
dollar alike. A coordinator of the province (省商务厅) enters it; everyone in the province
reads it. A month without a rate refuses 境外 records of that month with a message saying
who enters it, rather than borrowing an earlier month's rate: a borrowed rate would put a
figure into the statistics that nobody decided. Correcting a rate converts that month's 境外
records of the province's counties again (their 认定 stands: the dollars did not change).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.access import descendant_county_ids
from crm.core.db import added, db
from crm.core.errors import ServiceError, refuse_stale
from crm.core.session import SYSTEM_SCOPE
from crm.core.tenancy import county_in, current_scope, set_scope
from crm.funds.models import FOREIGN_ORIGIN, ExchangeRate, FundsRecord
from crm.regions.models import Region, RegionLevel
from crm.util.money import quantize_wan

__all__ = [
    "MAX_RATE",
    "MIN_RATE",
    "convert",
    "may_enter_rates",
    "month_label",
    "province_id_of",
    "rate_for",
    "rates_of",
    "set_rate",
]

# CNY per USD has stayed between 6 and 8.5 this century; outside 1..20 is a typing slip
# (a rate per 100 dollars, or a swapped figure), not a rate.
MIN_RATE, MAX_RATE = Decimal(1), Decimal(20)
RATE_PLACES = Decimal("0.0001")
SOURCE_MAX = 200


def month_label(month: date) -> str:
    """
    >>> month_label(date(2026, 3, 1))
    '2026年3月'
    """
    return _("%(year)d年%(month)d月", year=month.year, month=month.month)


def province_id_of(region_id: int) -> int:
    """The province above a region (the region itself when it is one); the topmost region
    above it when the tree has no province (a test or a single-county installation)."""
    region = db.session.get(Region, region_id)
    while region.level != RegionLevel.province and region.parent_id is not None:
        region = db.session.get(Region, region.parent_id)
    return region.id


def rate_for(county_id: int, month: date) -> ExchangeRate | None:
    """The rate of ``month`` kept by the county's province, or None if not entered yet."""
    return db.session.execute(
        select(ExchangeRate).where(
            ExchangeRate.province_id == province_id_of(county_id), ExchangeRate.month == month
        )
    ).scalar_one_or_none()


def convert(amount_usd_wan: Decimal, cny_per_usd: Decimal) -> Decimal:
    """万美元 × rate = 万元, rounded to 0.01 万元 (四舍五入).

    >>> convert(Decimal("120.5"), Decimal("7.1268"))
    Decimal('858.78')
    """
    return quantize_wan(amount_usd_wan * cny_per_usd)


def rates_of(province_id: int) -> list[ExchangeRate]:
    """The province's rates, latest month first."""
    return list(
        db.session.execute(
            select(ExchangeRate)
            .where(ExchangeRate.province_id == province_id)
            .order_by(ExchangeRate.month.desc())
        ).scalars()
    )


def may_enter_rates(user) -> bool:
    """A coordinator whose region is a province keeps its rates."""
    return user.has_role("coordinator") and user.region.level == RegionLevel.province


def _clean_rate(month, cny_per_usd, source) -> tuple[Decimal, str | None]:
    errors: dict[str, list[str]] = {}
    if not isinstance(month, date) or month.day != 1:
        errors["month"] = [_("请填写月份，如 2026-03")]
    rate = None
    try:
        rate = Decimal(str(cny_per_usd).strip()) if cny_per_usd not in (None, "") else None
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite():
        errors["cny_per_usd"] = [_("请填写汇率（人民币元/美元），如 7.1268")]
    elif not MIN_RATE <= rate <= MAX_RATE:
        errors["cny_per_usd"] = [
            _("汇率须在 %(low)s 到 %(high)s 之间（人民币元/美元）", low=MIN_RATE, high=MAX_RATE)
        ]
    elif rate != rate.quantize(RATE_PLACES):
        errors["cny_per_usd"] = [_("汇率最多四位小数")]
    source = (source or "").strip() or None
    if source and len(source) > SOURCE_MAX:
        errors["source"] = [_("来源不能超过 %(n)s 个字", n=SOURCE_MAX)]
    if errors:
        raise ServiceError(_("汇率有误，请检查标出的字段"), errors)
    return rate, source


def set_rate(
    user, month: date, cny_per_usd, source: str | None = None, version: int | None = None
) -> ExchangeRate:
    """Enter or correct the rate of ``month`` for the user's province (a coordinator of the
    province); a correction converts the month's 境外 records of its counties again. A
    correction carries the ``version`` of the rate it corrects: a month that has a rate
    already is refused without one (409 with the stored rate), so a rate entered anew for
    the month does not overwrite one the user has not seen."""
    if not may_enter_rates(user):
        raise ServiceError(_("汇率由省级协调员录入"), {"month": [_("汇率由省级协调员录入")]})
    rate, source = _clean_rate(month, cny_per_usd, source)
    existing = db.session.execute(
        select(ExchangeRate).where(ExchangeRate.province_id == user.region_id, ExchangeRate.month == month)
    ).scalar_one_or_none()
    if existing is None:
        existing = ExchangeRate(
            province_id=user.region_id, month=month, cny_per_usd=rate, source=source, entered_by_id=user.id
        )
        return added(existing)
    refuse_stale(
        existing,
        version,
        _(
            "%(month)s 的汇率已录入或已被他人修改，当前为 %(rate)s，请确认后重新保存。",
            month=month_label(month),
            rate=existing.cny_per_usd,
        ),
        {
            "month": month.strftime("%Y-%m"),
            "cny_per_usd": str(existing.cny_per_usd),
            "source": existing.source,
        },
        required=True,
    )
    changed = existing.cny_per_usd != rate
    existing.cny_per_usd, existing.source, existing.entered_by_id = rate, source, user.id
    db.session.flush()
    if changed:
        _convert_again(existing)
    return existing


def _convert_again(rate: ExchangeRate) -> int:
    """Convert the month's 境外 records of the province's counties at the corrected rate.

    The coordinator writes no county's records otherwise, so this one step acts with every
    county's write right while keeping the coordinator as the audit rows' actor; it selects
    the province's counties itself (the scope's criteria are off meanwhile)."""
    scope = current_scope()
    acting = replace(scope, unrestricted=True) if scope is not None else SYSTEM_SCOPE
    counties = descendant_county_ids(rate.province_id)
    set_scope(acting)
    try:
        records = db.session.execute(
            select(FundsRecord).where(
                county_in(FundsRecord.county_id, counties),
                FundsRecord.month == rate.month,
                FundsRecord.origin == FOREIGN_ORIGIN,
                FundsRecord.amount_usd_wan.is_not(None),
            )
        ).scalars()
        converted = 0
        for record in records:
            record.usd_rate = rate.cny_per_usd
            record.amount_wan = convert(record.amount_usd_wan, rate.cny_per_usd)
            converted += 1
        db.session.flush()
    finally:
        set_scope(scope)
    return converted
