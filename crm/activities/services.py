"""Activities (跟进记录) and follow-ups: the rules shared by views, API and demo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.core import clock
from crm.core.db import db
from crm.core.errors import ServiceError, refuse_stale
from crm.core.hooks import FollowUpItem
from crm.core.i18n import N_
from crm.projects.confidential import name_column
from crm.projects.models import Project

EDITABLE_FIELDS = (
    "kind",
    "occurred_on",
    "subject",
    "participants",
    "summary",
    "next_step",
    "next_follow_up_on",
)
SUBJECT_MAX = 200


def _clean(values: dict) -> dict:
    """Check one activity's values; raise ServiceError naming every wrong field."""
    errors: dict[str, list[str]] = {}
    kind = values.get("kind")
    if kind not in ACTIVITY_KINDS:
        errors["kind"] = [_("请选择跟进方式")]
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = [_("请填写跟进日期")]
    elif occurred_on > clock.today():  # a record of what happened, as an import checks it
        errors["occurred_on"] = [_("跟进日期不能晚于今天（%(today)s）", today=clock.today().isoformat())]
    subject = (values.get("subject") or "").strip()
    if not subject:
        errors["subject"] = [_("请填写主题")]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [_("主题不能超过 %(n)s 个字", n=SUBJECT_MAX)]
    follow_up = values.get("next_follow_up_on")
    if follow_up is not None and not isinstance(follow_up, date):
        errors["next_follow_up_on"] = [_("下次跟进日期无法识别")]
    elif follow_up is not None and isinstance(occurred_on, date) and follow_up < occurred_on:
        errors["next_follow_up_on"] = [_("下次跟进日期不能早于本次跟进日期")]
    if errors:
        raise ServiceError(_("跟进记录有误，请检查标出的字段"), errors)
    cleaned = {key: values.get(key) for key in EDITABLE_FIELDS}
    cleaned["subject"] = subject
    for key in ("participants", "summary", "next_step"):
        cleaned[key] = (cleaned[key] or "").strip() or None
    return cleaned


def _schedule_project_follow_up(project: Project, follow_up: date | None) -> None:
    # Through the ORM object, so the project's version is bumped and the change audited.
    if follow_up is not None and project.next_follow_up_on != follow_up:
        project.next_follow_up_on = follow_up


def create_activity(project: Project, values: dict, created_by=None) -> Activity:
    """Record an activity on a project; its next follow-up date becomes the project's."""
    cleaned = _clean(values)
    activity = Activity.on_project(project, created_by_id=getattr(created_by, "id", None), **cleaned)
    db.session.add(activity)
    _schedule_project_follow_up(project, cleaned["next_follow_up_on"])
    db.session.flush()
    return activity


def current_values(activity: Activity) -> dict:
    values = {key: getattr(activity, key) for key in EDITABLE_FIELDS + ("version",)}
    return {key: (value.isoformat() if isinstance(value, date) else value) for key, value in values.items()}


def check_version(activity, version) -> None:
    refuse_stale(
        activity,
        version,
        _("该跟进记录已被他人修改，您的保存未生效。当前内容如下，请确认后重新修改。"),
        current_values(activity),
    )


def update_activity(activity: Activity, values: dict, version: int | None = None) -> Activity:
    """Change an activity (refused when ``version`` is stale); a new follow-up date moves the project's."""
    check_version(activity, version)
    merged = {key: getattr(activity, key) for key in EDITABLE_FIELDS}
    merged.update({k: v for k, v in values.items() if k in EDITABLE_FIELDS})
    cleaned = _clean(merged)
    follow_up_changed = cleaned["next_follow_up_on"] != activity.next_follow_up_on
    for key, value in cleaned.items():
        if getattr(activity, key) != value:
            setattr(activity, key, value)
    if follow_up_changed and activity.project is not None:
        _schedule_project_follow_up(activity.project, cleaned["next_follow_up_on"])
    db.session.flush()
    return activity


def delete_activity(activity: Activity, version: int | None = None) -> None:
    check_version(activity, version)
    db.session.delete(activity)
    db.session.flush()


# --- follow-ups -------------------------------------------------------------------------


def project_followups(user, until: date) -> list[FollowUpItem]:
    """The follow-up source for projects: open projects owned by ``user`` due by ``until``."""
    rows = db.session.execute(
        select(Project.id, name_column(user).label("name"), Project.next_follow_up_on, Project.stage)
        .where(
            Project.owner_id == user.id,
            Project.next_follow_up_on.is_not(None),
            Project.next_follow_up_on <= until,
            Project.stage != "lost",
        )
        .order_by(Project.next_follow_up_on, Project.id)
    ).all()
    from crm.projects.models import STAGE_LABELS

    return [
        FollowUpItem(
            due_on=r.next_follow_up_on,
            title=r.name,
            url=url_for("projects.detail", project_id=r.id),
            kind=N_("项目跟进"),
            detail=_(STAGE_LABELS.get(r.stage, r.stage)),
        )
        for r in rows
    ]


@dataclass
class FollowUpBuckets:
    overdue: list[FollowUpItem]
    today: list[FollowUpItem]
    this_week: list[FollowUpItem]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week)


def end_of_week(today: date) -> date:
    """The Sunday of ``today``'s week (weeks run Monday to Sunday, as on a Chinese calendar).

    >>> end_of_week(date(2026, 11, 23)), end_of_week(date(2026, 11, 29))
    (datetime.date(2026, 11, 29), datetime.date(2026, 11, 29))
    """
    return today + timedelta(days=6 - today.weekday())


def bucket_followups(items, today: date) -> FollowUpBuckets:
    """Split items into overdue (before today), today, and the rest of this week.

    >>> from crm.core.hooks import FollowUpItem as I
    >>> b = bucket_followups([I(date(2026, 11, 22), 'a', '/', 'k'), I(date(2026, 11, 23), 'b', '/', 'k'),
    ...                       I(date(2026, 11, 29), 'c', '/', 'k'), I(date(2026, 11, 30), 'd', '/', 'k')],
    ...                      date(2026, 11, 23))
    >>> [i.title for i in b.overdue], [i.title for i in b.today], [i.title for i in b.this_week]
    (['a'], ['b'], ['c'])
    """
    week_end = end_of_week(today)
    return FollowUpBuckets(
        overdue=[i for i in items if i.due_on < today],
        today=[i for i in items if i.due_on == today],
        this_week=[i for i in items if today < i.due_on <= week_end],
    )


def my_followups(app, user, today: date) -> FollowUpBuckets:
    from crm.core.hooks import followup_items

    return bucket_followups(followup_items(app, user, end_of_week(today)), today)
