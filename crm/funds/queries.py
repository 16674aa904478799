"""Reading funds in place: the funds that count, and what the pages, the dashboard panel, the
API summary and the exports show of them.

**The funds that count** for 招商引资落地金额 (``funds_that_count``) are the records a manager
confirmed (认定) that are not excluded (bank loans, government money, local money), in 万元
(境外 money converted at its month's rate when it was recorded). The dashboard's figures and
the rewards' "funds in place" basis read them through this one function. Everything else
is shown apart: money awaiting 认定 (``pending``) and money left out (``excluded``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select

from crm.coordination.shares import adjustments
from crm.core import county_cache
from crm.core.db import db
from crm.core.pagination import page_slice
from crm.core.tenancy import county_in
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS, NOT_EXCLUDED, CountyTarget, FundsRecord, is_counted
from crm.projects.confidential import name_column
from crm.projects.models import Project

__all__ = [
    "FundsFigures",
    "county_targets",
    "funds_that_count",
    "month_matrix",
    "month_page",
    "pending_count",
    "pending_page",
    "project_records",
    "records_page",
    "standing",
    "year_figures",
]

ZERO = Decimal(0)


def funds_that_count(*group_by):
    """The funds that count for 招商引资落地金额, summed in 万元 per ``group_by`` columns.

    ``select(*group_by, amount_wan)`` of confirmed, not excluded records, grouped by
    ``group_by``; the caller adds its own conditions (counties, months, projects)::

        funds_that_count(FundsRecord.project_id).where(
            FundsRecord.project_id.in_(ids), FundsRecord.month <= period_end
        )
    """
    return (
        select(*group_by, func.sum(FundsRecord.amount_wan).label("amount_wan"))
        .where(is_counted())
        .group_by(*group_by)
    )


def standing():
    """The SQL expression of a record's standing: ``counted``, ``pending`` or ``excluded``."""
    return case(
        (FundsRecord.exclusion != NOT_EXCLUDED, "excluded"),
        (FundsRecord.confirmed_at.is_(None), "pending"),
        else_="counted",
    )


def project_records(project_id: int) -> list[FundsRecord]:
    """A project's records, newest month first."""
    return list(
        db.session.execute(
            select(FundsRecord)
            .where(FundsRecord.project_id == project_id)
            .order_by(FundsRecord.month.desc(), FundsRecord.origin, FundsRecord.exclusion)
        ).scalars()
    )


@dataclass
class FundsFigures:
    """Money of a set of records, apart by standing: counted by origin, awaiting 认定, and
    left out by kind. ``pending_records`` counts the records awaiting 认定."""

    counted: dict[str, Decimal] = field(default_factory=lambda: {o: ZERO for o in FUND_ORIGINS})
    pending: Decimal = ZERO
    pending_records: int = 0
    excluded: dict[str, Decimal] = field(
        default_factory=lambda: {k: ZERO for k in EXCLUSIONS if k != NOT_EXCLUDED}
    )

    @property
    def counted_total(self) -> Decimal:
        return sum(self.counted.values(), ZERO)

    @property
    def excluded_total(self) -> Decimal:
        return sum(self.excluded.values(), ZERO)

    @classmethod
    def total_of(cls, many) -> FundsFigures:
        """The figures of several months (or counties) together."""
        total = cls()
        for figures in many:
            for origin, amount in figures.counted.items():
                total.counted[origin] = total.counted.get(origin, ZERO) + amount
            for kind, amount in figures.excluded.items():
                total.excluded[kind] = total.excluded.get(kind, ZERO) + amount
            total.pending += figures.pending
            total.pending_records += figures.pending_records
        return total

    def add(self, origin: str, exclusion: str, confirmed: bool, amount: Decimal, records: int) -> None:
        if exclusion != NOT_EXCLUDED:
            self.excluded[exclusion] = self.excluded.get(exclusion, ZERO) + amount
        elif not confirmed:
            self.pending += amount
            self.pending_records += records
        else:
            self.counted[origin] = self.counted.get(origin, ZERO) + amount

    def as_json(self) -> dict:
        return {
            "counted_wan": str(self.counted_total),
            "counted_by_origin_wan": {o: str(v) for o, v in self.counted.items()},
            "pending_wan": str(self.pending),
            "pending_records": self.pending_records,
            "excluded_wan": str(self.excluded_total),
            "excluded_by_kind_wan": {k: str(v) for k, v in self.excluded.items()},
        }


def _figures_rows(county_ids, first: date, last: date):
    """(month, origin, exclusion, confirmed, amount, records) sums from ``first`` to ``last``
    (months of one year), with each county's share of projects under a benefit-sharing
    agreement as counted rows of no record (crm/coordination/shares.py: each 万元 once
    over the counties)."""
    shared = [
        (month, origin, NOT_EXCLUDED, True, change, 0)
        for _county, origin, month, change in adjustments(county_ids, first, last)
    ]
    return [*_own_rows(county_ids, first, last), *shared]


def _own_rows(county_ids, first: date, last: date) -> list[tuple]:
    """The sums of the counties' own records, read from each county's year kept in the county
    cache: a province's year is a million records (900 ms on SQLite at 10× data), and a
    record changes only its own county's sums. The shares of agreements are not kept:
    another county's record changes them."""
    year = first.year
    by_county = county_cache.per_county(
        FUNDS_YEAR_ROWS,
        county_ids,
        lambda missing: _year_rows_by_county(missing, year),
        extra=dict.fromkeys(county_ids, year),
    )
    return [row for rows in by_county.values() for row in rows if first <= row[0] <= last]


FUNDS_YEAR_ROWS = "funds_year_rows"


def _year_rows_by_county(county_ids: list[int], year: int) -> dict[int, tuple]:
    confirmed = FundsRecord.confirmed_at.is_not(None)
    rows = db.session.execute(
        select(
            FundsRecord.county_id,
            FundsRecord.month,
            FundsRecord.origin,
            FundsRecord.exclusion,
            confirmed.label("confirmed"),
            func.sum(FundsRecord.amount_wan),
            func.count(),
        )
        .where(
            county_in(FundsRecord.county_id, county_ids),
            FundsRecord.month >= date(year, 1, 1),
            FundsRecord.month <= date(year, 12, 1),
        )
        .group_by(
            FundsRecord.county_id, FundsRecord.month, FundsRecord.origin, FundsRecord.exclusion, confirmed
        )
    ).all()
    grouped: dict[int, list] = {county_id: [] for county_id in county_ids}
    for county_id, *sums in rows:
        grouped[county_id].append(tuple(sums))
    return {county_id: tuple(sums) for county_id, sums in grouped.items()}


def month_matrix(county_ids, year: int) -> dict[int, FundsFigures]:
    """{month 1..12: the month's figures} of ``county_ids`` in ``year``."""
    matrix = {m: FundsFigures() for m in range(1, 13)}
    for month, origin, exclusion, confirmed, amount, records in _figures_rows(
        county_ids, date(year, 1, 1), date(year, 12, 1)
    ):
        matrix[month.month].add(origin, exclusion, bool(confirmed), Decimal(amount or 0), records)
    return matrix


def year_figures(county_ids, year: int, until: date | None = None) -> FundsFigures:
    """The figures of ``county_ids`` from January of ``year`` to ``until``'s month (or December)."""
    figures = FundsFigures()
    last = until.replace(day=1) if until is not None else date(year, 12, 1)
    for _month, origin, exclusion, confirmed, amount, records in _figures_rows(
        county_ids, date(year, 1, 1), last
    ):
        figures.add(origin, exclusion, bool(confirmed), Decimal(amount or 0), records)
    return figures


def _paged(statement, order, page: int, per_page: int) -> tuple[list, int]:
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = db.session.execute(page_slice(statement.order_by(*order), page, per_page)).all()
    return rows, total


def month_page(month: date, viewer, page: int, per_page: int) -> tuple[list, int]:
    """One page of ``(record, project_name)`` of ``month``, largest first, and their number.
    ``project_name`` is the name ``viewer`` may read (a confidential project's code name)."""
    statement = (
        select(FundsRecord, name_column(viewer).label("project_name"))
        .join(Project, FundsRecord.project_id == Project.id)
        .where(FundsRecord.month == month)
    )
    return _paged(statement, (FundsRecord.amount_wan.desc(), FundsRecord.id), page, per_page)


def records_page(
    viewer,
    page: int,
    per_page: int,
    *,
    year: int | None = None,
    month: date | None = None,
    standing_is: str | None = None,
    project_id: int | None = None,
) -> tuple[list, int]:
    """One page of ``(record, project_name)`` of the readable counties, latest month first,
    filtered by ``year``, ``month``, ``standing_is`` (counted, pending, excluded) and
    ``project_id``, and their number: the API's county-wide ledger."""
    statement = select(FundsRecord, name_column(viewer).label("project_name")).join(
        Project, FundsRecord.project_id == Project.id
    )
    if year is not None:
        statement = statement.where(FundsRecord.month.between(date(year, 1, 1), date(year, 12, 1)))
    if month is not None:
        statement = statement.where(FundsRecord.month == month)
    if standing_is is not None:
        statement = statement.where(standing() == standing_is)
    if project_id is not None:
        statement = statement.where(FundsRecord.project_id == project_id)
    return _paged(statement, (FundsRecord.month.desc(), FundsRecord.id.desc()), page, per_page)


def pending_page(viewer, page: int, per_page: int) -> tuple[list, int]:
    """One page of ``(record, project_name)`` awaiting a manager's 认定, oldest month first."""
    statement = (
        select(FundsRecord, name_column(viewer).label("project_name"))
        .join(Project, FundsRecord.project_id == Project.id)
        .where(FundsRecord.confirmed_at.is_(None), FundsRecord.exclusion == NOT_EXCLUDED)
    )
    return _paged(statement, (FundsRecord.month, FundsRecord.id), page, per_page)


def pending_count(county_ids) -> int:
    """How many records in ``county_ids`` await a manager's 认定 (the ``pending_page`` rows)."""
    return db.session.execute(
        select(func.count())
        .select_from(FundsRecord)
        .where(
            county_in(FundsRecord.county_id, sorted(county_ids)),
            FundsRecord.confirmed_at.is_(None),
            FundsRecord.exclusion == NOT_EXCLUDED,
        )
    ).scalar_one()


def county_targets(county_id: int) -> list[CountyTarget]:
    """The county's annual targets, latest year first."""
    return list(
        db.session.execute(
            select(CountyTarget).where(CountyTarget.county_id == county_id).order_by(CountyTarget.year.desc())
        ).scalars()
    )
