from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.handlers import edit_form, form_post
from crm.core.pagination import paged
from crm.core.parsing import int_or_none, record_id_or_none
from crm.projects import board as board_queries
from crm.projects import confidential, exports, models, pipeline, queries, registration, services
from crm.projects.forms import (
    ProjectForm,
    StageForm,
    company_choices,
    company_picker,
    confirmation_for_managers_only,
)
from crm.projects.models import ALL_STAGES, STAGE_LABELS, STAGES, Project
from crm.projects.sections import project_sections
from crm.projects.timeline import timeline_for
from crm.regions.services import region_names
from crm.util.money import format_wan

bp = Blueprint("projects", __name__, url_prefix="/projects")
# A column shows its most recently updated cards; "更多" lists the rest with the filters kept.
BOARD_CARDS_PER_COLUMN = 20


def _labels() -> dict:
    multi_county = current_user.has_role("coordinator")
    return {
        "fmt_wan": format_wan,
        "today": clock.today(),
        "county_names": region_names() if multi_county else {},
        "stages": STAGE_LABELS,
        "kinds": models.PROJECT_KINDS,
        "sources": models.SOURCE_CHANNELS,
        "origins": models.FUND_ORIGINS,
        "can_write": current_user.has_role(*WRITE_ROLES),
        "multi_county": multi_county,
    }


@bp.route("/lookup")
@roles_required(*READ_ROLES)
def lookup():
    """The type-ahead of the project pickers (static/js/picker.js): up to 20 of the scope's
    projects matching ``q``, named as the viewer may read them (crm/projects/confidential.py)."""
    items = []
    for item in queries.lookup_projects(request.args.get("q", ""), current_user):
        detail = [_("编号 %(id)s", id=item["id"]), _(STAGE_LABELS[item["stage"]])]
        if item["investor"]:
            detail.append(item["investor"])
        items.append({"id": item["id"], "label": item["label"], "detail": " · ".join(detail)})
    return jsonify({"items": items})


def _owner_filter_choices():
    county_id = current_user.county_id
    return services.owner_choices(county_id) if county_id else []


@bp.route("")
@roles_required(*READ_ROLES)
def index():
    """The county's projects (a coordinator's: every county below), filtered, sorted, paged."""
    filters = queries.ProjectFilters.from_args(request.args)
    rows, pager = paged(lambda page, per_page: queries.page_and_total(filters, current_user, per_page, page))
    return render_template(
        "projects/index.html",
        projects=rows,
        filters=filters,
        owners=_owner_filter_choices(),
        sorts=queries.SORTS,
        **pager,
        **_labels(),
    )


@bp.route("/board")
@roles_required(*READ_ROLES)
def board():
    """The pipeline board: a column per stage with its count and planned investment."""
    filters = queries.ProjectFilters.from_args(request.args)
    totals = board_queries.column_totals(filters, current_user)
    cards = board_queries.board_cards(filters, current_user, BOARD_CARDS_PER_COLUMN)
    return render_template(
        "projects/board.html",
        totals=totals,
        cards=cards,
        filters=filters,
        all_stages=ALL_STAGES,
        limit=BOARD_CARDS_PER_COLUMN,
        owners=_owner_filter_choices(),
        **_labels(),
    )


def _form_for(project: Project | None) -> ProjectForm:
    county_id = project.county_id if project else current_user.county_id
    form = edit_form(ProjectForm, project)
    form.fill_choices(services.owner_choices(county_id), county_id, project.industry if project else None)
    confirmation_for_managers_only(form, current_user)
    if request.method == "GET" and project is not None:
        for name in ("investor_company_id", "local_company_id", "owner_id"):
            value = getattr(project, name)
            getattr(form, name).data = value
        form.capital_origin.data = project.capital_origin or ""
    return form


def _to_detail(project: Project):
    """After a save: what the page says about the local company's registration, then the
    project's page."""
    for note in registration.local_company_notes(project):
        flash(note, "warning")
    return redirect(url_for("projects.detail", project_id=project.id))


def _form_page(form: ProjectForm, project: Project | None):
    """The project form's page for ``form_post``; after a conflict the version becomes the
    stored one, so saving again after reading the current values is a deliberate overwrite."""

    def page(conflict=None):
        if conflict is not None:
            form.version.data = str(project.version)
        return render_template("projects/form.html", form=form, project=project, conflict=conflict)

    return page


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create():
    """Create a project in the user's county."""
    require_write()
    form = _form_for(None)
    if request.method == "GET":
        form.owner_id.data = current_user.id
        # From a company's page: "新建项目" for that company as the investor.
        company_id = record_id_or_none(request.args.get("company_id"))
        if company_id is not None and any(
            str(company_id) == str(v) for v, _label in form.investor_company_id.choices
        ):
            form.investor_company_id.data = company_id
    return form_post(
        form,
        save=lambda: services.create_project(form.service_data(), current_user),
        page=_form_page(form, None),
        done=_to_detail,
        saved=_("项目已创建"),
    )


@bp.route("/<int:project_id>")
@roles_required(*READ_ROLES)
def detail(project_id: int):
    """A project's facts and its timeline."""
    project = load_or_404(Project, project_id)
    return render_template(
        "projects/detail.html",
        project=project,
        timeline=timeline_for(project),
        registration_notes=registration.local_company_notes(project),
        sections=project_sections(project),
        **_labels(),
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(project_id: int):
    """Edit a project's record (refused if someone else saved it first)."""
    project = writable(Project, project_id)
    # A confidential project's record is edited by its owner and the managers only: the
    # form is the project's real name and the facts that go with it.
    confidential.require_real_name(project)
    form = _form_for(project)
    return form_post(
        form,
        save=lambda: services.update_project(
            project, form.service_data(), current_user, int_or_none(form.version.data)
        ),
        page=_form_page(form, project),
        done=_to_detail,
        saved=_("项目已保存"),
    )


@bp.route("/<int:project_id>/stage", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def stage(project_id: int):
    """Move a project to another stage with the evidence that stage needs (no JavaScript)."""
    project = writable(Project, project_id)
    form = edit_form(StageForm, project)
    form.local_company_id.choices = company_choices()
    company_picker(form.local_company_id)
    confirmation_for_managers_only(form, current_user)
    if request.method == "GET":
        form.local_company_id.data = project.local_company_id
        wanted = request.args.get("to")
        form.to_stage.data = wanted if wanted in ALL_STAGES else _next_stage(project.stage)

    def page(conflict=None):
        if conflict is not None:
            form.version.data = str(project.version)
        return render_template("projects/stage.html", form=form, project=project, **_labels())

    return form_post(
        form,
        save=lambda: pipeline.move_stage(
            project,
            form.to_stage.data,
            current_user,
            note=form.note.data,
            evidence=form.evidence(),
            version=int_or_none(form.version.data),
        ),
        page=page,
        done=lambda _change: _to_detail(project),
        saved=_("项目已移到“%(stage)s”", stage=_(STAGE_LABELS[form.to_stage.data]))
        if form.to_stage.data in STAGE_LABELS
        else None,
    )


def _next_stage(stage: str) -> str:
    if stage in STAGES and stage != STAGES[-1]:
        return STAGES[STAGES.index(stage) + 1]
    return stage


@bp.route("/<int:project_id>/move", methods=["POST"])
@roles_required(*WRITE_ROLES)
def move(project_id: int):
    """The board's drag and drop: JSON in, JSON out, the same rules and messages as the form."""
    project = writable(Project, project_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify({"message": _("请求格式不正确"), "errors": {}}), 400
    # The board posts what its form fields hold: text (a number is read as its text).
    wrong = {
        key: [_("应为文本或数字")] for key, value in data.items() if isinstance(value, (list, dict, bool))
    }
    if wrong:
        return jsonify({"message": _("请求格式不正确"), "errors": wrong}), 422
    data = {key: str(value) if isinstance(value, (int, float)) else value for key, value in data.items()}
    version = data.get("version")
    try:
        pipeline.move_stage(
            project,
            str(data.get("to_stage") or ""),
            current_user,
            note=data.get("note"),
            evidence=data,
            version=int_or_none(version),
        )
    except ServiceError as exc:
        db.session.rollback()
        errors = {field: [str(m) for m in messages] for field, messages in exc.errors.items()}
        labels = {f.name: str(f.label.text) for f in StageForm(meta={"csrf": False})}
        return jsonify(
            {
                "message": exc.message,
                "errors": errors,
                "labels": labels,
                "stage_form": url_for("projects.stage", project_id=project_id, to=data.get("to_stage")),
            }
        ), exc.status
    db.session.commit()
    filters = queries.ProjectFilters.from_args(request.args)
    totals = board_queries.column_totals(filters, current_user)
    return jsonify(
        {
            "project": {"id": project.id, "stage": project.stage, "version": project.version},
            "columns": {stage: {"count": n, "total": str(amount)} for stage, (n, amount) in totals.items()},
            "message": _("项目已移到“%(stage)s”", stage=_(STAGE_LABELS[project.stage])),
        }
    )


@bp.route("/export.xlsx")
@roles_required(*READ_ROLES)
def export_xlsx():
    """The filtered list as an XLSX workbook."""
    return exports.response("xlsx", queries.ProjectFilters.from_args(request.args), current_user)


@bp.route("/export.csv")
@roles_required(*READ_ROLES)
def export_csv():
    """The filtered list as CSV (UTF-8 with BOM, or GB18030 for old spreadsheet programs)."""
    encoding = "gb18030" if request.args.get("encoding", "").lower() == "gb18030" else "utf-8-sig"
    return exports.response("csv", queries.ProjectFilters.from_args(request.args), current_user, encoding)
