"""Due-soon and overdue items for "my follow-ups", the county dashboard and the manager's
inbox (crm.core.hooks)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import and_, case, func, not_, select
from sqlalchemy.orm import contains_eager, selectinload

from crm.commitments.models import (
    CLOSED_STATUSES,
    OBLIGATION_KINDS,
    Commitment,
    Obligation,
)
from crm.commitments.queries import inbox_counts, obligations_due_count
from crm.commitments.register import fulfilled_amount, page_of, rows_select
from crm.core import county_cache
from crm.core.db import db
from crm.core.hooks import FollowUpItem, InboxItem
from crm.core.tenancy import county_in, current_scope
from crm.projects.confidential import name_for
from crm.projects.models import Project
from crm.util.money import format_wan

DUE_SOON_DAYS = 30
#: The county cache's name for each county's (overdue, due soon) counts.
DUE_COUNTS_CACHE = "commitments_due"
# The panel lists the earliest few of each kind and links to the register for the rest:
# a province coordinator has thousands of overdue commitments.
PANEL_ROWS = 10


def followup_items(user, until: date) -> list[FollowUpItem]:
    """Open commitments and pending obligations of projects ``user`` owns, due by ``until``."""
    if current_scope() is None:
        return []
    commitments = (
        db.session.execute(
            select(Commitment)
            .join(Project, Project.id == Commitment.project_id)
            .where(
                Project.owner_id == user.id,
                Commitment.due_on <= until,
                not_(Commitment.status.in_(CLOSED_STATUSES)),
            )
            .options(contains_eager(Commitment.project), selectinload(Commitment.fulfillments))
            .order_by(Commitment.due_on)
        )
        .scalars()
        .all()
    )
    obligations = (
        db.session.execute(
            select(Obligation)
            .join(Project, Project.id == Obligation.project_id)
            .where(Project.owner_id == user.id, Obligation.due_on <= until, Obligation.status == "pending")
            .options(contains_eager(Obligation.project))
            .order_by(Obligation.due_on)
        )
        .scalars()
        .all()
    )
    items = [
        FollowUpItem(
            due_on=c.due_on,
            kind="承诺兑现",
            title=f"{name_for(c.project, user)}：{c.clause[:40]}",
            url=url_for("commitments.detail", commitment_id=c.id),
            detail=_("未兑现 %(rest)s 万元", rest=format_wan(c.outstanding_wan)),
        )
        for c in commitments
    ]
    items += [
        FollowUpItem(
            due_on=o.due_on,
            kind="企业履约",
            title=f"{name_for(o.project, user)}：{_(OBLIGATION_KINDS.get(o.kind, o.kind))}",
            url=url_for("commitments.project_register", project_id=o.project_id),
            detail=_("待核验"),
        )
        for o in obligations
    ]
    return items


def _overdue_and_due_soon(today: date) -> tuple:
    is_open = not_(Commitment.status.in_(CLOSED_STATUSES))
    overdue = and_(Commitment.due_on < today, is_open)
    due_soon = and_(
        Commitment.due_on >= today, Commitment.due_on <= today + timedelta(days=DUE_SOON_DAYS), is_open
    )
    return overdue, due_soon


def _due_counts_by_county(county_ids: list[int], today: date) -> dict[int, dict[str, int]]:
    """(overdue, due within ``DUE_SOON_DAYS``) open commitments of each county, in one statement."""
    overdue, due_soon = _overdue_and_due_soon(today)
    rows = db.session.execute(
        select(
            Commitment.county_id,
            func.count(case((overdue, Commitment.id))),
            func.count(case((due_soon, Commitment.id))),
        )
        .where(
            Commitment.county_id.in_(county_ids),
            Commitment.due_on <= today + timedelta(days=DUE_SOON_DAYS),
            not_(Commitment.status.in_(CLOSED_STATUSES)),
        )
        .group_by(Commitment.county_id)
    ).all()
    found = {
        county_id: {"overdue": int(late or 0), "due_soon": int(soon or 0)} for county_id, late, soon in rows
    }
    return {cid: found.get(cid, {"overdue": 0, "due_soon": 0}) for cid in county_ids}


def dashboard_panel(county_ids, today: date) -> Markup | None:
    """Commitments overdue or due within 30 days in these counties; None when there are none.

    Counted in SQL per county and kept in the county cache for the day; only the earliest
    ``PANEL_ROWS`` of each kind are loaded and listed."""
    county_ids = sorted(county_ids or ())
    if not county_ids or current_scope() is None:
        return None
    in_counties = county_in(Commitment.county_id, county_ids)
    overdue, due_soon = _overdue_and_due_soon(today)
    counts = county_cache.summed_over_readable(
        DUE_COUNTS_CACHE, county_ids, lambda missing: _due_counts_by_county(missing, today), day=today
    )
    overdue_count, due_soon_count = counts.get("overdue", 0), counts.get("due_soon", 0)
    if not overdue_count and not due_soon_count:
        return None

    def earliest(condition, count):
        if not count:
            return []
        rows = db.session.execute(rows_select(page_of([in_counties, condition], PANEL_ROWS))).all()
        return [(c, c.amount_wan - fulfilled_amount(paid)) for c, paid in rows]

    return Markup(
        render_template(
            "commitments/_dashboard_panel.html",
            overdue=earliest(overdue, overdue_count),
            due_soon=earliest(due_soon, due_soon_count),
            overdue_count=overdue_count,
            due_soon_count=due_soon_count,
            today=today,
            days=DUE_SOON_DAYS,
        )
    )


def inbox_items(county_ids, today: date) -> list[InboxItem]:
    """The manager's inbox: drafts awaiting approval, commitments overdue and falling due,
    investors' obligations awaiting their check overdue or falling due."""
    if not county_ids or current_scope() is None:
        return []
    counts = inbox_counts(county_ids, today, DUE_SOON_DAYS)
    return [
        InboxItem(
            "commitments-draft",
            _("待批准的承诺草稿"),
            counts["draft"],
            url_for("commitments.index", status="draft"),
        ),
        InboxItem(
            "commitments-overdue",
            _("已逾期未兑现的承诺"),
            counts["overdue"],
            url_for("commitments.index", overdue=1),
        ),
        InboxItem(
            "commitments-due-soon",
            _("%(days)s 天内到期的承诺", days=DUE_SOON_DAYS),
            counts["due_soon"],
            url_for("commitments.index", due_within=DUE_SOON_DAYS),
        ),
        InboxItem(
            "obligations-due",
            _("逾期或 %(days)s 天内到期的企业履约事项", days=DUE_SOON_DAYS),
            obligations_due_count(county_ids, today, DUE_SOON_DAYS),
            url_for("commitments.obligations_due"),
        ),
    ]
