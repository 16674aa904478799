"""The dashboard page (首页看板) over the counties the user reads."""

from __future__ import annotations

import calendar
from datetime import date

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.core import clock
from crm.core.access import READ_ROLES, roles_required
from crm.core.db import db
from crm.core.hooks import dashboard_panels, inbox_items
from crm.core.tenancy import county_in, readable_county_ids
from crm.dashboard.figures import REPORTED_STAGES, time_proportional_target
from crm.dashboard.services import build_dashboard, figures_json
from crm.funds.models import FUND_ORIGINS
from crm.projects.models import STAGE_LABELS
from crm.regions.models import Region

bp = Blueprint("dashboard", __name__)


def _month_end(today, month: int):
    """The last day of ``month`` this year, but never after today."""
    last = date(today.year, month, calendar.monthrange(today.year, month)[1])
    return min(last, today)


def chart_data(dashboard) -> dict:
    """What static/js/dashboard.js draws; labels are already translated."""
    figures = figures_json(dashboard, with_counties=False)  # the charts draw the total only
    total = figures["total"]
    cumulative, running = [], 0.0
    for amount in dashboard.funds_by_month:
        running += float(amount)  # for drawing only; every figure shown as text stays Decimal
        cumulative.append(round(running, 2))
    target = dashboard.total.target
    return {
        "stages": {
            "labels": [_(STAGE_LABELS[s]) for s in REPORTED_STAGES],
            "counts": [total["stages"][s]["count"] for s in REPORTED_STAGES],
            "planned": [float(total["stages"][s]["planned_investment_wan"]) for s in REPORTED_STAGES],
            "count_label": _("项目数"),
            "planned_label": _("计划投资（万元）"),
        },
        "origins": {
            "labels": [_(FUND_ORIGINS[o]) for o in FUND_ORIGINS],
            "amounts": [float(total["funds_by_origin_wan"][o]) for o in FUND_ORIGINS],
        },
        "funnel": {
            "labels": [_(STAGE_LABELS[s["stage"]]) for s in figures["funnel"]],
            "reached": [s["reached"] for s in figures["funnel"]],
            "label": _("累计到达项目数"),
        },
        "months": {
            "labels": [_("%(m)s月", m=m) for m in range(1, len(cumulative) + 1)],
            "cumulative": cumulative,
            "cumulative_label": _("累计到位资金（万元）"),
            "target": (
                [
                    float(time_proportional_target(target, _month_end(dashboard.today, m)))
                    for m in range(1, len(cumulative) + 1)
                ]
                if target is not None
                else None
            ),
            "target_label": _("序时目标（按月，万元）"),
        },
    }


@bp.route("/dashboard")
@roles_required(*READ_ROLES)
def index():
    """The dashboard: stage figures, funds against target, funnel, rankings, panels, and for
    a manager the inbox (what waits for them, counted by each domain's registered source)."""
    today = clock.today()
    county_ids = readable_county_ids()
    dashboard = build_dashboard(county_ids, today, viewer=current_user)
    names = (
        dict(db.session.execute(select(Region.id, Region.name).where(county_in(Region.id, county_ids))).all())
        if county_ids
        else {}
    )
    ranking = sorted(
        dashboard.counties, key=lambda c: (-(c.time_completion or -1), -c.funds_ytd, c.county_id)
    )
    return render_template(
        "dashboard/index.html",
        d=dashboard,
        today=today,
        stages=REPORTED_STAGES,
        stage_labels=STAGE_LABELS,
        origins=FUND_ORIGINS,
        county_names=names,
        ranking=ranking if len(county_ids) > 1 else [],
        panels=dashboard_panels(current_app, frozenset(county_ids), today),
        chart=chart_data(dashboard),
        can_set_target=current_user.has_role("manager"),
        inbox=inbox_items(current_app, frozenset(county_ids), today)
        if current_user.has_role("manager")
        else None,
    )
