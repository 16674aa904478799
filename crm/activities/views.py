from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urljoin

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from crm.activities import services
from crm.activities.forms import ActivityForm, kind_choices
from crm.activities.models import ACTIVITY_KINDS, Activity
from crm.activities.util import local_today, project_url
from crm.auth.models import User
from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, public, require_write, roles_required
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.core.pagination import bounded_count, page_number
from crm.core.tenancy import county_in
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.util.dates import parse_user_date
from crm.util.ical import CalendarEvent, build_calendar

bp = Blueprint("activities", __name__)
CALENDAR_DAYS_AHEAD = 90


def _form_page(form, project, activity=None, conflict=None, status=200):
    return render_template(
        "activities/form.html",
        form=form,
        project=project,
        activity=activity,
        conflict=conflict,
        project_url=project_url(project.id),
    ), status


@bp.route("/projects/<int:project_id>/activities/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_for_project(project_id: int):
    project = load_or_404(Project, project_id)
    require_write(project)
    form = ActivityForm()
    if request.method == "GET":
        form.occurred_on.data = local_today()
    if form.validate_on_submit():
        try:
            services.create_activity(project, form.values(), created_by=current_user)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _form_page(form, project, status=422)
        db.session.commit()
        flash(_("跟进记录已保存"), "success")
        return redirect(project_url(project_id))
    return _form_page(form, project, status=422 if form.errors else 200)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(activity_id: int):
    activity = load_or_404(Activity, activity_id)
    require_write(activity)
    project = activity.project
    form = ActivityForm(obj=activity if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(activity.version)
    if form.validate_on_submit():
        try:
            services.update_activity(activity, form.values(), version=_int_or_none(form.version.data))
        except ConflictError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
            return _form_page(form, project, activity, conflict=exc.current, status=409)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return _form_page(form, project, activity, status=422)
        db.session.commit()
        flash(_("跟进记录已保存"), "success")
        return redirect(project_url(project.id))
    return _form_page(form, project, activity, status=422 if form.errors else 200)


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(activity_id: int):
    activity = load_or_404(Activity, activity_id)
    require_write(activity)
    project_id = activity.project_id
    services.delete_activity(activity, version=_int_or_none(request.form.get("version")))
    db.session.commit()
    flash(_("跟进记录已删除"), "success")
    return redirect(project_url(project_id) if project_id else url_for("activities.index"))


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _date_arg(name):
    text = request.args.get(name, "").strip()
    if not text:
        return None, None
    try:
        return parse_user_date(text), None
    except ValueError as exc:
        return None, str(exc)


@bp.route("/activities")
@roles_required(*READ_ROLES)
def index():
    # The project's name as the viewer may read it (a confidential project's code name).
    query = select(Activity, name_column(current_user).label("project_name")).join(
        Project, Activity.project_id == Project.id
    )
    filters, errors = {}, []
    kind = request.args.get("kind", "")
    if kind in ACTIVITY_KINDS:
        query = query.where(Activity.kind == kind)
    recorder = _int_or_none(request.args.get("created_by"))
    if recorder:
        query = query.where(Activity.created_by_id == recorder)
    project_id = _int_or_none(request.args.get("project_id"))
    if project_id:
        filters["project"] = load_or_404(Project, project_id)
        query = query.where(Activity.project_id == project_id)
    for name, op in (("date_from", "__ge__"), ("date_to", "__le__")):
        value, error = _date_arg(name)
        if error:
            errors.append(error)
        elif value:
            query = query.where(getattr(Activity.occurred_on, op)(value))
    text = request.args.get("q", "").strip()
    if text:
        like = f"%{text}%"
        # Not the project's name: a confidential project's real name must not be searchable.
        query = query.where(or_(Activity.subject.ilike(like), Activity.summary.ilike(like)))
    page = page_number(request.args.get("page"))
    per_page = current_app.config["PER_PAGE"]
    total = bounded_count(query, Activity.id)
    rows = db.session.execute(
        query.order_by(Activity.occurred_on.desc(), Activity.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    recorders = db.session.execute(
        select(User.id, User.display_name)
        .where(User.region_id.in_(_readable_counties()))
        .order_by(User.username)
    ).all()
    return render_template(
        "activities/index.html",
        rows=rows,
        total=total.value,
        total_text=str(total),
        page=page,
        per_page=per_page,
        kinds=kind_choices(_("全部")),
        kind_labels=ACTIVITY_KINDS,
        recorders=recorders,
        filters=filters,
        errors=errors,
        project_url=project_url,
        can_write=current_user.has_role(*WRITE_ROLES),
        county_names=_county_names(),
    )


def _readable_counties():
    scope = db.session.info.get("tenant_scope")
    return sorted(scope.read_county_ids) if scope else []


def _county_names() -> dict[int, str]:
    from crm.regions.models import Region

    ids = _readable_counties()
    if len(ids) < 2:
        return {}
    return dict(db.session.execute(select(Region.id, Region.name).where(county_in(Region.id, ids))).all())


@bp.route("/followups")
@roles_required(*READ_ROLES)
def followups():
    today = local_today()
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
    from crm.auth.services import issue_calendar_token

    token = issue_calendar_token(current_user)
    db.session.commit()
    feed = url_for("activities.calendar_feed", token=token, _external=True)
    flash(_("新的日历订阅地址（旧地址已失效，请妥善保管）：%(url)s", url=feed), "success")
    return redirect(url_for("activities.followups"))


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
    items = followup_items(current_app, user, local_today() + timedelta(days=CALENDAR_DAYS_AHEAD))
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
