from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.core.pagination import page_args
from crm.projects import board as board_queries
from crm.projects import confidential, exports, pipeline, queries, services
from crm.projects.forms import ProjectForm, StageForm, company_choices
from crm.projects.models import (
    ALL_STAGES,
    FUND_ORIGINS,
    PROJECT_KINDS,
    SOURCE_CHANNELS,
    STAGE_LABELS,
    STAGES,
    Project,
)
from crm.projects.timeline import timeline_for
from crm.util.money import format_wan

bp = Blueprint("projects", __name__, url_prefix="/projects")
# A column shows its most recently updated cards; "更多" lists the rest with the filters kept.
BOARD_CARDS_PER_COLUMN = 20


def _county_names() -> dict[int, str]:
    from sqlalchemy import select

    from crm.regions.models import Region

    return dict(db.session.execute(select(Region.id, Region.name)).all())


def _labels() -> dict:
    multi_county = current_user.has_role("coordinator")
    return {
        "fmt_wan": format_wan,
        "today": clock.today(),
        "county_names": _county_names() if multi_county else {},
        "stages": STAGE_LABELS,
        "kinds": PROJECT_KINDS,
        "sources": SOURCE_CHANNELS,
        "origins": FUND_ORIGINS,
        "can_write": current_user.has_role(*WRITE_ROLES),
        "multi_county": multi_county,
    }


def _owner_filter_choices():
    county_id = current_user.county_id
    return services.owner_choices(county_id) if county_id else []


@bp.route("")
@roles_required(*READ_ROLES)
def index():
    filters = queries.ProjectFilters.from_args(request.args)
    page, per_page = page_args()
    total = queries.count(filters, current_user)
    rows = (
        db.session.execute(queries.page_select(filters, current_user, per_page, page))
        .unique()
        .scalars()
        .all()
    )
    return render_template(
        "projects/index.html",
        projects=rows,
        filters=filters,
        total=total,
        page=page,
        per_page=per_page,
        owners=_owner_filter_choices(),
        sorts=queries.SORTS,
        **_labels(),
    )


@bp.route("/board")
@roles_required(*READ_ROLES)
def board():
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
    form = ProjectForm(obj=project if request.method == "GET" else None)
    form.fill_choices(services.owner_choices(county_id))
    if request.method == "GET" and project is not None:
        for name in ("investor_company_id", "local_company_id", "owner_id"):
            value = getattr(project, name)
            getattr(form, name).data = value
        form.capital_origin.data = project.capital_origin or ""
        form.version.data = str(project.version)
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create():
    require_write()
    form = _form_for(None)
    if request.method == "GET":
        form.owner_id.data = current_user.id
    if form.validate_on_submit():
        try:
            project = services.create_project(form.service_data(), current_user)
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return render_template("projects/form.html", form=form, project=None), 422
        db.session.commit()
        flash(_("项目已创建"), "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    status = 422 if form.errors else 200
    return render_template("projects/form.html", form=form, project=None), status


@bp.route("/<int:project_id>")
@roles_required(*READ_ROLES)
def detail(project_id: int):
    project = load_or_404(Project, project_id)
    return render_template(
        "projects/detail.html", project=project, timeline=timeline_for(project), **_labels()
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(project_id: int):
    project = load_or_404(Project, project_id)
    require_write(project)
    # A confidential project's record is edited by its owner and the managers only: the
    # form is the project's real name and the facts that go with it.
    confidential.require_real_name(project)
    form = _form_for(project)
    if form.validate_on_submit():
        try:
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            services.update_project(project, form.service_data(), current_user, version)
        except ConflictError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
            # The user's input stays; the version becomes the stored one, so saving again
            # after reading the current values is a deliberate overwrite.
            form.version.data = str(project.version)
            return render_template(
                "projects/form.html", form=form, project=project, conflict=exc.current
            ), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            return render_template("projects/form.html", form=form, project=project), 422
        db.session.commit()
        flash(_("项目已保存"), "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    status = 422 if form.errors else 200
    return render_template("projects/form.html", form=form, project=project), status


@bp.route("/<int:project_id>/stage", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def stage(project_id: int):
    project = load_or_404(Project, project_id)
    require_write(project)
    form = StageForm(obj=project if request.method == "GET" else None)
    form.local_company_id.choices = company_choices()
    if request.method == "GET":
        form.version.data = str(project.version)
        form.local_company_id.data = project.local_company_id
        wanted = request.args.get("to")
        form.to_stage.data = wanted if wanted in ALL_STAGES else _next_stage(project.stage)
    if form.validate_on_submit():
        try:
            version = int(form.version.data) if (form.version.data or "").isdigit() else None
            pipeline.move_stage(
                project,
                form.to_stage.data,
                current_user,
                note=form.note.data,
                evidence=form.evidence(),
                version=version,
            )
        except ConflictError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
            form.version.data = str(project.version)
            return render_template("projects/stage.html", form=form, project=project, **_labels()), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            flash(exc.message, "danger")
            return render_template("projects/stage.html", form=form, project=project, **_labels()), 422
        db.session.commit()
        flash(_("项目已移到“%(stage)s”", stage=_(STAGE_LABELS[project.stage])), "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    return render_template("projects/stage.html", form=form, project=project, **_labels())


def _next_stage(stage: str) -> str:
    if stage in STAGES and stage != STAGES[-1]:
        return STAGES[STAGES.index(stage) + 1]
    return stage


@bp.route("/<int:project_id>/move", methods=["POST"])
@roles_required(*WRITE_ROLES)
def move(project_id: int):
    """The board's drag and drop: JSON in, JSON out, the same rules and messages as the form."""
    project = load_or_404(Project, project_id)
    require_write(project)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify({"message": _("请求格式不正确"), "errors": {}}), 400
    version = data.get("version")
    try:
        pipeline.move_stage(
            project,
            str(data.get("to_stage") or ""),
            current_user,
            note=data.get("note"),
            evidence=data,
            version=int(version) if str(version or "").isdigit() else None,
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
    return exports.response("xlsx", queries.ProjectFilters.from_args(request.args), current_user)


@bp.route("/export.csv")
@roles_required(*READ_ROLES)
def export_csv():
    encoding = "gb18030" if request.args.get("encoding", "").lower() == "gb18030" else "utf-8-sig"
    return exports.response("csv", queries.ProjectFilters.from_args(request.args), current_user, encoding)
