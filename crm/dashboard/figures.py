"""Each county's dashboard figures, computed by grouped SQL in a form that adds up.

Every figure is worked out per county (the coordinator's ranking needs that anyway) in
a form that adds up across counties: counts and sums per stage, funds per origin and
month, projects per furthest stage, and for the median days per stage the number of
stays of each length (a histogram — the median of the merged histograms is the median
of all the stays). ``compute_county_parts`` computes any set of counties in the same
six grouped statements, one or a hundred, and never loads a row per project; the heavy
ones read the stage history through per-project lookups on
``ix_stage_changes_project_stage`` rather than grouping the whole history.

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

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Float, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from crm.coordination import shares
from crm.core.clock import days_in_year
from crm.core.db import db
from crm.core.tenancy import county_in
from crm.funds.models import FUND_ORIGINS, CountyTarget, FundsRecord, is_counted
from crm.projects.confidential import name_column
from crm.projects.models import OFF_PATH_STAGES, STAGES, Project, StageChange
from crm.projects.pipeline import path_stage
from crm.util.money import quantize_wan

REPORTED_STAGES = ("signed", "registered", "started", "producing")
EVIDENCE_DATE = {
    "signed": Project.signed_on,
    "registered": Project.registered_on,
    "started": Project.construction_started_on,
    "producing": Project.production_started_on,
}
MEDIAN_WINDOW_DAYS = 365
OVERDUE_LIST = 10  # most overdue projects listed
ZERO = Decimal(0)


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
    standing = path_stage()
    flags = []
    for stage in REPORTED_STAGES:
        later = STAGES[STAGES.index(stage) :]
        first_reached = (
            select(func.min(StageChange.reached_on))
            .where(StageChange.project_id == Project.id, StageChange.to_stage.in_(later))
            .correlate(Project)
            .scalar_subquery()
        )
        reached_on = func.coalesce(EVIDENCE_DATE[stage], first_reached)
        still_there = standing.in_(later)
        flags.append(
            case((and_(still_there, reached_on >= start, reached_on <= end), 1), else_=0).label(stage)
        )
    per_project = (
        select(
            Project.county_id.label("county_id"),
            *flags,
            func.coalesce(Project.planned_investment_wan, 0).label("planned"),
        )
        .where(county_in(Project.county_id, county_ids), Project.stage.in_(REPORTED_STAGES + OFF_PATH_STAGES))
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
    return {
        cid: {s: (counts[cid][s], quantize_wan(planned[cid][s])) for s in REPORTED_STAGES}
        for cid in county_ids
    }


def funds_this_year(
    county_ids, today: date, agreements=None
) -> tuple[dict[int, dict[str, Decimal]], dict[int, list[Decimal]]]:
    """({county: {origin: funds in place from January to today's month}},
    {county: [funds in place of each month, January first]}).

    One statement grouped by county, origin and month; both figures are sums of its rows,
    with each county's share of projects under a benefit-sharing agreement.
    """
    rows = db.session.execute(
        select(FundsRecord.county_id, FundsRecord.origin, FundsRecord.month, func.sum(FundsRecord.amount_wan))
        .where(
            county_in(FundsRecord.county_id, county_ids),
            FundsRecord.month >= date(today.year, 1, 1),
            FundsRecord.month <= today,
            is_counted(),  # the funds that count (crm.funds.models.is_counted); the rest is on /funds
        )
        .group_by(FundsRecord.county_id, FundsRecord.origin, FundsRecord.month)
    ).all()
    by_origin = {cid: {o: ZERO for o in FUND_ORIGINS} for cid in county_ids}
    by_month = {cid: [ZERO] * today.month for cid in county_ids}
    # Benefit-sharing agreements move each county's share between counties, each 万元 once
    # (crm/coordination/shares.py).
    shared = shares.adjustments(county_ids, date(today.year, 1, 1), today, agreements)
    for county_id, origin, month, amount in [*rows, *shared]:
        amount = quantize_wan(Decimal(amount or 0))
        by_origin[county_id][origin] = by_origin[county_id].get(origin, ZERO) + amount
        by_month[county_id][month.month - 1] += amount
    return by_origin, by_month


def annual_targets(county_ids, year: int) -> dict[int, Decimal | None]:
    """Each county's funds target for the year: the 落地金额 target its city or province
    gave (``crm.review``: the sum of the origins given) where there is one, else the
    county's own target (``/funds/targets``). One statement: the counties with both kinds
    of target joined on."""
    from crm.regions.models import Region
    from crm.review.models import ReviewTarget

    origins = (
        ReviewTarget.funds_out_of_province_wan,
        ReviewTarget.funds_in_province_wan,
        ReviewTarget.funds_in_city_wan,
        ReviewTarget.funds_foreign_wan,
    )
    rows = db.session.execute(
        select(Region.id, CountyTarget.funds_target_wan, *origins)
        .outerjoin(CountyTarget, and_(CountyTarget.county_id == Region.id, CountyTarget.year == year))
        .outerjoin(ReviewTarget, and_(ReviewTarget.county_id == Region.id, ReviewTarget.year == year))
        .where(county_in(Region.id, county_ids))
    ).all()
    result: dict[int, Decimal | None] = {cid: None for cid in county_ids}
    for county_id, own, *given in rows:
        given = [Decimal(v) for v in given if v is not None]
        if given:
            result[county_id] = quantize_wan(sum(given, ZERO))
        elif own is not None:
            result[county_id] = quantize_wan(Decimal(own))
    return result


def furthest_stages(county_ids) -> dict[int, dict[int, int]]:
    """{county: {position in STAGES: projects whose furthest main-path stage it is}}.

    A project's furthest stage is the larger of its current stage and the furthest stage
    any of its changes went to (one lookup per project on ``ix_stage_changes_project_stage``,
    which holds ``to_stage``), so the history is never grouped as a whole.
    """
    furthest_change = (
        select(func.max(_stage_index_case(StageChange.to_stage)))
        .where(StageChange.project_id == Project.id)
        .correlate(Project)
        .scalar_subquery()
    )
    per_project = (
        select(
            Project.county_id.label("county_id"),
            greatest(_stage_index_case(Project.stage), func.coalesce(furthest_change, 0)).label("furthest"),
        )
        .where(county_in(Project.county_id, county_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(per_project.c.county_id, per_project.c.furthest, func.count()).group_by(
            per_project.c.county_id, per_project.c.furthest
        )
    ).all()
    result: dict[int, dict[int, int]] = {cid: {} for cid in county_ids}
    for county_id, position, count in rows:
        result[county_id][int(position)] = count
    return result


def funnel_steps(furthest: dict[int, int]) -> list[dict]:
    """Projects that ever reached each main-path stage, and the conversion from the stage
    before, from {position in STAGES: projects whose furthest stage it is}."""
    at_least = [0] * len(STAGES)
    for position, count in furthest.items():
        for index in range(position + 1):
            at_least[index] += count
    steps = []
    for index, stage in enumerate(STAGES):
        previous = at_least[index - 1] if index else None
        steps.append(
            {
                "stage": stage,
                "reached": at_least[index],
                "conversion": ratio(at_least[index], previous) if index else None,
            }
        )
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


def stay_days(county_ids, today: date) -> dict[int, dict[str, dict[float, int]]]:
    """{county: {stage: {days: how many stays in the stage lasted that long}}} for the stays
    that ended in the last 365 days; the median days per stage is taken from these counts
    (merged over counties, they give the median of all the counties' stays).

    A change out of stage S (its ``from_stage``) ends a stay that began at the project's
    latest earlier change into S. Only the last year's changes are read, and SQL counts
    how many stays lasted each number of days (a few hundred rows per county whatever the
    number of projects), so no window function has to sort every stay.
    """
    ended = aliased(StageChange)
    entered = aliased(StageChange)
    entered_on = (
        select(func.max(entered.reached_on))
        .where(
            entered.project_id == ended.project_id,
            entered.to_stage == ended.from_stage,
            entered.reached_on <= ended.reached_on,
            entered.id < ended.id,
        )
        .correlate(ended)
        .scalar_subquery()
    )
    stays = select(
        ended.county_id.label("county_id"),
        ended.from_stage.label("stage"),
        days_between(ended.reached_on, entered_on).label("days"),
    ).where(
        county_in(ended.county_id, county_ids),
        ended.from_stage.in_(STAGES),
        ended.reached_on > today - timedelta(days=MEDIAN_WINDOW_DAYS),
        ended.reached_on <= today,
    )
    if db.session.get_bind().dialect.name == "sqlite":
        # Keeps SQLite from merging this query into the grouping one, where it would work
        # out each stay's lookup twice (once to group, once to output the days).
        stays = stays.order_by(ended.county_id)
    stays = stays.subquery()
    rows = db.session.execute(
        select(stays.c.county_id, stays.c.stage, stays.c.days, func.count())
        .where(stays.c.days.is_not(None))  # a stay with no start on record has no length
        .group_by(stays.c.county_id, stays.c.stage, stays.c.days)
    )
    result: dict[int, dict[str, dict[float, int]]] = {cid: {} for cid in county_ids}
    for county_id, stage, days, number in rows:
        result[county_id].setdefault(stage, {})[float(days)] = number
    return result


def median_days(histograms) -> dict[str, float | None]:
    """Median days per main-path stage over several counties' ``stay_days`` histograms."""
    merged: dict[str, Counter] = {stage: Counter() for stage in STAGES[:-1]}
    for histogram in histograms:
        for stage, counts in histogram.items():
            if stage in merged:
                merged[stage].update(counts)
    return {stage: median_of_counts(counts) for stage, counts in merged.items()}


def overdue_by_county(county_ids, today: date, limit: int = OVERDUE_LIST) -> dict[int, tuple[int, tuple]]:
    """{county: (open projects whose follow-up date has passed,
    ((follow-up date, project id) of its ``limit`` most overdue, most overdue first))}.

    One statement: window functions number each county's overdue projects and count them.
    """
    ranked = (
        select(
            Project.county_id.label("county_id"),
            Project.id.label("id"),
            Project.next_follow_up_on.label("due"),
            func.row_number()
            .over(partition_by=Project.county_id, order_by=(Project.next_follow_up_on, Project.id))
            .label("rank"),
            func.count().over(partition_by=Project.county_id).label("total"),
        )
        .where(county_in(Project.county_id, county_ids), *_overdue_condition(today))
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.county_id, ranked.c.total, ranked.c.due, ranked.c.id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.county_id, ranked.c.rank)
    ).all()
    totals = dict.fromkeys(county_ids, 0)
    first: dict[int, list] = {cid: [] for cid in county_ids}
    for county_id, total, due, project_id in rows:
        totals[county_id] = total
        first[county_id].append((due, project_id))
    return {cid: (totals[cid], tuple(first[cid])) for cid in county_ids}


def _overdue_condition(today: date):
    return Project.next_follow_up_on < today, Project.stage != "lost"


def overdue_rows(first: list[tuple[date, int]], today: date, viewer=None) -> list:
    """The projects ``first`` names ((follow-up date, id), most overdue first), read fresh:
    names and owners are not part of the cached figures (a renamed user writes no county's
    audit row). ``name`` is the project's name as ``viewer`` may read it."""
    from crm.auth.models import User

    if not first:
        return []
    return db.session.execute(
        select(
            Project.id,
            name_column(viewer).label("name"),
            Project.next_follow_up_on,
            Project.county_id,
            User.display_name.label("owner"),
        )
        .outerjoin(User, User.id == Project.owner_id)
        .where(Project.id.in_([project_id for _, project_id in first]), *_overdue_condition(today))
        .order_by(Project.next_follow_up_on, Project.id)
    ).all()


@dataclass(frozen=True)
class CountyPart:
    """One county's share of the dashboard, as the cache keeps it: figures only, each of
    which adds up across counties (never changed once built)."""

    stages: dict[str, tuple[int, Decimal]]  # reported stage -> (projects, planned investment)
    funds_by_origin: dict[str, Decimal]
    funds_by_month: tuple[Decimal, ...]  # January .. today's month
    target: Decimal | None
    furthest: dict[int, int]  # see furthest_stages
    stay_days: dict[str, dict[float, int]]  # see stay_days
    overdue_count: int
    overdue_first: tuple[tuple[date, int], ...]  # (follow-up date, project id), most overdue first


def compute_county_parts(county_ids, today: date, agreements=None) -> dict[int, CountyPart]:
    """Every county's share in six grouped statements, whatever the number of counties
    (``agreements``: the benefit-sharing agreements naming them, if already read; a seventh
    statement reads them otherwise, and an eighth their projects' funds when there are any)."""
    county_ids = sorted(county_ids)
    if not county_ids:
        return {}
    stages = stage_reached_in_year(county_ids, today.year)
    funds, by_month = funds_this_year(county_ids, today, agreements)
    targets = annual_targets(county_ids, today.year)
    furthest = furthest_stages(county_ids)
    stays = stay_days(county_ids, today)
    overdue = overdue_by_county(county_ids, today)
    return {
        cid: CountyPart(
            stages=stages[cid],
            funds_by_origin=funds[cid],
            funds_by_month=tuple(by_month[cid]),
            target=targets[cid],
            furthest=furthest[cid],
            stay_days=stays[cid],
            overdue_count=overdue[cid][0],
            overdue_first=overdue[cid][1],
        )
        for cid in county_ids
    }
