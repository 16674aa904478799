"""Writes of the review: targets from above, county classes, weights, freezing a quarter.

Shared by the pages, the API and the CLI. Only a coordinator whose region holds the county
(a city over its counties, a province over all of its) writes a county's targets, class or
snapshot; the CLI freezes as the system (no user). County-owned rows are written in a scope
that writes that one county (``acting_for``), so the audit names the coordinator and lands
in the county's log (its cached dashboard figures are keyed by it).
"""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from crm.core import clock
from crm.core.access import descendant_county_ids
from crm.core.db import db, utcnow
from crm.core.errors import ConflictError, ServiceError, refuse_stale
from crm.core.serialize import api_value
from crm.core.session import TenantScope
from crm.core.tenancy import current_scope, set_scope
from crm.review import figures
from crm.review.indicators import COUNTY_CLASSES, check_weights, quarter_bounds
from crm.review.models import CountyClass, QuarterSnapshot, ReviewTarget, ReviewWeights

__all__ = [
    "Forbidden",
    "acting_for",
    "coordinates",
    "freeze_quarter",
    "set_county_class",
    "set_target",
    "set_weights",
]

MAX_TARGET_WAN = Decimal("100000000")  # 10,000 亿元 for a county's year: a typing slip beyond
TARGET_MONEY = (
    "funds_out_of_province_wan",
    "funds_in_province_wan",
    "funds_in_city_wan",
    "funds_foreign_wan",
)
TARGET_COUNTS = ("big_projects", "signings", "starts")


class Forbidden(ServiceError):
    status = 403


def coordinates(actor, county_id: int) -> bool:
    """``actor`` is a coordinator whose region holds the county."""
    return bool(
        actor is not None
        and actor.has_role("coordinator")
        and county_id in descendant_county_ids(actor.region_id)
    )


def _require_coordinator(actor, county_id: int) -> None:
    if not coordinates(actor, county_id):
        raise Forbidden(_("只有该县的上级协调部门（市、省）可以办理"))


@contextmanager
def acting_for(county_id: int, actor=None):
    """Write county ``county_id``'s records as ``actor`` (None: the system, for the CLI):
    the scope reads what it read before and writes that county only."""
    previous = current_scope()
    readable = frozenset(previous.read_county_ids) if previous else frozenset()
    set_scope(
        TenantScope(
            actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else "system",
            read_county_ids=readable | {county_id},
            write_county_id=county_id,
            unrestricted=bool(previous and previous.unrestricted),
        )
    )
    try:
        yield
    finally:
        set_scope(previous)


def _year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ServiceError(_("请求中的字段有误"), {"year": [_("年份无效")]})
    return year


def _clean_target(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for name in TARGET_MONEY:
        raw = values.get(name)
        if raw is None or raw == "":
            clean[name] = None
            continue
        try:
            amount = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            amount = None
        if amount is None or not amount.is_finite() or amount < 0:
            errors[name] = [_("请填写不小于 0 的金额（万元）")]
        elif amount > MAX_TARGET_WAN:
            errors[name] = [_("金额过大，请确认单位是万元")]
        else:
            clean[name] = amount.quantize(Decimal("0.01"))
    for name in TARGET_COUNTS:
        raw = values.get(name)
        if raw is None or raw == "":
            clean[name] = None
        elif isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 100000:
            errors[name] = [_("须为不小于 0 的整数")]
        else:
            clean[name] = raw
    if errors:
        raise ServiceError(_("年度目标有误"), errors)
    if all(v is None for v in clean.values()):
        raise ServiceError(_("年度目标有误"), {"funds_out_of_province_wan": [_("请至少填写一项目标")]})
    return clean


def target_of(county_id: int, year: int) -> ReviewTarget | None:
    return db.session.execute(
        select(ReviewTarget).where(ReviewTarget.county_id == county_id, ReviewTarget.year == year)
    ).scalar_one_or_none()


def set_target(county_id: int, year, values: dict, actor, version: int | None = None) -> ReviewTarget:
    """A coordinator over the county sets (or changes) its targets for ``year``. A change
    replaces every figure and carries the version read: stale or missing, it is refused
    (409 with the stored figures)."""
    _require_coordinator(actor, county_id)
    year = _year(year)
    clean = _clean_target(values)
    target = target_of(county_id, year)
    if target is not None:
        refuse_stale(
            target,
            version,
            _("该县该年度的目标已下达或已被他人修改，当前值已显示，请确认后重新保存。"),
            {name: api_value(getattr(target, name)) for name in clean},
            required=True,
        )
    with acting_for(county_id, actor):
        if target is None:
            target = ReviewTarget(county_id=county_id, year=year)
            db.session.add(target)
        for name, value in clean.items():
            setattr(target, name, value)
        target.set_by_id, target.set_by_region_id, target.set_at = actor.id, actor.region_id, utcnow()
        db.session.flush()
    return target


def set_county_class(county_id: int, year, county_class: str, actor) -> CountyClass:
    """A coordinator over the county sets its class for the year (which weights it gets)."""
    _require_coordinator(actor, county_id)
    year = _year(year)
    if county_class not in COUNTY_CLASSES:
        raise ServiceError(_("请求中的字段有误"), {"county_class": [_("请选择县域类型")]})
    record = db.session.execute(
        select(CountyClass).where(CountyClass.county_id == county_id, CountyClass.year == year)
    ).scalar_one_or_none()
    with acting_for(county_id, actor):
        if record is None:
            record = CountyClass(county_id=county_id, year=year, county_class=county_class)
            db.session.add(record)
        record.county_class = county_class
        db.session.flush()
    return record


def set_weights(year, county_class: str, weights: dict, actor) -> ReviewWeights:
    """A coordinator sets its region's weights for a year and county class (whole
    percents summing to 100)."""
    if actor is None or not actor.has_role("coordinator"):
        raise Forbidden(_("只有市、省协调部门可以设置权重"))
    year = _year(year)
    if county_class not in COUNTY_CLASSES:
        raise ServiceError(_("请求中的字段有误"), {"county_class": [_("请选择县域类型")]})
    try:
        clean = check_weights(weights)
    except ValueError:
        raise ServiceError(
            _("请求中的字段有误"), {"weights": [_("权重须为不小于 0 的整数，合计 100")]}
        ) from None
    record = db.session.execute(
        select(ReviewWeights).where(
            ReviewWeights.region_id == actor.region_id,
            ReviewWeights.year == year,
            ReviewWeights.county_class == county_class,
        )
    ).scalar_one_or_none()
    if record is None:
        record = ReviewWeights(region_id=actor.region_id, year=year, county_class=county_class, weights={})
        db.session.add(record)
    record.weights, record.set_by_id = clean, actor.id
    db.session.flush()
    return record


def snapshot_of(county_id: int, year: int, quarter: int) -> QuarterSnapshot | None:
    return db.session.execute(
        select(QuarterSnapshot).where(
            QuarterSnapshot.county_id == county_id,
            QuarterSnapshot.year == year,
            QuarterSnapshot.quarter == quarter,
        )
    ).scalar_one_or_none()


def freeze_quarter(county_id: int, year: int, quarter: int, actor=None, today=None) -> QuarterSnapshot:
    """Freeze the county's figures for an ended quarter: computed now, kept as they are.

    ``actor`` None is the CLI (the system); otherwise a coordinator over the county. A
    quarter is frozen once: freezing it again is refused (409). ``today``: the bureau's
    today unless given (the demo builds its data as of its own day)."""
    from crm.land.queries import land_counts

    if actor is not None:
        _require_coordinator(actor, county_id)
    end = quarter_bounds(_year(year), quarter)[1]
    today = today or clock.today()
    if end >= today:
        raise ServiceError(_("季度尚未结束，不能冻结"), {"quarter": [_("只能冻结已结束的季度")]})
    if snapshot_of(county_id, year, quarter) is not None:
        raise ConflictError(_("%(year)s年第%(quarter)s季度已冻结，快照不再改变", year=year, quarter=quarter))
    with acting_for(county_id, actor):
        data = figures.quarter_figures(
            county_id, year, quarter, target_of(county_id, year), land_counts([county_id], today)
        )
        snapshot = QuarterSnapshot(
            county_id=county_id,
            year=year,
            quarter=quarter,
            figures=data,
            frozen_at=utcnow(),
            frozen_by_id=actor.id if actor else None,
        )
        db.session.add(snapshot)
        db.session.flush()
    return snapshot
