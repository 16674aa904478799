"""Funds in place pages: a project's records and their form, a manager's 认定, the county's
year by month and origin (counted money apart from money awaiting 认定 and money left out),
and the manager's annual targets."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.core import clock
from crm.core.access import COUNTY_ROLES, READ_ROLES, WRITE_ROLES, load_or_404, roles_required, writable
from crm.core.handlers import act_on_record, edit_form, form_page, form_post, go_to, posted_version
from crm.core.pagination import paged
from crm.core.parsing import int_or_none, year_or_none
from crm.core.redirects import next_or
from crm.core.tenancy import readable_county_ids
from crm.funds import queries, services
from crm.funds.forms import FundsForm, TargetForm
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS, STANDINGS, FundsRecord
from crm.projects.models import Project
from crm.projects.sections import ProjectAction, ProjectSection
from crm.util.dates import parse_month

bp = Blueprint("funds", __name__)


@bp.route("/projects/<int:project_id>/funds")
@roles_required(*READ_ROLES)
def project_funds(project_id: int):
    """A project's funds in place, month by month: what counts by origin, and apart what
    awaits a manager's 认定 and what the indicator leaves out."""
    project = load_or_404(Project, project_id)
    records = queries.project_records(project_id)
    figures = queries.FundsFigures()
    for record in records:
        figures.add(record.origin, record.exclusion, record.confirmed, record.amount_wan, 1)
    return render_template(
        "funds/project.html",
        project=project,
        records=records,
        figures=figures,
        origins=FUND_ORIGINS,
        exclusions=EXCLUSIONS,
        standings=STANDINGS,
        can_write=current_user.has_role(*WRITE_ROLES),
        can_confirm=current_user.has_role("manager"),
    )


@bp.route("/projects/<int:project_id>/funds/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_for_project(project_id: int):
    """Record a month's funds in place for a project."""
    project = writable(Project, project_id)
    form = FundsForm()
    if request.method == "GET":
        form.month.data = clock.today().replace(day=1)
        form.origin.data = project.capital_origin if project.capital_origin in FUND_ORIGINS else None
    return form_post(
        form,
        page=form_page("funds/form.html", form=form, project=project, record=None),
        # Back where the form came from (``next``, e.g. the project's page), else its funds.
        done=go_to(next_or(url_for("funds.project_funds", project_id=project_id))),
        saved=_("到位资金已登记"),
        save=lambda: services.create_funds(
            project, form.values(), created_by=current_user, today=clock.today()
        ),
    )


@bp.route("/funds/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(record_id: int):
    """Correct a funds record (refused if someone else saved it first)."""
    record = writable(FundsRecord, record_id)
    project = record.project
    form = edit_form(FundsForm, record)
    return form_post(
        form,
        page=form_page("funds/form.html", form=form, project=project, record=record),
        done=go_to(url_for("funds.project_funds", project_id=project.id)),
        saved=_("到位资金已保存"),
        save=lambda: services.update_funds(
            record, form.values(), version=int_or_none(form.version.data), today=clock.today()
        ),
    )


def _project_funds(record: FundsRecord) -> str:
    """Where a button on a funds record returns: its project's funds."""
    return url_for("funds.project_funds", project_id=record.project_id)


def _record_button(record_id: int, act, saved: str, back=_project_funds):
    """A button on a funds record: ``act(record, by=the user, version=the one posted)`` under
    ``action_post``, returning to the record's project funds (or ``back(record)``)."""
    return act_on_record(
        FundsRecord,
        record_id,
        lambda record: act(record, by=current_user, version=posted_version()),
        back=back,
        saved=saved,
    )


@bp.route("/funds/<int:record_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(record_id: int):
    """Delete a funds record."""
    return _record_button(record_id, services.delete_funds, _("到位资金记录已删除"))


@bp.route("/funds/<int:record_id>/confirm", methods=["POST"])
@roles_required("manager")
def confirm(record_id: int):
    """A manager's 认定 of the record as the manager saw it (its version): it counts from now."""
    to_pending = request.form.get("from") == "pending"
    back = (lambda _record: url_for("funds.pending")) if to_pending else _project_funds
    return _record_button(record_id, services.confirm_funds, _("到位资金已认定"), back)


@bp.route("/funds/<int:record_id>/withdraw", methods=["POST"])
@roles_required("manager")
def withdraw(record_id: int):
    """A manager takes a 认定 back: the record stops counting until confirmed again."""
    return _record_button(record_id, services.withdraw_confirmation, _("已撤销认定"))


@bp.route("/funds/pending")
@roles_required(*READ_ROLES)
def pending():
    """The money awaiting a manager's 认定, oldest month first."""
    records, pager = paged(lambda page, per_page: queries.pending_page(current_user, page, per_page))
    return render_template(
        "funds/pending.html",
        records=records,
        origins=FUND_ORIGINS,
        can_confirm=current_user.has_role("manager"),
        **pager,
    )


@bp.route("/funds")
@roles_required(*READ_ROLES)
def index():
    """The county's funds in place by month and origin for one year, and one month's records."""
    today = clock.today()
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
    matrix = queries.month_matrix(readable_county_ids(), year)
    year_total = queries.FundsFigures.total_of(matrix.values())
    records, pager = paged(
        lambda page, per_page: (
            queries.month_page(selected_month, current_user, page, per_page) if selected_month else ([], 0)
        )
    )
    return render_template(
        "funds/index.html",
        year=year,
        matrix=matrix,
        origins=FUND_ORIGINS,
        exclusions=EXCLUSIONS,
        standings=STANDINGS,
        year_total=year_total,
        selected_month=selected_month,
        records=records,
        **pager,
    )


@bp.route("/funds/targets", methods=["GET", "POST"])
@roles_required(*COUNTY_ROLES)
def targets():
    """The county's annual targets, which the dashboard measures funds in place against:
    its staff and leaders read them, its manager sets them."""
    county_id = current_user.county_id
    if not current_user.has_role("manager"):
        if request.method == "POST":
            abort(403)
        return render_template("funds/targets.html", form=None, targets=queries.county_targets(county_id))
    today = clock.today()
    form = TargetForm()
    if request.method == "GET":
        year = year_or_none(request.args.get("year")) or today.year
        existing = services.target_for(county_id, year)
        form.year.data = year
        if existing is not None:
            form.funds_target_wan.data = existing.funds_target_wan
            form.signed_projects_target.data = existing.signed_projects_target
            form.version.data = str(existing.version)

    def page(conflict=None):
        return render_template("funds/targets.html", form=form, targets=queries.county_targets(county_id))

    return form_post(
        form,
        page=page,
        done=go_to(url_for("dashboard.index")),
        saved=_("年度目标已保存"),
        save=lambda: services.set_county_target(
            county_id, **form.values(), version=int_or_none(form.version.data)
        ),
    )


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection:
    """The project page's funds in place, and "登记到位资金" returning there."""
    actions = ()
    if can_write:
        url = url_for("funds.new_for_project", project_id=project.id, next=back)
        actions = (ProjectAction(_("登记到位资金"), url),)
    html = render_template(
        "funds/_project_section.html",
        project=project,
        records=queries.project_records(project.id),
        origins=FUND_ORIGINS,
    )
    return ProjectSection(Markup(html), actions)
