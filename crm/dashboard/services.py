"""The county dashboard's figures, each one SQL aggregate over the given counties.

Every function takes the county ids and ``today`` (or its year), groups by county so
a coordinator's ranking falls out of the same queries, and never loads a row per project.

How "this year" is decided for a stage (signed / registered / started / producing): a
project counts for a stage in a year when the date it reached that stage lies in the
year. That date is the stage's evidence date on the project (``signed_on``,
``registered_on``, ``construction_started_on``, ``production_started_on``) — the dates
the bureau reports to the statistics office — and, when the evidence date is empty,
the first ``StageChange.reached_on`` at which the project entered that stage or a later
one (a project that skipped a stage reached it on the day it passed it). A project a
manager moved back before the stage no longer counts; one put on hold or lost after
reaching it still does (the contract was signed that year).

The funnel counts every project of the counties by the furthest main-path stage it
ever reached (current stage or any stage change). Median days per stage use the
stage history: a stay in stage S lasts from the change into S to the change out of it
(the next change of the same project); only stays that ended within the last 365 days
are measured, so the figure describes how the bureau works now.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Float, and_, case, func, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from crm.core.db import db
from crm.funds.models import FUND_ORIGINS, CountyTarget, FundsRecord
from crm.projects.models import OFF_PATH_STAGES, STAGES, Project, StageChange
from crm.util.money import quantize_wan

REPORTED_STAGES = ("signed", "registered", "started", "producing")
EVIDENCE_DATE = {
    "signed": Project.signed_on, "registered": Project.registered_on,
    "started": Project.construction_started_on, "producing": Project.production_started_on,
}
MEDIAN_WINDOW_DAYS = 365
ZERO = Decimal("0")


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def time_proportional_target(target: Decimal | None, today: date) -> Decimal | None:
    """序时进度: the share of the annual target due by ``today`` (today counts as elapsed).

    >>> time_proportional_target(Decimal('36500'), date(2025, 3, 31))
    Decimal('9000.00')
    >>> time_proportional_target(Decimal('1000'), date(2024, 12, 31))
    Decimal('1000.00')
    """
    if target is None:
        return None
    elapsed = today.timetuple().tm_yday
    return quantize_wan(Decimal(target) * elapsed / days_in_year(today.year))


def ratio(part, whole) -> Decimal | None:
    """``part / whole`` rounded to 0.0001; None when there is nothing to divide by.

    >>> ratio(Decimal('4500'), Decimal('9000.00')), ratio(1, 0)
    (Decimal('0.5000'), None)
    """
    if whole is None or part is None or Decimal(whole) == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _stage_index_case(column):
    return case({stage: index for index, stage in enumerate(STAGES)}, value=column, else_=0)


def stage_reached_in_year(county_ids, year: int) -> dict[int, dict[str, tuple[int, Decimal]]]:
    """{county: {stage: (projects that reached it in ``year``, their planned investment)}}."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    first_reached = select(
        StageChange.project_id.label("project_id"),
        *[func.min(case((StageChange.to_stage.in_(STAGES[STAGES.index(s):]), StageChange.reached_on)))
          .label(s) for s in REPORTED_STAGES],
    ).where(StageChange.county_id.in_(county_ids)).group_by(StageChange.project_id).subquery()
    planned = func.coalesce(Project.planned_investment_wan, 0)
    columns = []
    for stage in REPORTED_STAGES:
        reached_on = func.coalesce(EVIDENCE_DATE[stage], first_reached.c[stage])
        still_there = Project.stage.in_(STAGES[STAGES.index(stage):] + OFF_PATH_STAGES)
        counted = and_(reached_on >= start, reached_on <= end, still_there)
        columns += [func.sum(case((counted, 1), else_=0)), func.sum(case((counted, planned), else_=0))]
    rows = db.session.execute(
        select(Project.county_id, *columns)
        .outerjoin(first_reached, first_reached.c.project_id == Project.id)
        .where(Project.county_id.in_(county_ids))
        .group_by(Project.county_id)
    ).all()
    result = {cid: {s: (0, ZERO) for s in REPORTED_STAGES} for cid in county_ids}
    for county_id, *values in rows:
        result[county_id] = {
            stage: (int(values[2 * i] or 0), quantize_wan(Decimal(values[2 * i + 1] or 0)))
            for i, stage in enumerate(REPORTED_STAGES)
        }
    return result


def funds_year_to_date(county_ids, today: date) -> dict[int, dict[str, Decimal]]:
    """{county: {origin: funds in place from January up to and including today's month}}."""
    rows = db.session.execute(
        select(FundsRecord.county_id, FundsRecord.origin, func.sum(FundsRecord.amount_wan))
        .where(FundsRecord.county_id.in_(county_ids), FundsRecord.month >= date(today.year, 1, 1),
               FundsRecord.month <= today)
        .group_by(FundsRecord.county_id, FundsRecord.origin)
    ).all()
    result = {cid: {o: ZERO for o in FUND_ORIGINS} for cid in county_ids}
    for county_id, origin, amount in rows:
        result[county_id][origin] = quantize_wan(Decimal(amount or 0))
    return result


def funds_by_month(county_ids, today: date) -> list[Decimal]:
    """Funds in place of each month of this year so far (January first)."""
    rows = db.session.execute(
        select(FundsRecord.month, func.sum(FundsRecord.amount_wan))
        .where(FundsRecord.county_id.in_(county_ids), FundsRecord.month >= date(today.year, 1, 1),
               FundsRecord.month <= today)
        .group_by(FundsRecord.month)
    ).all()
    amounts = {month.month: quantize_wan(Decimal(amount or 0)) for month, amount in rows}
    return [amounts.get(m, ZERO) for m in range(1, today.month + 1)]


def annual_targets(county_ids, year: int) -> dict[int, Decimal | None]:
    rows = db.session.execute(
        select(CountyTarget.county_id, CountyTarget.funds_target_wan)
        .where(CountyTarget.county_id.in_(county_ids), CountyTarget.year == year)
    ).all()
    result = {cid: None for cid in county_ids}
    result.update({cid: quantize_wan(Decimal(amount)) for cid, amount in rows})
    return result


def funnel(county_ids) -> list[dict]:
    """Projects that ever reached each main-path stage, and the conversion from the stage before."""
    positions = union_all(
        select(Project.id.label("project_id"), _stage_index_case(Project.stage).label("position"))
        .where(Project.county_id.in_(county_ids)),
        select(StageChange.project_id, _stage_index_case(StageChange.to_stage))
        .where(StageChange.county_id.in_(county_ids)),
    ).subquery()
    furthest = select(positions.c.project_id, func.max(positions.c.position).label("furthest")) \
        .group_by(positions.c.project_id).subquery()
    rows = db.session.execute(
        select(furthest.c.furthest, func.count()).group_by(furthest.c.furthest)
    ).all()
    at_least = [0] * len(STAGES)
    for position, count in rows:
        for index in range(int(position) + 1):
            at_least[index] += count
    steps = []
    for index, stage in enumerate(STAGES):
        previous = at_least[index - 1] if index else None
        steps.append({"stage": stage, "reached": at_least[index],
                      "conversion": ratio(at_least[index], previous) if index else None})
    return steps


class days_between(FunctionElement):
    """``later - earlier`` in days, for two DATE expressions, on SQLite and PostgreSQL."""

    type = Float()
    name = "days_between"
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}))"


def median_days_per_stage(county_ids, today: date) -> dict[str, float | None]:
    """Median days a project stayed in each main-path stage (stays ended in the last 365 days).

    A change out of stage S (its ``from_stage``) ends a stay that began at the project's
    latest earlier change into S. Only the last year's changes are read, and the median
    is taken in SQL, so the cost follows recent work rather than the county's history.
    """
    ended = aliased(StageChange)
    entered = aliased(StageChange)
    entered_on = (
        select(func.max(entered.reached_on))
        .where(entered.project_id == ended.project_id, entered.to_stage == ended.from_stage,
               entered.reached_on <= ended.reached_on, entered.id < ended.id)
        .correlate(ended).scalar_subquery()
    )
    stays = (
        select(ended.from_stage.label("stage"), days_between(ended.reached_on, entered_on).label("days"))
        .where(ended.county_id.in_(county_ids), ended.from_stage.in_(STAGES),
               ended.reached_on > today - timedelta(days=MEDIAN_WINDOW_DAYS), ended.reached_on <= today)
        .subquery()
    )
    ranked = select(
        stays.c.stage, stays.c.days,
        func.row_number().over(partition_by=stays.c.stage, order_by=stays.c.days).label("rn"),
        func.count().over(partition_by=stays.c.stage).label("n"),
    ).where(stays.c.days.is_not(None)).subquery()
    # The middle row (odd n) or the two middle rows (even n): n <= 2·rn <= n + 2.
    rows = db.session.execute(
        select(ranked.c.stage, func.avg(ranked.c.days))
        .where(2 * ranked.c.rn >= ranked.c.n, 2 * ranked.c.rn <= ranked.c.n + 2)
        .group_by(ranked.c.stage)
    ).all()
    medians = {stage: float(value) for stage, value in rows}
    return {stage: medians.get(stage) for stage in STAGES[:-1]}


def overdue_followups(county_ids, today: date, limit: int = 10):
    """(number of open projects whose follow-up date has passed, the ``limit`` most overdue)."""
    from crm.auth.models import User

    condition = and_(Project.county_id.in_(county_ids), Project.next_follow_up_on < today, Project.stage != "lost")
    count = db.session.execute(select(func.count()).select_from(Project).where(condition)).scalar_one()
    rows = db.session.execute(
        select(Project.id, Project.name, Project.code_name, Project.next_follow_up_on, Project.county_id,
               User.display_name.label("owner"))
        .outerjoin(User, User.id == Project.owner_id)
        .where(condition).order_by(Project.next_follow_up_on, Project.id).limit(limit)
    ).all()
    return count, rows


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


def build_dashboard(county_ids, today: date) -> Dashboard:
    county_ids = sorted(county_ids)
    stages = stage_reached_in_year(county_ids, today.year)
    funds = funds_year_to_date(county_ids, today)
    targets = annual_targets(county_ids, today.year)
    counties = [CountyFigures(cid, stages[cid], funds[cid], targets[cid], today) for cid in county_ids]
    known_targets = [t for t in targets.values() if t is not None]
    total = CountyFigures(
        county_id=0,
        stages={s: (sum(c.stages[s][0] for c in counties), sum((c.stages[s][1] for c in counties), ZERO))
                for s in REPORTED_STAGES},
        funds_by_origin={o: sum((c.funds_by_origin[o] for c in counties), ZERO) for o in FUND_ORIGINS},
        target=sum(known_targets, ZERO) if known_targets else None,
        today=today,
    )
    overdue_count, overdue = overdue_followups(county_ids, today)
    return Dashboard(today=today, total=total, counties=counties, funnel=funnel(county_ids),
                     median_days=median_days_per_stage(county_ids, today),
                     funds_by_month=funds_by_month(county_ids, today),
                     overdue_count=overdue_count, overdue=overdue)


def _money(value):
    return None if value is None else str(value)


def figures_json(dashboard: Dashboard) -> dict:
    """The dashboard as JSON (amounts in 万元 as decimal strings, ratios as strings)."""
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
        "counties": [county(c) for c in dashboard.counties],
        "funnel": [{**step, "conversion": _money(step["conversion"])} for step in dashboard.funnel],
        "median_days_per_stage": dashboard.median_days,
        "funds_by_month_wan": [str(v) for v in dashboard.funds_by_month],
        "overdue_followups": dashboard.overdue_count,
    }
