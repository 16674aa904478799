"""The county dashboard: each county's figures (crm/dashboard/figures.py) taken from the
per-county cache or computed, then added up for the counties a user reads.

``build_dashboard`` takes the counties whose figures are still current from the county
cache (crm/core/county_cache.py: keyed by county, today and the county's newest audit
row), computes the others in one batch and adds everything up; the names shown (overdue
projects and their owners) are read fresh on each request.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import case, select

from crm.auth.models import Role, User
from crm.coordination import shares
from crm.core import clock, county_cache, warmup
from crm.core.db import db
from crm.core.session import TenantScopeError
from crm.core.tenancy import current_scope
from crm.dashboard import figures
from crm.dashboard.figures import (
    OVERDUE_LIST,
    REPORTED_STAGES,
    ZERO,
    CountyPart,
    funnel_steps,
    median_days,
    overdue_rows,
    ratio,
    time_proportional_target,
)
from crm.funds.models import FUND_ORIGINS
from crm.regions import services as regions
from crm.regions.models import Region, RegionLevel

DASHBOARD_CACHE = "dashboard"  # the kind of figures in the county cache


def warm_county_parts(deadline: float) -> None:
    """Every county's figures as of today into the county cache (``chaincrm serve`` at start,
    crm/core/warmup.py): the first province dashboard then finds them."""
    county_ids = regions.county_ids()
    if county_ids:
        county_parts(county_ids, clock.today())


def widest_reader() -> User | None:
    """An active user who reads the most counties (a province's, else a city's, else a
    county's; never an administrator): the one whose first dashboard costs most."""
    level_order = case(
        (Region.level == RegionLevel.province, 0), (Region.level == RegionLevel.city, 1), else_=2
    )
    return db.session.execute(
        select(User)
        .join(Region, Region.id == User.region_id)
        .where(User.is_active_user.is_(True), User.role != Role.admin)
        .order_by(level_order, User.id)
        .limit(1)
    ).scalar_one_or_none()


def warm_dashboard_page(deadline: float) -> None:
    """Serve the dashboard once to the widest reader (``chaincrm serve`` at start, after the
    figures): its templates and statements are compiled before the first visitor comes."""
    reader = widest_reader()
    if reader is not None:
        warmup.rehearse(current_app, "dashboard.index", reader)


def county_parts(county_ids, today: date, use_cache: bool = True) -> dict[int, CountyPart]:
    """Each county's share: from the county cache when its entry is current, the others
    computed together (one batch of grouped statements for all of them) and kept."""

    # A county's funds include its shares of its partners' projects (benefit-sharing
    # agreements, read once here): its figures are current while its partners' are.
    agreements = shares.agreements_touching(county_ids)

    def compute(missing):
        # Looked up on the module at call time, so that tests can watch what is computed.
        return figures.compute_county_parts(missing, today, agreements)

    if not use_cache:
        _check_readable(county_ids)
        return compute(county_ids)
    extra = shares.partner_keys(county_ids, agreements)
    return county_cache.per_county(DASHBOARD_CACHE, county_ids, compute, day=today, extra=extra)


@dataclass
class CountyFigures:
    county_id: int
    stages: dict[str, tuple[int, Decimal]]
    funds_by_origin: dict[str, Decimal]
    target: Decimal | None
    today: date

    @property
    def funds_ytd(self) -> Decimal:
        return sum(self.funds_by_origin.values(), ZERO)

    @property
    def time_target(self) -> Decimal | None:
        return time_proportional_target(self.target, self.today)

    @property
    def time_completion(self) -> Decimal | None:
        """Funds YTD ÷ 序时进度 target: 1.0 means exactly on schedule."""
        return ratio(self.funds_ytd, self.time_target)

    @property
    def annual_completion(self) -> Decimal | None:
        return ratio(self.funds_ytd, self.target)


@dataclass
class Dashboard:
    today: date
    total: CountyFigures
    counties: list[CountyFigures] = field(default_factory=list)
    funnel: list[dict] = field(default_factory=list)
    median_days: dict[str, float | None] = field(default_factory=dict)
    funds_by_month: list[Decimal] = field(default_factory=list)
    overdue_count: int = 0
    overdue: list = field(default_factory=list)


def _check_readable(county_ids) -> None:
    """Fail closed: figures (cached or not) are only ever built for counties the scope reads.

    An unreadable county would come out empty (the tenant filter), and be cached so."""
    scope = current_scope()
    if scope is None or not all(scope.can_read(cid) for cid in county_ids):
        raise TenantScopeError("The dashboard was asked for a county outside the tenant scope")


@dataclass(frozen=True)
class Summary:
    """The counties' parts added up: everything on the dashboard but the overdue projects'
    names (a pure function of the parts and today)."""

    total: CountyFigures
    counties: tuple[CountyFigures, ...]
    funnel: list[dict]
    median_days: dict[str, float | None]
    funds_by_month: list[Decimal]
    overdue_count: int
    overdue_first: list[tuple[date, int]]  # (follow-up date, project id) of the most overdue


def summarise(county_ids, parts, today: date) -> Summary:
    """Add up the counties' parts (``parts[i]`` is county ``county_ids[i]``'s)."""
    counties = tuple(
        CountyFigures(cid, part.stages, part.funds_by_origin, part.target, today)
        for cid, part in zip(county_ids, parts)
    )
    known_targets = [c.target for c in counties if c.target is not None]
    total = CountyFigures(
        county_id=0,
        stages={
            s: (sum(c.stages[s][0] for c in counties), sum((c.stages[s][1] for c in counties), ZERO))
            for s in REPORTED_STAGES
        },
        funds_by_origin={o: sum((c.funds_by_origin[o] for c in counties), ZERO) for o in FUND_ORIGINS},
        target=sum(known_targets, ZERO) if known_targets else None,
        today=today,
    )
    furthest: Counter = Counter()
    for part in parts:
        furthest.update(part.furthest)
    return Summary(
        total=total,
        counties=counties,
        funnel=funnel_steps(furthest),
        median_days=median_days(part.stay_days for part in parts),
        funds_by_month=[sum((part.funds_by_month[m] for part in parts), ZERO) for m in range(today.month)],
        overdue_count=sum(part.overdue_count for part in parts),
        overdue_first=heapq.nsmallest(
            OVERDUE_LIST, itertools.chain.from_iterable(p.overdue_first for p in parts)
        ),
    )


def build_dashboard(
    county_ids, today: date, *, use_cache: bool = True, list_overdue: bool = True, viewer=None
) -> Dashboard:
    """The dashboard over ``county_ids`` (all readable in the current scope) as of ``today``.

    ``use_cache``: take current counties' figures from the county cache (see
    crm/core/county_cache.py); the result is the same either way. ``list_overdue``: read
    the most overdue projects' names and owners (the API shows only their number), each
    project's name as ``viewer`` may read it (code names of confidential projects if None).
    """
    county_ids = sorted(set(county_ids))
    found = county_parts(county_ids, today, use_cache)
    parts = tuple(found[cid] for cid in county_ids)
    summary = summarise(county_ids, parts, today)
    return Dashboard(
        today=today,
        total=summary.total,
        counties=list(summary.counties),
        funnel=summary.funnel,
        median_days=summary.median_days,
        funds_by_month=summary.funds_by_month,
        overdue_count=summary.overdue_count,
        overdue=overdue_rows(summary.overdue_first, today, viewer) if list_overdue else [],
    )


def _money(value):
    return None if value is None else str(value)


def figures_json(dashboard: Dashboard, with_counties: bool = True) -> dict:
    """The dashboard as JSON (amounts in 万元 as decimal strings, ratios as strings);
    ``with_counties=False`` leaves the per-county list empty."""

    def county(c: CountyFigures) -> dict:
        return {
            "county_id": c.county_id or None,
            "stages": {s: {"count": n, "planned_investment_wan": str(p)} for s, (n, p) in c.stages.items()},
            "funds_ytd_wan": str(c.funds_ytd),
            "funds_by_origin_wan": {o: str(v) for o, v in c.funds_by_origin.items()},
            "funds_target_wan": _money(c.target),
            "time_proportional_target_wan": _money(c.time_target),
            "time_completion": _money(c.time_completion),
            "annual_completion": _money(c.annual_completion),
        }

    return {
        "today": dashboard.today.isoformat(),
        "year": dashboard.today.year,
        "total": county(dashboard.total),
        "counties": [county(c) for c in dashboard.counties] if with_counties else [],
        "funnel": [{**step, "conversion": _money(step["conversion"])} for step in dashboard.funnel],
        "median_days_per_stage": dashboard.median_days,
        "funds_by_month_wan": [str(v) for v in dashboard.funds_by_month],
        "overdue_followups": dashboard.overdue_count,
    }
