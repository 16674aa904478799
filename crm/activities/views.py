"""Activity pages: record, correct and delete a project's activities; the county's activity
list; "my follow-ups" and its iCalendar feed."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urljoin

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.activities import queries, services
from crm.activities.forms import ActivityForm, kind_choices
from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, public, roles_required, writable
from crm.core.handlers import action_post, edit_form, form_page, form_post, go_to, posted_version
from crm.core.pagination import page_args
from crm.core.parsing import int_or_none
from crm.core.tenancy import readable_county_ids
from crm.projects.models import Project
from crm.projects.sections import ProjectAction, ProjectSection
from crm.util.ical import CalendarEvent, build_calendar

bp = Blueprint("activities", __name__)
CALENDAR_DAYS_AHEAD = 90


def _project_page(project_id: int | None) -> str:
    """Where a saved or deleted activity returns to: its project's page (its timeline)."""
    if project_id is None:
        return url_for("activities.index")
    return url_for("projects.detail", project_id=project_id)


def _activity_post(project, activity, save):
    """The activity form on ``project`` (a new activity, or ``activity`` to correct) for
    ``form_post``: ``save(form)``, then back to the project's page."""
    form = edit_form(ActivityForm, activity)
    if activity is None and request.method == "GET":
        form.occurred_on.data = clock.today()
    back = _project_page(project.id if project else None)
    return form_post(
        form,
        page=form_page("activities/form.html", form=form, project=project, activity=activity, back=back),
        done=go_to(back),
        saved=_("跟进记录已保存"),
        save=lambda: save(form),
    )


@bp.route("/projects/<int:project_id>/activities/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_for_project(project_id: int):
    """Record an activity on a project; its next follow-up date becomes the project's."""
    project = writable(Project, project_id)
    return _activity_post(
        project, None, lambda form: services.create_activity(project, form.values(), created_by=current_user)
    )


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(activity_id: int):
    """Correct an activity (refused if someone else saved it first)."""
    activity = writable(Activity, activity_id)
    return _activity_post(
        activity.project,
        activity,
        lambda form: services.update_activity(
            activity, form.values(), version=int_or_none(form.version.data)
        ),
    )


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(activity_id: int):
    """Delete an activity."""
    activity = writable(Activity, activity_id)
    return action_post(
        lambda: services.delete_activity(activity, version=posted_version()),
        back=_project_page(activity.project_id),
        saved=_("跟进记录已删除"),
    )


@bp.route("/activities")
@roles_required(*READ_ROLES)
def index():
    """The activities of the user's counties, newest first, filtered by kind, recorder,
    project, dates and text."""
    filters = queries.ActivityFilters.from_args(request.args)
    project = load_or_404(Project, filters.project_id) if filters.project_id else None
    page, per_page = page_args()
    rows, total = queries.activity_page(filters, current_user, page, per_page)
    county_ids = readable_county_ids()
    return render_template(
        "activities/index.html",
        rows=rows,
        total=total.value,
        total_text=str(total),
        page=page,
        per_page=per_page,
        kinds=kind_choices(_("全部")),
        kind_labels=ACTIVITY_KINDS,
        recorders=queries.recorders(county_ids),
        project=project,
        errors=filters.errors,
        can_write=current_user.has_role(*WRITE_ROLES),
        county_names=queries.county_names(county_ids),
    )


@bp.route("/followups")
@roles_required(*READ_ROLES)
def followups():
    """My follow-ups: overdue, due today and due this week."""
    today = clock.today()
    buckets = services.my_followups(current_app, current_user, today)
    return render_template(
        "activities/followups.html",
        buckets=buckets,
        today=today,
        week_end=services.end_of_week(today),
        has_calendar=bool(current_user.calendar_token_hash),
    )


@bp.route("/followups/calendar-token", methods=["POST"])
@roles_required(*READ_ROLES)
def calendar_token():
    """Issue a new calendar feed address (the old one stops working)."""
    from crm.auth.services import issue_calendar_token

    def issue():
        token = issue_calendar_token(current_user)
        # The message carries the new address, known only once the token is issued; nothing
        # after this can be refused, so it is flashed here rather than by action_post.
        feed = url_for("activities.calendar_feed", token=token, _external=True)
        flash(_("新的日历订阅地址（旧地址已失效，请妥善保管）：%(url)s", url=feed), "success")

    return action_post(issue, back=url_for("activities.followups"))


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The user's follow-ups as an iCalendar feed; the unguessable token is the only credential."""
    from crm.auth.services import user_for_calendar_token
    from crm.core.access import scope_for
    from crm.core.hooks import followup_items
    from crm.core.tenancy import set_scope

    user = user_for_calendar_token(token)
    if user is None:
        abort(404)
    set_scope(scope_for(user))
    items = followup_items(current_app, user, clock.today() + timedelta(days=CALENDAR_DAYS_AHEAD))
    events = [
        CalendarEvent(
            uid=_event_uid(item),
            day=item.due_on,
            summary=f"{_(item.kind)}：{item.title}",
            description=item.detail,
            url=urljoin(request.host_url, item.url),
        )
        for item in items
    ]
    body = build_calendar(_("我的跟进") + f" · {user.display_name}", events, stamp=clock.now())
    response = current_app.response_class(body.encode("utf-8"), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _event_uid(item) -> str:
    # The same record keeps its UID when its date moves, so calendars update the event.
    digest = hashlib.sha1(f"{item.kind}|{item.url}".encode()).hexdigest()[:20]
    return f"followup-{digest}"


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection:
    """The project page's follow-ups, and "添加跟进" (its form returns to the project page)."""
    actions = ()
    if can_write:
        actions = (
            ProjectAction(_("添加跟进"), url_for("activities.new_for_project", project_id=project.id)),
        )
    html = render_template(
        "activities/_project_section.html",
        project=project,
        activities=queries.project_activities(project.id),
        kinds=ACTIVITY_KINDS,
        can_write=can_write,
    )
    return ProjectSection(Markup(html), actions)
