"""The manager's inbox lines (crm.core.hooks): offers awaiting the county's answer, and open
collision alerts naming the county."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from crm.coordination.queries import inbox_counts
from crm.core.hooks import InboxItem
from crm.core.tenancy import current_scope


def inbox_items(county_ids, today: date) -> list[InboxItem]:
    if not county_ids or current_scope() is None:
        return []
    offers, alerts = inbox_counts(county_ids)
    return [
        InboxItem(
            "transfers-offered",
            _("待答复的项目流转"),
            offers,
            url_for("coordination.transfers", status="offered"),
        ),
        InboxItem(
            "collisions-open",
            _("待裁定的撞车提醒"),
            alerts,
            url_for("coordination.collisions", status="open"),
        ),
    ]


def coordinator_panel(county_ids, today: date):
    """The coordinator's dashboard line: collision alerts over their counties awaiting a ruling
    (the managers' inbox does not show to coordinators)."""
    from flask import render_template
    from flask_login import current_user
    from markupsafe import Markup

    from crm.coordination.queries import collisions_for, transfers_for

    if not getattr(current_user, "is_authenticated", False) or not current_user.has_role("coordinator"):
        return None
    alerts = len(collisions_for(current_user, "open"))
    offers = len(transfers_for("offered"))
    return Markup(render_template("coordination/_coordinator_panel.html", alerts=alerts, offers=offers))
