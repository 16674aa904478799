"""One timeline per project: stage changes plus whatever other modules contribute.

Another module (activities, funds, ...) registers a provider in its ``init_app``::

    from crm.projects.timeline import TimelineEntry, register_timeline_source
    register_timeline_source(app, lambda project: [TimelineEntry(at=..., kind="跟进", title=...)])

The detail page asks every provider and shows all entries merged, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from crm.core import clock
from crm.core.db import db

EXTENSION_KEY = "chaincrm_project_timeline"


def local_time(moment: datetime) -> datetime:
    """A stored (UTC) time as the bureau's wall-clock time, naive: the timeline sorts it
    among plain dates, which are local.

    >>> local_time(datetime(2025, 3, 1, 20, 30))
    datetime.datetime(2025, 3, 2, 4, 30)
    """
    return clock.local(moment).replace(tzinfo=None)


@dataclass(frozen=True)
class TimelineEntry:
    """``at`` is a datetime (or a date, placed at the start of that day); ``kind`` a msgid."""

    at: datetime | date
    kind: str
    title: str
    detail: str = ""
    url: str | None = None

    @property
    def sort_key(self) -> datetime:
        """
        >>> TimelineEntry(date(2025, 3, 1), "k", "t").sort_key
        datetime.datetime(2025, 3, 1, 0, 0)
        """
        if isinstance(self.at, datetime):
            return self.at.replace(tzinfo=None)
        return datetime.combine(self.at, time.min)


def register_timeline_source(app, provider) -> None:
    """``provider(project) -> list[TimelineEntry]``, called within the request's tenant scope."""
    app.extensions.setdefault(EXTENSION_KEY, []).append(provider)


def stage_change_entries(project) -> list[TimelineEntry]:
    from crm.projects.models import STAGE_LABELS, StageChange

    changes = db.session.execute(
        select(StageChange)
        .options(joinedload(StageChange.changed_by))
        .where(StageChange.project_id == project.id)
    ).scalars()
    entries = []
    for change in changes:
        target = _(STAGE_LABELS.get(change.to_stage, change.to_stage))
        if change.from_stage:
            title = _(
                "阶段：%(old)s → %(new)s",
                old=_(STAGE_LABELS.get(change.from_stage, change.from_stage)),
                new=target,
            )
        else:
            title = _("创建项目（%(stage)s）", stage=target)
        parts = [_("达到日期 %(day)s", day=change.reached_on.isoformat())]
        if change.changed_by is not None:
            parts.append(change.changed_by.display_name)
        if change.note:
            parts.append(change.note)
        entries.append(TimelineEntry(local_time(change.changed_at), "阶段变更", title, " · ".join(parts)))
    return entries


def timeline_for(project, app=None) -> list[TimelineEntry]:
    app = app or current_app
    entries = stage_change_entries(project)
    for provider in app.extensions.get(EXTENSION_KEY, []):
        entries.extend(provider(project) or [])
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)
