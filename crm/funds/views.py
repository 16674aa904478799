from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from crm.activities.util import local_today, project_url
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import db
from crm.core.handlers import action_post, form_post
from crm.core.pagination import page_number
from crm.core.parsing import int_or_none
from crm.core.tenancy import county_in
from crm.funds import services
from crm.funds.forms import FundsForm, TargetForm
from crm.funds.models import FUND_ORIGINS, CountyTarget, FundsRecord
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.util.dates import parse_month

bp = Blueprint("funds", __name__)


@bp.route("/projects/<int:project_id>/funds")
@roles_required(*READ_ROLES)
def project_funds(project_id: int):
    project = load_or_404(Project, project_id)
    records = (
        db.session.execute(
            select(FundsRecord)
            .where(FundsRecord.project_id == project_id)
            .order_by(FundsRecord.month.desc(), FundsRecord.origin)
        )
        .scalars()
        .all()
    )
    by_origin: dict[str, Decimal] = {}
    for record in records:
        by_origin[record.origin] = by_origin.get(record.origin, Decimal(0)) + record.amount_wan
    return render_template(
        "funds/project.html",
        project=project,
        records=records,
        by_origin=by_origin,
        total=sum(by_origin.values(), Decimal(0)),
        origins=FUND_ORIGINS,
        project_url=project_url(project_id),
        can_write=current_user.has_role(*WRITE_ROLES),
    )


def _form_page(form, project, record=None):
    """The funds form's page, for ``form_post`` (``conflict``: the values now stored)."""
    return lambda conflict=None: render_template(
        "funds/form.html",
        form=form,
        project=project,
        record=record,
        conflict=conflict,
        project_url=project_url(project.id),
    )


def _to_project_funds(project_id: int):
    return lambda _record=None: redirect(url_for("funds.project_funds", project_id=project_id))


@bp.route("/projects/<int:project_id>/funds/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_for_project(project_id: int):
    """Record a month's funds in place for a project."""
    project = load_or_404(Project, project_id)
    require_write(project)
    form = FundsForm()
    if request.method == "GET":
        form.month.data = local_today().replace(day=1)
        form.origin.data = project.capital_origin if project.capital_origin in FUND_ORIGINS else None
    return form_post(
        form,
        page=_form_page(form, project),
        done=_to_project_funds(project_id),
        saved=_("到位资金已登记"),
        save=lambda: services.create_funds(
            project, form.values(), created_by=current_user, today=local_today()
        ),
    )


@bp.route("/funds/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(record_id: int):
    """Correct a funds record (refused if someone else saved it first)."""
    record = load_or_404(FundsRecord, record_id)
    require_write(record)
    project = record.project
    form = FundsForm(obj=record if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(record.version)
    return form_post(
        form,
        page=_form_page(form, project, record),
        done=_to_project_funds(project.id),
        saved=_("到位资金已保存"),
        save=lambda: services.update_funds(
            record, form.values(), version=int_or_none(form.version.data), today=local_today()
        ),
    )


@bp.route("/funds/<int:record_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(record_id: int):
    """Delete a funds record."""
    record = load_or_404(FundsRecord, record_id)
    require_write(record)
    back = url_for("funds.project_funds", project_id=record.project_id)
    return action_post(
        lambda: services.delete_funds(record, version=int_or_none(request.form.get("version"))),
        back=back,
        saved=_("到位资金记录已删除"),
    )


def _readable_counties() -> list[int]:
    scope = db.session.info.get("tenant_scope")
    return sorted(scope.read_county_ids) if scope else []


@bp.route("/funds")
@roles_required(*READ_ROLES)
def index():
    """The county's funds in place by month and origin for one year, and one month's records."""
    today = local_today()
    year = int_or_none(request.args.get("year")) or today.year
    if not 2000 <= year <= 2100:
        flash(_("年份无效，已显示今年"), "warning")
        year = today.year
    selected_month = None
    if request.args.get("month"):
        try:
            selected_month = parse_month(request.args["month"])
        except ValueError as exc:
            flash(str(exc), "warning")
    counties = _readable_counties()
    rows = db.session.execute(
        select(FundsRecord.month, FundsRecord.origin, func.sum(FundsRecord.amount_wan))
        .where(
            county_in(FundsRecord.county_id, counties),
            FundsRecord.month >= date(year, 1, 1),
            FundsRecord.month <= date(year, 12, 1),
        )
        .group_by(FundsRecord.month, FundsRecord.origin)
    ).all()
    matrix = {m: {o: Decimal(0) for o in FUND_ORIGINS} for m in range(1, 13)}
    for month, origin, amount in rows:
        matrix[month.month][origin] = Decimal(amount or 0)
    origin_totals = {o: sum((matrix[m][o] for m in matrix), Decimal(0)) for o in FUND_ORIGINS}
    records, total, page, per_page = [], 0, 1, current_app.config["PER_PAGE"]
    if selected_month:
        query = (
            select(FundsRecord, name_column(current_user).label("project_name"))
            .join(Project, FundsRecord.project_id == Project.id)
            .where(FundsRecord.month == selected_month)
        )
        total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        page = page_number(request.args.get("page"))
        records = db.session.execute(
            query.order_by(FundsRecord.amount_wan.desc(), FundsRecord.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
    return render_template(
        "funds/index.html",
        year=year,
        matrix=matrix,
        origins=FUND_ORIGINS,
        origin_totals=origin_totals,
        grand_total=sum(origin_totals.values(), Decimal(0)),
        selected_month=selected_month,
        records=records,
        total=total,
        page=page,
        per_page=per_page,
        project_url=project_url,
    )


@bp.route("/funds/targets", methods=["GET", "POST"])
@roles_required("manager")
def targets():
    """The county's annual targets; the dashboard measures funds in place against them."""
    county_id = current_user.county_id
    today = local_today()
    form = TargetForm()
    if request.method == "GET":
        year = int_or_none(request.args.get("year")) or today.year
        existing = services.target_for(county_id, year)
        form.year.data = year
        if existing is not None:
            form.funds_target_wan.data = existing.funds_target_wan
            form.signed_projects_target.data = existing.signed_projects_target
            form.version.data = str(existing.version)

    def page(conflict=None):
        rows = (
            db.session.execute(
                select(CountyTarget)
                .where(CountyTarget.county_id == county_id)
                .order_by(CountyTarget.year.desc())
            )
            .scalars()
            .all()
        )
        return render_template("funds/targets.html", form=form, targets=rows)

    return form_post(
        form,
        page=page,
        done=lambda _target: redirect(url_for("dashboard.index")),
        saved=_("年度目标已保存"),
        save=lambda: services.set_county_target(
            county_id,
            form.year.data,
            form.funds_target_wan.data,
            form.signed_projects_target.data,
            version=int_or_none(form.version.data),
        ),
    )
