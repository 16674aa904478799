"""Reading the project board: each stage column's count and planned investment, and its
most recently updated cards.

A province board covers a hundred counties' projects. The column totals of the board
without filters are kept per county in the county cache (crm/core/county_cache.py),
so only counties written to since are counted again; with filters they are counted live.
The cards of all columns come in one statement as plain rows, not ORM objects: a board
shows two hundred of them and needs a dozen of their fields.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select, union_all

from crm.auth.models import User
from crm.companies.models import Company
from crm.core import clock, county_cache
from crm.core.db import db
from crm.core.tenancy import county_in, current_scope
from crm.projects.confidential import name_column
from crm.projects.models import ALL_STAGES, Project
from crm.projects.queries import ProjectFilters

TOTALS_CACHE = "board_totals"  # the kind of figures in the county cache
ZERO = Decimal(0)


class BoardCard(NamedTuple):
    """What a card shows. ``name`` is already the name the viewer may read
    (``confidential.name_column``); the confidential rule reads ``code_name``, ``owner_id``
    and ``county_id`` off a card as off a project."""

    id: int
    county_id: int
    name: str
    code_name: str | None
    stage: str
    version: int
    owner_id: int | None
    planned_investment_wan: Decimal | None
    investor_name: str | None
    owner_name: str | None


def _empty_totals() -> dict[str, tuple[int, Decimal]]:
    return {stage: (0, ZERO) for stage in ALL_STAGES}


def totals_by_county(county_ids) -> dict[int, dict[str, tuple[int, Decimal]]]:
    """{county: {stage: (projects, planned investment)}} for every project of the counties,
    in one GROUP BY."""
    result = {county_id: _empty_totals() for county_id in county_ids}
    if not county_ids:
        return result
    rows = db.session.execute(
        select(
            Project.county_id,
            Project.stage,
            func.count(),
            func.coalesce(func.sum(Project.planned_investment_wan), 0),
        )
        .where(county_in(Project.county_id, county_ids))
        .group_by(Project.county_id, Project.stage)
    )
    for county_id, stage, number, amount in rows:
        if stage in result[county_id]:
            result[county_id][stage] = (number, Decimal(str(amount)))
    return result


def _live_totals(filters: ProjectFilters, user, today: date | None) -> dict[str, tuple[int, Decimal]]:
    # count(*), not count(id): ix_projects_stage_county_amount then answers it from the index alone.
    statement = select(
        Project.stage, func.count(), func.coalesce(func.sum(Project.planned_investment_wan), 0)
    ).group_by(Project.stage)
    statement = filters.apply(statement, user, today, with_stage=False)
    totals = _empty_totals()
    for stage, number, amount in db.session.execute(statement):
        totals[stage] = (number, Decimal(str(amount)))
    return totals


def column_totals(filters: ProjectFilters, user, today: date | None = None) -> dict[str, tuple[int, Decimal]]:
    """Count and total planned investment per stage over the projects ``filters`` select."""
    today = today or clock.today()
    scope = current_scope()
    if filters.narrows(user, today) or scope is None or scope.unrestricted:
        return _live_totals(filters, user, today)
    per_county = county_cache.per_county(TOTALS_CACHE, scope.read_county_ids, totals_by_county)
    totals = _empty_totals()
    for county_totals in per_county.values():
        for stage, (number, amount) in county_totals.items():
            count, total = totals[stage]
            totals[stage] = (count + number, total + amount)
    return totals


def board_cards(
    filters: ProjectFilters, user, limit: int, today: date | None = None
) -> dict[str, list[BoardCard]]:
    """The ``limit`` most recently updated projects of each stage, in one statement: a
    UNION ALL of one limited pick per column (each on an index of stage and update time,
    so the cost does not grow with the number of projects), then their names."""
    picks = []
    for stage in ALL_STAGES:
        pick = filters.apply(select(Project.id).where(Project.stage == stage), user, today, with_stage=False)
        pick = pick.order_by(Project.updated_at.desc(), Project.id.desc()).limit(limit).subquery()
        picks.append(select(pick.c.id))
    picked = union_all(*picks).subquery()
    rows = db.session.execute(
        select(
            Project.id,
            Project.county_id,
            name_column(user).label("name"),
            Project.code_name,
            Project.stage,
            Project.version,
            Project.owner_id,
            Project.planned_investment_wan,
            Company.name.label("investor_name"),
            User.display_name.label("owner_name"),
        )
        .join(picked, picked.c.id == Project.id)
        .outerjoin(Company, Company.id == Project.investor_company_id)
        .outerjoin(User, User.id == Project.owner_id)
        .order_by(Project.updated_at.desc(), Project.id.desc())
    )
    cards: dict[str, list[BoardCard]] = {stage: [] for stage in ALL_STAGES}
    for row in rows:
        cards[row.stage].append(BoardCard(*row))
    return cards
