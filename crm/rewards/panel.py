"""The county dashboard's reward panel and the manager's inbox lines: open disputes and
lists waiting for a manager."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from crm.core import county_cache
from crm.core.db import db
from crm.core.hooks import InboxItem
from crm.core.tenancy import current_scope
from crm.rewards.models import Referral, RewardList
from crm.rewards.queries import inbox_counts

#: The county cache's name for each county's reward panel figures.
PANEL_CACHE = "rewards_panel"


def _panel_figures_by_county(county_ids: list[int], today: date) -> dict[int, dict]:
    """Open disputes, unfinalized lists and this year's finalized rewards of each county."""
    disputes = dict(
        db.session.execute(
            select(Referral.county_id, func.count())
            .where(Referral.county_id.in_(county_ids), Referral.status == "disputed")
            .group_by(Referral.county_id)
        ).all()
    )
    drafts = dict(
        db.session.execute(
            select(RewardList.county_id, func.count())
            .where(RewardList.county_id.in_(county_ids), RewardList.status.in_(("draft", "publicized")))
            .group_by(RewardList.county_id)
        ).all()
    )
    rewarded = dict(
        db.session.execute(
            select(RewardList.county_id, func.coalesce(func.sum(RewardList.total_reward_wan), 0))
            .where(
                RewardList.county_id.in_(county_ids),
                RewardList.status == "finalized",
                RewardList.period_end >= date(today.year, 1, 1),
                RewardList.period_start <= today,
            )
            .group_by(RewardList.county_id)
        ).all()
    )
    return {
        cid: {
            "disputes": disputes.get(cid, 0),
            "drafts": drafts.get(cid, 0),
            "rewarded": Decimal(str(rewarded.get(cid, 0))),
        }
        for cid in county_ids
    }


def dashboard_panel(county_ids, today: date) -> Markup | None:
    """Open disputes, lists waiting for a manager and this year's rewards, from each county's
    figures kept in the county cache for the day."""
    if not county_ids or current_scope() is None:
        return None
    figures = county_cache.summed_over_readable(
        PANEL_CACHE, county_ids, lambda missing: _panel_figures_by_county(missing, today), day=today
    )
    disputes, drafts = figures.get("disputes", 0), figures.get("drafts", 0)
    rewarded = figures.get("rewarded", Decimal(0))
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
