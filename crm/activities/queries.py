"""Reading activities for the list page: its filters, one page of rows, the pickers beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.auth.models import User
from crm.core.db import db
from crm.core.pagination import BoundedCount, bounded_count, count_rows, page_slice
from crm.core.parsing import record_id_or_none
from crm.core.tenancy import county_in
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.regions.models import Region
from crm.util.dates import parse_user_date
from crm.util.pinyin import sort_key

__all__ = [
    "ActivityFilters",
    "activity_page",
    "county_names",
    "project_activities",
    "recorders",
]


@dataclass(frozen=True)
class ActivityFilters:
    """The list's filters as read from ``?kind=&created_by=&project_id=&date_from=&date_to=&q=``;
    a date that does not parse is left out and its message kept in ``errors``."""

    kind: str | None = None
    recorder_id: int | None = None
    project_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    errors: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args) -> ActivityFilters:
        dates, errors = {}, []
        for name in ("date_from", "date_to"):
            raw = str(args.get(name, "") or "").strip()
            if raw:
                try:
                    dates[name] = parse_user_date(raw)
                except ValueError as exc:
                    errors.append(str(exc))
        kind = args.get("kind", "")
        return cls(
            kind=kind if kind in ACTIVITY_KINDS else None,
            recorder_id=record_id_or_none(args.get("created_by")),
            project_id=record_id_or_none(args.get("project_id")),
            text=str(args.get("q", "") or "").strip(),
            errors=tuple(errors),
            **dates,
        )

    def apply(self, statement):
        if self.kind:
            statement = statement.where(Activity.kind == self.kind)
        if self.recorder_id:
            statement = statement.where(Activity.created_by_id == self.recorder_id)
        if self.project_id:
            statement = statement.where(Activity.project_id == self.project_id)
        if self.date_from:
            statement = statement.where(Activity.occurred_on >= self.date_from)
        if self.date_to:
            statement = statement.where(Activity.occurred_on <= self.date_to)
        if self.text:
            # Not the project's name: a confidential project's real name must not be searchable.
            # autoescape: a % or _ the user types is that character, not a wildcard.
            statement = statement.where(
                or_(
                    Activity.subject.icontains(self.text, autoescape=True),
                    Activity.summary.icontains(self.text, autoescape=True),
                )
            )
        return statement


def activity_page(
    filters: ActivityFilters, viewer, page: int, per_page: int, exact: bool = False
) -> tuple[list, BoundedCount | int]:
    """One page of ``(activity, project_name)`` rows, newest first, and their bounded count
    (the exact count if ``exact``: an API client pages by it). ``project_name`` is the name
    ``viewer`` may read (a confidential project's code name).

    The list holds the activities of projects. The page is counted and cut on activities
    alone, then its rows are joined with their projects: joining first made SQLite build a
    filter over every project of a province before reading one row (130 ms at 500,000
    projects). An activity's county is its project's, so the tenant filter on activities
    selects the same rows as the one on the join, and the join still applies it.
    """
    of_projects = filters.apply(select(Activity.id).where(Activity.project_id.is_not(None)))
    total = count_rows(of_projects) if exact else bounded_count(of_projects, Activity.id)
    order = (Activity.occurred_on.desc(), Activity.id.desc())
    ids = db.session.execute(page_slice(of_projects.order_by(*order), page, per_page)).scalars().all()
    if not ids:
        return [], total
    rows = db.session.execute(
        select(Activity, name_column(viewer).label("project_name"))
        .join(Project, Activity.project_id == Project.id)
        .where(Activity.id.in_(ids))
        .order_by(*order)
    ).all()
    return rows, total


def recorders(county_ids) -> list:
    """``(id, display_name)`` of the users of ``county_ids``, for the "recorded by" filter,
    in pinyin order of their names (as every list of people reads)."""
    rows = db.session.execute(
        select(User.id, User.display_name).where(county_in(User.region_id, county_ids))
    ).all()
    return sorted(rows, key=lambda row: sort_key(row.display_name or ""))


def county_names(county_ids) -> dict[int, str]:
    """County names by id when the list spans several counties (a coordinator's), else {}."""
    if len(county_ids) < 2:
        return {}
    return dict(
        db.session.execute(select(Region.id, Region.name).where(county_in(Region.id, county_ids))).all()
    )


def project_activities(project_id: int, limit: int = 20) -> list[Activity]:
    """A project's latest activities for its page, newest first."""
    return list(
        db.session.execute(
            select(Activity)
            .where(Activity.project_id == project_id)
            .order_by(Activity.occurred_on.desc(), Activity.id.desc())
            .limit(limit)
        ).scalars()
    )
