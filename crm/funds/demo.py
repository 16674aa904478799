"""Demo funds in place for signed projects (this year and last), and county targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from crm.core.db import db
from crm.dashboard.figures import days_in_year
from crm.funds.models import FUND_ORIGINS, CountyTarget, FundsRecord
from crm.projects.models import STAGES, Project
from crm.util.money import quantize_wan

FUNDED_STAGES = STAGES[STAGES.index("signed") :]
ORIGIN_WEIGHTS = {"out_of_province": 5, "in_province": 3, "in_city": 1, "foreign": 1}


def months_between(first: date, last: date):
    """The first day of every month from ``first``'s to ``last``'s, both included."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def load_demo(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    origins = list(ORIGIN_WEIGHTS)
    weights = list(ORIGIN_WEIGHTS.values())
    projects = (
        db.session.execute(select(Project).where(Project.stage.in_(FUNDED_STAGES)).order_by(Project.id))
        .scalars()
        .all()
    )
    this_year = date(today.year, 1, 1)
    ytd = {county.id: Decimal(0) for county in ctx.counties}
    for project in projects:
        first = max(project.signed_on or date(today.year - 1, 1, 1), date(today.year - 1, 1, 1))
        planned = project.planned_investment_wan or Decimal(rng.randint(2000, 50000))
        main_origin = (
            project.capital_origin
            if project.capital_origin in FUND_ORIGINS
            else rng.choices(origins, weights)[0]
        )
        for number, month in enumerate(months_between(first, today)):
            if rng.random() < 0.4:
                continue
            month_origins = {main_origin} | (
                {rng.choices(origins, weights)[0]} if rng.random() < 0.25 else set()
            )
            for origin in month_origins:
                amount = quantize_wan(planned * Decimal(rng.randint(10, 60)) / Decimal(1000))
                db.session.add(
                    FundsRecord(
                        county_id=project.county_id,
                        project_id=project.id,
                        month=month,
                        origin=origin,
                        amount_wan=amount,
                        evidence_ref=f"JZ{month:%Y%m}-{project.id:04d}-{number:02d}",
                        created_by_id=project.owner_id,
                    )
                )
                if month >= this_year and project.county_id in ytd:
                    ytd[project.county_id] += amount
    share_elapsed = Decimal(today.timetuple().tm_yday) / days_in_year(today.year)
    for county in ctx.counties:
        # Sized so the county sits near its 序时进度 (time-proportional target): 90–110 %.
        on_schedule = ytd[county.id] / share_elapsed if ytd[county.id] else Decimal(50000)
        # A bureau's target is a round figure: whole hundreds of 万元.
        target = (on_schedule / Decimal(rng.randint(90, 110)) * 100).quantize(Decimal("1E2"))
        db.session.add(
            CountyTarget(
                county_id=county.id,
                year=today.year,
                funds_target_wan=quantize_wan(max(target, Decimal(1000))),
                signed_projects_target=rng.randint(12, 20),
            )
        )
