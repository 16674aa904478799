"""The county dashboard's figures, each one SQL aggregate over the given counties.

Every function takes the county ids and ``today`` (or its year), groups by county so
a coordinator's ranking falls out of the same queries, and never loads a row per project:
the dashboard costs the same seven statements for one county or a hundred (a regression
test counts them). The heavy figures read the stage history through per-project lookups
on ``ix_stage_changes_project_stage`` rather than grouping the whole history, and return
a few hundred rows at most (counts per flag combination or per number of days), so the
Python side stays small too.

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

from sqlalchemy import Float, and_, case, func, select, text
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


class greatest(FunctionElement):
    """The larger of two values: ``max(a, b)`` on SQLite, ``greatest(a, b)`` elsewhere."""

    name = "greatest"
    inherit_cache = True


@compiles(greatest)
def _greatest_default(element, compiler, **kw):
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


def stage_reached_in_year(county_ids, year: int) -> dict[int, dict[str, tuple[int, Decimal]]]:
    """{county: {stage: (projects that reached it in ``year``, their planned investment)}}.

    One pass over the projects that are in a reported stage or off the path (no other
    project can count). Each such project gets one 0/1 flag per stage; the rows are grouped
    by county and flags, so every flag is worked out once per project and the stage
    history is read only for a project whose evidence date is empty (a correlated lookup
    on ``ix_stage_changes_project_stage``).
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    flags = []
    for stage in REPORTED_STAGES:
        later = STAGES[STAGES.index(stage):]
        first_reached = (
            select(func.min(StageChange.reached_on))
            .where(StageChange.project_id == Project.id, StageChange.to_stage.in_(later))
            .correlate(Project).scalar_subquery()
        )
        reached_on = func.coalesce(EVIDENCE_DATE[stage], first_reached)
        still_there = Project.stage.in_(later + OFF_PATH_STAGES)
        flags.append(case((and_(still_there, reached_on >= start, reached_on <= end), 1), else_=0).label(stage))
    per_project = (
        select(Project.county_id.label("county_id"), *flags,
               func.coalesce(Project.planned_investment_wan, 0).label("planned"))
        .where(Project.county_id.in_(county_ids), Project.stage.in_(REPORTED_STAGES + OFF_PATH_STAGES))
        .subquery()
    )
    keys = [per_project.c.county_id, *[per_project.c[s] for s in REPORTED_STAGES]]
    rows = db.session.execute(
        select(*keys, func.count(), func.sum(per_project.c.planned)).group_by(*keys)
    ).all()
    counts = {cid: dict.fromkeys(REPORTED_STAGES, 0) for cid in county_ids}
    planned = {cid: dict.fromkeys(REPORTED_STAGES, ZERO) for cid in county_ids}
    for county_id, *stage_flags, number, amount in rows:
        amount = quantize_wan(Decimal(amount or 0))
        for stage, flag in zip(REPORTED_STAGES, stage_flags):
            if flag:
                counts[county_id][stage] += number
                planned[county_id][stage] += amount
    return {cid: {s: (counts[cid][s], quantize_wan(planned[cid][s])) for s in REPORTED_STAGES}
            for cid in county_ids}


def funds_this_year(county_ids, today: date) -> tuple[dict[int, dict[str, Decimal]], list[Decimal]]:
    """({county: {origin: funds in place from January to today's month}}, [total of each month]).

    One statement grouped by county, origin and month; both figures are sums of its rows.
    """
    rows = db.session.execute(
        select(FundsRecord.county_id, FundsRecord.origin, FundsRecord.month, func.sum(FundsRecord.amount_wan))
        .where(FundsRecord.county_id.in_(county_ids), FundsRecord.month >= date(today.year, 1, 1),
               FundsRecord.month <= today)
        .group_by(FundsRecord.county_id, FundsRecord.origin, FundsRecord.month)
    ).all()
    by_county = {cid: {o: ZERO for o in FUND_ORIGINS} for cid in county_ids}
    by_month: dict[int, Decimal] = {}
    for county_id, origin, month, amount in rows:
        amount = quantize_wan(Decimal(amount or 0))
        by_county[county_id][origin] = by_county[county_id].get(origin, ZERO) + amount
        by_month[month.month] = by_month.get(month.month, ZERO) + amount
    return by_county, [by_month.get(m, ZERO) for m in range(1, today.month + 1)]


def funds_year_to_date(county_ids, today: date) -> dict[int, dict[str, Decimal]]:
    """{county: {origin: funds in place from January up to and including today's month}}."""
    return funds_this_year(county_ids, today)[0]


def funds_by_month(county_ids, today: date) -> list[Decimal]:
    """Funds in place of each month of this year so far (January first)."""
    return funds_this_year(county_ids, today)[1]


def annual_targets(county_ids, year: int) -> dict[int, Decimal | None]:
    rows = db.session.execute(
        select(CountyTarget.county_id, CountyTarget.funds_target_wan)
        .where(CountyTarget.county_id.in_(county_ids), CountyTarget.year == year)
    ).all()
    result = {cid: None for cid in county_ids}
    result.update({cid: quantize_wan(Decimal(amount)) for cid, amount in rows})
    return result


def funnel(county_ids) -> list[dict]:
    """Projects that ever reached each main-path stage, and the conversion from the stage before.

    A project's furthest stage is the larger of its current stage and the furthest stage
    any of its changes went to (one lookup per project on ``ix_stage_changes_project_stage``,
    which holds ``to_stage``), so the history is never grouped as a whole.
    """
    furthest_change = (
        select(func.max(_stage_index_case(StageChange.to_stage)))
        .where(StageChange.project_id == Project.id)
        .correlate(Project).scalar_subquery()
    )
    per_project = (
        select(greatest(_stage_index_case(Project.stage), func.coalesce(furthest_change, 0)).label("furthest"))
        .where(Project.county_id.in_(county_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(per_project.c.furthest, func.count()).group_by(per_project.c.furthest)
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


def median_of_counts(counts: dict[float, int]) -> float | None:
    """The median of values given as {value: how many times}; the mean of the two middle
    values when there is an even number of them.

    >>> median_of_counts({10.0: 1, 20.0: 2, 61.0: 1}), median_of_counts({3.0: 3}), median_of_counts({})
    (20.0, 3.0, None)
    """
    n = sum(counts.values())
    if not n:
        return None
    wanted = {(n + 1) // 2, n // 2 + 1}  # 1-based ranks of the middle value(s)
    picked, seen = [], 0
    for value in sorted(counts):
        first, seen = seen + 1, seen + counts[value]
        picked += [value for rank in sorted(wanted) if first <= rank <= seen]
    return float(sum(picked)) / len(picked)


def median_days_per_stage(county_ids, today: date) -> dict[str, float | None]:
    """Median days a project stayed in each main-path stage (stays ended in the last 365 days).

    A change out of stage S (its ``from_stage``) ends a stay that began at the project's
    latest earlier change into S. Only the last year's changes are read; SQL returns how
    many stays of each stage lasted each number of days (a few hundred rows whatever the
    number of projects) and the median is taken from those counts, so no window function
    has to sort every stay.
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
    rows = db.session.execute(
        select(stays.c.stage, stays.c.days, func.count()).group_by(stays.c.stage, stays.c.days)
    ).all()
    counts: dict[str, dict[float, int]] = {}
    for stage, days, number in rows:
        if days is not None:
            counts.setdefault(stage, {})[float(days)] = number
    return {stage: median_of_counts(counts.get(stage, {})) for stage in STAGES[:-1]}


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


def _without_jit() -> None:
    """On PostgreSQL, turn JIT compilation off for the rest of this transaction.

    The per-project lookups above are estimated as costly, so PostgreSQL's default
    ``jit = on`` compiles their plans first: 0.3-0.7 s per statement at province scale,
    longer than running them. The setting ends with the request's transaction. (Turning
    JIT off for every connection of the application would make this unnecessary.)
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off").execution_options(tenant_checked=True))


def build_dashboard(county_ids, today: date) -> Dashboard:
    county_ids = sorted(county_ids)
    _without_jit()
    stages = stage_reached_in_year(county_ids, today.year)
    funds, by_month = funds_this_year(county_ids, today)
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
                     funds_by_month=by_month,
                     overdue_count=overdue_count, overdue=overdue)


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
