"""A county's figures for one quarter, as frozen into its snapshot (docs/design.md,
"Targets and the quarterly review").

Dates: a project reached stage S on S's evidence date (签约 ``signed_on``, 注册
``registered_on``, 开工 ``construction_started_on``, 投产 ``production_started_on``), else the
first stage change into S or a later stage — the dashboard's rule (crm/dashboard/figures.py)
— and only while it is still at S or later or off the path (a manager's move back undoes it).
Funds are the funds that count with each county's benefit share (the dashboard's
``funds_this_year``, crm/coordination/shares.py). Amounts and rates are stored as text so
the JSON keeps them exact.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from crm.core.db import db
from crm.dashboard.figures import funds_this_year
from crm.funds.models import FUND_ORIGINS, FundsRecord, is_counted
from crm.projects.models import OFF_PATH_STAGES, STAGES, Project, StageChange
from crm.projects.pipeline import EVIDENCE_STAGES, REACHED_ON_FIELD, path_stage
from crm.review.indicators import quarter_bounds
from crm.util.money import quantize_wan

__all__ = ["BIG_PROJECT_WAN", "COUNTED_STAGES", "quarter_figures", "ratio_text"]

BIG_PROJECT_WAN = Decimal(10000)  # 亿元以上项目: planned investment ≥ 1 亿元 = 10,000 万元
COUNTED_STAGES = EVIDENCE_STAGES  # from 签约 on, each reached on its evidence date
EVIDENCE = REACHED_ON_FIELD
ZERO = Decimal(0)


def ratio_text(numerator: int | Decimal, denominator: int | Decimal) -> str | None:
    """numerator ÷ denominator to 0.0001 as text; None when the denominator is 0.

    >>> ratio_text(2, 3), ratio_text(1, 0)
    ('0.6667', None)
    """
    if not denominator:
        return None
    return str((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001")))


def _reached_dates(county_id: int) -> list[dict]:
    """Each project of the county that ever reached 签约: its id, stage, planned investment
    and the date it reached each counted stage (None: not reached, or moved back)."""
    rows = db.session.execute(
        select(Project, path_stage()).where(
            Project.county_id == county_id, Project.stage.in_(COUNTED_STAGES + OFF_PATH_STAGES)
        )
    ).all()
    projects = [project for project, _standing in rows]
    standing = {project.id: stage for project, stage in rows}
    first_change: dict[int, dict[str, date]] = defaultdict(dict)
    if projects:
        rows = db.session.execute(
            select(StageChange.project_id, StageChange.to_stage, func.min(StageChange.reached_on))
            .where(StageChange.project_id.in_([p.id for p in projects]))
            .group_by(StageChange.project_id, StageChange.to_stage)
        ).all()
        for project_id, stage, reached in rows:
            first_change[project_id][stage] = reached
    result = []
    for project in projects:
        reached = {}
        for stage in COUNTED_STAGES:
            later = STAGES[STAGES.index(stage) :]
            if standing[project.id] not in later:  # moved back before it, on the path or off it
                reached[stage] = None
                continue
            evidence = getattr(project, EVIDENCE[stage])
            changes = [d for s, d in first_change[project.id].items() if s in later]
            reached[stage] = evidence or (min(changes) if changes else None)
        result.append(
            {
                "id": project.id,
                "stage": project.stage,
                "planned": Decimal(project.planned_investment_wan or 0),
                "reached": reached,
            }
        )
    return result


def _between(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


def _by(day: date | None, last: date) -> bool:
    return day is not None and day <= last


def _rates(projects: list[dict], county_id: int, year_start: date, end: date) -> dict:
    """The four rates the app computes (前期手续办结率 is imported): numerator, denominator
    and value (text, 0.0001) each — exactly as docs/design.md defines them."""
    signed = [p for p in projects if _between(p["reached"]["signed"], year_start, end)]
    landed = [p for p in signed if _by(p["reached"]["registered"], end)]

    def reserve(stage_before, stage_after):
        # Reached ``stage_before`` by the quarter end, not ``stage_after`` before the year,
        # and not 终止 without having reached ``stage_after``.
        pool = [
            p
            for p in projects
            if _by(p["reached"][stage_before], end)
            and not (p["reached"][stage_after] and p["reached"][stage_after] < year_start)
            and not (p["stage"] == "lost" and not _by(p["reached"][stage_after], end))
        ]
        done = [p for p in pool if _between(p["reached"][stage_after], year_start, end)]
        return len(done), len(pool)

    started_done, started_pool = reserve("signed", "started")
    producing_done, producing_pool = reserve("started", "producing")
    building = [p for p in projects if _by(p["reached"]["started"], end) and p["stage"] != "lost"]
    planned = sum((p["planned"] for p in building), ZERO)
    funds = ZERO
    if building:
        funds = Decimal(
            db.session.execute(
                select(func.coalesce(func.sum(FundsRecord.amount_wan), 0)).where(
                    FundsRecord.county_id == county_id,
                    FundsRecord.project_id.in_([p["id"] for p in building]),
                    FundsRecord.month <= end,
                    is_counted(),
                )
            ).scalar_one()
        )
    return {
        "landing_rate": _rate(len(landed), len(signed)),
        "reserve_start_rate": _rate(started_done, started_pool),
        "investment_rate": _rate(funds.quantize(Decimal("0.01")), planned.quantize(Decimal("0.01"))),
        "production_rate": _rate(producing_done, producing_pool),
    }


def _rate(numerator, denominator) -> dict:
    return {
        "numerator": str(numerator),
        "denominator": str(denominator),
        "value": ratio_text(numerator, denominator),
    }


def quarter_figures(county_id: int, year: int, quarter: int, target, land: dict | None) -> dict:
    """The county's figures for the quarter (read in a scope that reads the county).

    ``target``: the county's ``ReviewTarget`` of the year (None: none given), copied in so
    the snapshot keeps the target it was measured against; ``land``: the land lists' counts
    on the day of freezing (``crm.land.queries.land_counts``), or None.
    """
    first, end = quarter_bounds(year, quarter)
    year_start = date(year, 1, 1)
    by_origin, by_month = funds_this_year([county_id], end)
    funds_ytd = {o: quantize_wan(by_origin[county_id].get(o, ZERO)) for o in FUND_ORIGINS}
    funds_quarter = quantize_wan(sum(by_month[county_id][first.month - 1 : end.month], ZERO))
    projects = _reached_dates(county_id)
    counts_ytd = {
        s: sum(1 for p in projects if _between(p["reached"][s], year_start, end)) for s in COUNTED_STAGES
    }
    counts_quarter = {
        s: sum(1 for p in projects if _between(p["reached"][s], first, end)) for s in COUNTED_STAGES
    }
    big = [p for p in projects if p["planned"] >= BIG_PROJECT_WAN]
    return {
        "year": year,
        "quarter": quarter,
        "quarter_start": first.isoformat(),
        "quarter_end": end.isoformat(),
        "funds_ytd_by_origin_wan": {o: str(v) for o, v in funds_ytd.items()},
        "funds_ytd_wan": str(quantize_wan(sum(funds_ytd.values(), ZERO))),
        "funds_quarter_wan": str(funds_quarter),
        "counts_ytd": counts_ytd,
        "counts_quarter": counts_quarter,
        "big_projects_ytd": sum(1 for p in big if _between(p["reached"]["signed"], year_start, end)),
        "big_projects_quarter": sum(1 for p in big if _between(p["reached"]["signed"], first, end)),
        "rates": _rates(projects, county_id, year_start, end),
        "land": land or {},
        "target": _target_json(target),
    }


def _target_json(target) -> dict | None:
    if target is None:
        return None
    total = target.funds_total()
    return {
        "funds_by_origin_wan": {
            o: (None if v is None else str(v)) for o, v in target.funds_by_origin().items()
        },
        "funds_wan": None if total is None else str(total),
        "big_projects": target.big_projects,
        "signings": target.signings,
        "starts": target.starts,
    }
