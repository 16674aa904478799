"""/api/v1: the activities of the readable counties, a project's activities, and one activity
by id (PATCH/DELETE carry ``version``)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.activities import services
from crm.activities.models import Activity
from crm.activities.queries import ActivityFilters, activity_page
from crm.api.handlers import committed, deleted, page_under, saved_at_version, versioned_body
from crm.api.util import columns_dict, delete_version, json_body, page_args, page_json
from crm.core.access import load_or_404, writable
from crm.core.errors import ServiceError
from crm.projects.models import Project
from crm.util.dates import parse_user_date

bp = Blueprint("activities_api", __name__, url_prefix="/api/v1")
DATE_FIELDS = ("occurred_on", "next_follow_up_on")
TEXT_FIELDS = ("kind", "subject", "participants", "summary", "next_step")


def parse_payload(data: dict, partial: bool) -> dict:
    """JSON values → service values; wrong types answer 422 naming the field."""
    values, errors = {}, {}
    for key in TEXT_FIELDS:
        if key in data:
            if data[key] is not None and not isinstance(data[key], str):
                errors[key] = [_("必须是文本")]
            else:
                values[key] = data[key]
    for key in DATE_FIELDS:
        if key in data:
            raw = data[key]
            if raw is None or raw == "":
                values[key] = None
            elif not isinstance(raw, str):
                errors[key] = [_("日期须写成 YYYY-MM-DD")]
            else:
                try:
                    values[key] = parse_user_date(raw)
                except ValueError as exc:
                    errors[key] = [str(exc)]
    if errors:
        raise ServiceError(_("请求中的字段有误"), errors)
    return values


@bp.get("/activities")
def list_activities():
    """One page of the readable counties' activities (on projects), newest first, filtered
    like the 跟进记录 page: ``kind``, ``created_by``, ``project_id``, ``date_from``,
    ``date_to`` and ``q`` (subject or summary)."""
    filters = ActivityFilters.from_args(request.args)
    if filters.errors:
        raise ServiceError(_("查询参数有误"), {"date": list(filters.errors)})
    page, per_page = page_args()
    rows, total = activity_page(filters, current_user, page, per_page, exact=True)
    items = [{**columns_dict(activity), "project_name": name} for activity, name in rows]
    return page_json(items, total, page, per_page)


@bp.get("/projects/<int:project_id>/activities")
def list_for_project(project_id: int):
    """A project's activities, newest first, a page at a time."""
    return page_under(
        Project,
        project_id,
        Activity.project_id,
        columns_dict,
        order_by=(Activity.occurred_on.desc(), Activity.id.desc()),
    )


@bp.post("/projects/<int:project_id>/activities")
def create_for_project(project_id: int):
    """Record an activity of a project (officers of its county)."""
    project = writable(Project, project_id)
    activity = services.create_activity(
        project, parse_payload(json_body(), partial=False), created_by=current_user
    )
    return committed(columns_dict, activity, status=201)


@bp.get("/activities/<int:activity_id>")
def get_activity(activity_id: int):
    """One activity."""
    return jsonify(columns_dict(load_or_404(Activity, activity_id)))


@bp.patch("/activities/<int:activity_id>")
def patch_activity(activity_id: int):
    """Change an activity at the version it was read."""
    activity = writable(Activity, activity_id)
    data, version = versioned_body()
    values = parse_payload(data, partial=True)
    return saved_at_version(lambda: services.update_activity(activity, values, version=version), columns_dict)


@bp.delete("/activities/<int:activity_id>")
def delete_activity(activity_id: int):
    """Delete an activity (a stale optional version answers 409)."""
    activity = writable(Activity, activity_id)
    return deleted(lambda: services.delete_activity(activity, version=delete_version()))
