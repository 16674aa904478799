"""The county dashboard's reward panel and the manager's inbox lines: open disputes and
lists waiting for a manager."""

from __future__ import annotations

from datetime import date

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from crm.core.db import db
from crm.core.hooks import InboxItem
from crm.core.tenancy import county_in, current_scope
from crm.rewards.models import Referral, RewardList
from crm.rewards.queries import inbox_counts


def dashboard_panel(county_ids, today: date) -> Markup | None:
    if not county_ids:
        return None
    disputes = db.session.execute(
        select(func.count())
        .select_from(Referral)
        .where(county_in(Referral.county_id, county_ids), Referral.status == "disputed")
    ).scalar_one()
    drafts = db.session.execute(
        select(func.count())
        .select_from(RewardList)
        .where(county_in(RewardList.county_id, county_ids), RewardList.status.in_(("draft", "publicized")))
    ).scalar_one()
    rewarded = db.session.execute(
        select(func.coalesce(func.sum(RewardList.total_reward_wan), 0)).where(
            county_in(RewardList.county_id, county_ids),
            RewardList.status == "finalized",
            RewardList.period_end >= date(today.year, 1, 1),
            RewardList.period_start <= today,
        )
    ).scalar_one()
    if not (disputes or drafts or rewarded):
        return None
    return Markup(
        render_template(
            "rewards/_dashboard_panel.html",
            disputes=disputes,
            drafts=drafts,
            rewarded=rewarded,
            year=today.year,
        )
    )


def inbox_items(county_ids, today: date) -> list[InboxItem]:
    """The manager's inbox: disputed referrals and reward lists awaiting finalization."""
    if not county_ids or current_scope() is None:
        return []
    counts = inbox_counts(county_ids)
    return [
        InboxItem("rewards-disputed", _("待处理的引荐争议"), counts["disputed"], url_for("rewards.disputes")),
        InboxItem(
            "rewards-unfinalized",
            _("待定稿的奖励名单（草稿、公示中）"),
            counts["unfinalized"],
            url_for("rewards.index", status="unfinalized"),
        ),
    ]
