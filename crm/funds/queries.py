"""Reading funds in place for the pages: a project's records, the county's year by month and
origin, and one month's records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from crm.core.db import db
from crm.core.tenancy import county_in, current_scope
from crm.funds.models import FUND_ORIGINS, CountyTarget, FundsRecord
from crm.projects.confidential import name_column
from crm.projects.models import Project

__all__ = ["county_targets", "month_matrix", "month_page", "project_records", "readable_county_ids"]

ZERO = Decimal(0)


def readable_county_ids() -> list[int]:
    """The counties the acting user reads, in id order (none without a scope)."""
    scope = current_scope()
    return sorted(scope.read_county_ids) if scope else []


def project_records(project_id: int) -> list[FundsRecord]:
    """A project's records, newest month first."""
    return list(
        db.session.execute(
            select(FundsRecord)
            .where(FundsRecord.project_id == project_id)
            .order_by(FundsRecord.month.desc(), FundsRecord.origin)
        ).scalars()
    )


def month_matrix(county_ids, year: int) -> dict[int, dict[str, Decimal]]:
    """{month 1..12: {origin: funds in place}} of ``county_ids`` in ``year``."""
    rows = db.session.execute(
        select(FundsRecord.month, FundsRecord.origin, func.sum(FundsRecord.amount_wan))
        .where(
            county_in(FundsRecord.county_id, county_ids),
            FundsRecord.month >= date(year, 1, 1),
            FundsRecord.month <= date(year, 12, 1),
        )
        .group_by(FundsRecord.month, FundsRecord.origin)
    ).all()
    matrix = {m: {o: ZERO for o in FUND_ORIGINS} for m in range(1, 13)}
    for month, origin, amount in rows:
        matrix[month.month][origin] = Decimal(amount or 0)
    return matrix


def month_page(month: date, viewer, page: int, per_page: int) -> tuple[list, int]:
    """One page of ``(record, project_name)`` of ``month``, largest first, and their number.
    ``project_name`` is the name ``viewer`` may read (a confidential project's code name)."""
    statement = (
        select(FundsRecord, name_column(viewer).label("project_name"))
        .join(Project, FundsRecord.project_id == Project.id)
        .where(FundsRecord.month == month)
    )
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.execute(
        statement.order_by(FundsRecord.amount_wan.desc(), FundsRecord.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return rows, total


def county_targets(county_id: int) -> list[CountyTarget]:
    """The county's annual targets, latest year first."""
    return list(
        db.session.execute(
            select(CountyTarget).where(CountyTarget.county_id == county_id).order_by(CountyTarget.year.desc())
        ).scalars()
    )
