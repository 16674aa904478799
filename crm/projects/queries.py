"""Reading projects: the filters shared by the list, the board, the exports and the API,
and the read queries of the list pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from crm.companies.models import Company
from crm.core import clock
from crm.core.db import db
from crm.core.pagination import page_slice
from crm.core.parsing import record_id_or_none
from crm.core.search import SearchHit
from crm.projects.confidential import name_column, name_matches, real_name_visible
from crm.projects.models import ALL_STAGES, SOURCE_CHANNELS, STAGE_LABELS, Project
from crm.util.pinyin import initials, initials_query, sort_key

SORTS = {
    "updated": Project.updated_at,
    "name": None,  # the name the viewer may read: ProjectFilters.ordered
    "stage": case({stage: i for i, stage in enumerate(ALL_STAGES)}, value=Project.stage),
    "amount": Project.planned_investment_wan,
    "signed": Project.signed_on,
    "follow_up": Project.next_follow_up_on,
    "created": Project.created_at,
}
NULLABLE_SORTS = ("amount", "signed", "follow_up")
DEFAULT_SORT = "updated"


@dataclass
class ProjectFilters:
    stage: str | None = None
    owner_id: int | None = None
    source: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    overdue: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    desc: bool = True

    @classmethod
    def from_args(cls, args) -> ProjectFilters:
        """Read filters from query arguments; values that do not parse are ignored.

        >>> f = ProjectFilters.from_args({"stage": "signed", "min_amount": "abc", "sort": "amount", "dir": "asc"})
        >>> f.stage, f.min_amount, f.sort, f.desc
        ('signed', None, 'amount', False)
        """

        def decimal(name):
            try:
                return Decimal(str(args.get(name, "")).replace(",", "").strip())
            except InvalidOperation:
                return None

        def integer(name):
            return record_id_or_none(str(args.get(name, "") or "").strip())

        stage = args.get("stage") or None
        source = args.get("source") or None
        sort = args.get("sort") or DEFAULT_SORT
        return cls(
            stage=stage if stage in ALL_STAGES else None,
            owner_id=integer("owner_id") or integer("owner"),
            source=source if source in SOURCE_CHANNELS else None,
            min_amount=decimal("min_amount"),
            max_amount=decimal("max_amount"),
            overdue=str(args.get("overdue", "")).lower() in ("1", "true", "on", "yes"),
            q=str(args.get("q", "") or "").strip()[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            desc=(args.get("dir") or ("desc" if sort in ("updated", "amount", "created") else "asc"))
            != "asc",
        )

    def apply(self, statement, user, today: date | None = None, with_stage: bool = True):
        """Add the filter conditions to a select over ``Project``."""
        today = today or clock.today()
        if with_stage and self.stage:
            statement = statement.where(Project.stage == self.stage)
        if self.owner_id:
            statement = statement.where(Project.owner_id == self.owner_id)
        if self.source:
            statement = statement.where(Project.source_channel == self.source)
        if self.min_amount is not None:
            statement = statement.where(Project.planned_investment_wan >= self.min_amount)
        if self.max_amount is not None:
            statement = statement.where(Project.planned_investment_wan <= self.max_amount)
        if self.overdue:
            statement = statement.where(
                Project.next_follow_up_on < today, Project.stage.not_in(("lost", "producing"))
            )
        if self.q:
            statement = statement.where(search_condition(self.q, user))
        return statement

    def narrows(self, user, today: date | None = None) -> bool:
        """Whether the filters besides the stage leave out any project (the column totals
        of the board do not depend on the stage filter or the order)."""
        return self.apply(select(Project.id), user, today, with_stage=False).whereclause is not None

    def ordered(self, statement, user=None):
        """``statement`` in the chosen order; by name, the name ``user`` may read, in pinyin
        order (its initials): sorting by the real name would place a project shown by its
        code name among the names it hides."""
        column = shown_name_initials(user) if self.sort == "name" else SORTS[self.sort]
        order = column.desc() if self.desc else column.asc()
        # Unknown amounts and dates go last. Said only where a column can be empty: on
        # PostgreSQL "updated_at DESC NULLS LAST" cannot walk an index on (updated_at, id).
        if self.sort in NULLABLE_SORTS:
            order = order.nulls_last()
        if self.sort == "name":
            shown = name_column(user)
            return statement.order_by(order, shown.desc() if self.desc else shown.asc(), Project.id.desc())
        return statement.order_by(order, Project.id.desc())


def shown_name_initials(user):
    """SQL: the pinyin initials of the name ``user`` may read (a list's order by name)."""
    return case((real_name_visible(user), Project.name_initials), else_=Project.code_name_initials)


def search_condition(text: str, user):
    """A project matches by its investor's name or by a name ``user`` may read, or its
    pinyin initials (never by the real name of a confidential project it shows by code
    name)."""
    pattern = f"%{text.replace('%', '').replace('_', '')}%"
    investor_ids = select(Company.id).where(Company.name.ilike(pattern)).scalar_subquery()
    return or_(name_matches(text, user), Project.investor_company_id.in_(investor_ids))


def search_hits(text: str, user, limit: int) -> list[SearchHit]:
    """The global search's projects of the scope: by code name, or by real name only where
    ``user`` may read it, or their pinyin initials (``name_matches``), shown by the name
    ``user`` may read; the most recently changed first."""
    cleaned = text.replace("%", "").replace("_", "")
    if not cleaned:
        return []
    statement = (
        select(
            Project.id,
            name_column(user).label("shown"),
            Project.code_name,
            real_name_visible(user).label("real"),
            Project.stage,
        )
        .where(name_matches(text, user))
        .order_by(Project.updated_at.desc(), Project.id.desc())
        .limit(limit)
    )
    hits = []
    for project_id, shown, code_name, real, stage in db.session.execute(statement):
        detail = _(STAGE_LABELS.get(stage, stage))
        if code_name and real:  # the code name beside the real name, as the list shows it
            detail += " · " + _("代号：%(code)s", code=code_name)
        hits.append(SearchHit(shown, url_for("projects.detail", project_id=project_id), detail))
    return hits


def with_people():
    """Eager loads every list shows, so a page costs the same statements at any size."""
    return (joinedload(Project.investor_company), joinedload(Project.owner))


def page_select(filters: ProjectFilters, user, per_page: int, page: int, today: date | None = None):
    """One page of the filtered, ordered list: the page's ids are picked first from the
    projects table alone, and only those rows are joined to their companies and owners.
    Joining first would join every project of a province before sorting them."""
    ids = page_slice(
        filters.ordered(filters.apply(select(Project.id), user, today), user), page, per_page
    ).subquery()
    statement = select(Project).join(ids, ids.c.id == Project.id)
    return filters.ordered(statement, user).options(*with_people())


def page_rows(filters: ProjectFilters, user, per_page: int, page: int) -> list[Project]:
    """The projects of one page of the list (with their companies and owners)."""
    return db.session.execute(page_select(filters, user, per_page, page)).unique().scalars().all()


def count(filters: ProjectFilters, user, today: date | None = None) -> int:
    # count(*) reads ix_projects_county_id alone; count(id) read every row on PostgreSQL.
    statement = filters.apply(select(func.count()).select_from(Project), user, today)
    return db.session.execute(statement).scalar_one()


def page_and_total(filters: ProjectFilters, user, per_page: int, page: int) -> tuple[list[Project], int]:
    """One page of the list and how many projects match in all (the list page and the API)."""
    total = count(filters, user)
    return page_rows(filters, user, per_page, page), total


#: At most this many suggestions per type-ahead answer, from at most this many candidates.
LOOKUP_LIMIT = 20
LOOKUP_CANDIDATES = 200


def lookup_projects(q: str, viewer, limit: int = LOOKUP_LIMIT) -> list[dict]:
    """The projects a picker suggests for ``q``: a part of a name ``viewer`` may read, or the
    pinyin initials of one ("bjty"). A confidential project shows its code name and is found
    only by it (and by its code name's initials) unless ``viewer`` may read the real name;
    its investor is then not named either. Names that start with ``q`` first, then pinyin
    order; each with its number, stage and investor so that namesakes are told apart."""
    q = (q or "").strip()
    if not q:
        return []
    visible = real_name_visible(viewer)
    shown = name_column(viewer).label("shown")
    letters = initials_query(q)
    statement = (
        select(Project.id, shown, Project.stage, visible.label("visible"), Company.name.label("investor"))
        .outerjoin(Company, Company.id == Project.investor_company_id)
        .where(name_matches(q, viewer))
        .order_by(Project.id.desc())
        .limit(LOOKUP_CANDIDATES)
    )
    rows = db.session.execute(statement).all()
    folded = q.casefold()

    def rank(row):
        starts = row.shown.casefold().startswith(folded) or (
            letters and initials(row.shown).startswith(letters)
        )
        return (not starts, sort_key(row.shown), row.id)

    return [
        {
            "id": row.id,
            "label": row.shown,
            "stage": row.stage,
            "investor": row.investor if row.visible else None,
        }
        for row in sorted(rows, key=rank)[:limit]
    ]
