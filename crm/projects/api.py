"""/api/v1/projects: list, create, read, patch (stage moves through the pipeline rules)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from crm.api.handlers import committed, page_under, saved_at_version
from crm.api.util import columns_dict, json_body, page_args, page_json
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.errors import ServiceError
from crm.projects import confidential, pipeline, queries, registration, services
from crm.projects.models import ALL_STAGES, Project, StageChange
from crm.util.dates import parse_user_date
from crm.util.money import parse_wan

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1/projects")
READ_ONLY = {
    "id",
    "county_id",
    "created_at",
    "updated_at",
    "version",
    "stage",
    "note",
    "local_company_confirmed_by_id",
    "local_company_confirmed_at",
}


def serialize(project: Project) -> dict:
    # The initials are search keys, not data: the real name's would hint at a confidential name.
    data = columns_dict(project, exclude=("name_initials", "code_name_initials"))
    data["name"] = confidential.name_for(project, current_user)
    return data


def serialize_one(project: Project) -> dict:
    """A single project's answer: its columns and what to check about its local company."""
    return serialize(project) | {"warnings": registration.local_company_notes(project)}


def _area(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        raise ValueError(_("应为以亩为单位的数字")) from None
    if not value.is_finite():
        raise ValueError(_("应为以亩为单位的数字"))
    return value


def parse_fields(body: dict) -> tuple[dict, dict[str, list[str]]]:
    """Turn JSON values into the service's types; every wrong type is a field error."""
    values, errors = {}, {}
    for key, raw in body.items():
        if key in READ_ONLY:
            continue
        if key not in services.EDITABLE_FIELDS:
            errors[key] = [_("未知字段")]
            continue
        if raw is None:
            values[key] = None
            continue
        try:
            if key in services.MONEY_FIELDS or key == "land_mu":
                if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
                    raise ValueError(_("应为数字或数字字符串"))
                values[key] = parse_wan(raw, allow_negative=True) if key != "land_mu" else _area(raw)
            elif key in services.DATE_FIELDS:
                if not isinstance(raw, str):
                    raise ValueError(_("日期应为 YYYY-MM-DD 字符串"))
                values[key] = parse_user_date(raw)
            elif key in services.ID_FIELDS or key == "expected_jobs":
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise ValueError(_("应为整数"))
                values[key] = raw
            else:
                if not isinstance(raw, str):
                    raise ValueError(_("应为字符串"))
                values[key] = raw
        except ValueError as exc:
            errors[key] = [str(exc) or _("格式不正确")]
    return values, errors


def _checked_values(body: dict) -> tuple[dict, str | None]:
    """The body's project fields and the stage it asks for; any that is wrong refuses the
    whole request (422 with each field's message)."""
    values, errors = parse_fields(body)
    stage = body.get("stage")
    if stage is not None and stage not in ALL_STAGES:
        errors["stage"] = [_("请选择有效的阶段")]
    if errors:
        raise ServiceError(_("项目未保存：请更正标出的内容"), errors)
    return values, stage


@bp.route("", methods=["GET"])
@roles_required(*READ_ROLES)
def list_projects():
    """One page of the projects the caller reads, filtered and sorted like the list page."""
    filters = queries.ProjectFilters.from_args(request.args)
    page, per_page = page_args()
    rows, total = queries.page_and_total(filters, current_user, per_page, page)
    return page_json([serialize(r) for r in rows], total, page, per_page)


@bp.route("", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_project():
    """Add a project (at a stage, with the dates that stage needs); field errors answer 422."""
    require_write()
    body = json_body()
    values, stage = _checked_values(body)
    if "owner_id" not in body:  # as the form: the officer who records it follows it up
        values["owner_id"] = current_user.id
    if stage:
        values["stage"] = stage
        values["note"] = body.get("note")
    project = services.create_project(values, current_user)
    return committed(serialize_one, project, status=201)


@bp.route("/<int:project_id>", methods=["GET"])
@roles_required(*READ_ROLES)
def get_project(project_id: int):
    """One project, named as the caller may read it (a confidential project's code name)."""
    return jsonify(serialize_one(load_or_404(Project, project_id)))


@bp.route("/<int:project_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_project(project_id: int):
    """Change a project or move its stage; the body's ``version`` must be the stored one."""
    project = writable(Project, project_id)
    confidential.require_real_name(project)  # as the edit form: owner and managers only
    body = json_body()
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ServiceError(_("修改须提供记录当前的 version"), {"version": [_("必须提供整数 version")]})
    values, stage = _checked_values(body)

    def change() -> Project:
        services.update_project(project, values, current_user, version)
        if stage and stage != project.stage:
            pipeline.move_stage(project, stage, current_user, note=body.get("note"))
        return project

    return saved_at_version(change, serialize_one)


@bp.route("/<int:project_id>/stage-changes", methods=["GET"])
@roles_required(*READ_ROLES)
def stage_changes(project_id: int):
    """A project's moves between stages, oldest first."""
    return page_under(
        Project,
        project_id,
        StageChange.project_id,
        columns_dict,
        order_by=(StageChange.changed_at, StageChange.id),
    )
