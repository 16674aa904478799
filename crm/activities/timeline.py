"""Activities on the project detail page's timeline."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.core.access import WRITE_ROLES
from crm.core.db import db
from crm.core.i18n import N_


def activity_timeline(project) -> list:
    from crm.projects.timeline import TimelineEntry

    activities = db.session.execute(
        select(Activity).where(Activity.project_id == project.id).order_by(Activity.occurred_on)
    ).scalars()
    editable = getattr(current_user, "is_authenticated", False) and current_user.has_role(*WRITE_ROLES)
    entries = []
    for activity in activities:
        parts = [p for p in (activity.participants, activity.summary) if p]
        if activity.next_step:
            parts.append(_("下一步：%(step)s", step=activity.next_step))
        if activity.next_follow_up_on:
            parts.append(_("下次跟进 %(day)s", day=activity.next_follow_up_on.isoformat()))
        kind = _(ACTIVITY_KINDS.get(activity.kind, activity.kind))
        entries.append(
            TimelineEntry(
                at=activity.occurred_on,
                kind=N_("跟进"),
                title=f"{kind}：{activity.subject}",
                detail=" · ".join(parts),
                url=url_for("activities.edit", activity_id=activity.id) if editable else None,
            )
        )
    return entries
