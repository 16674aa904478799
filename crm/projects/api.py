"""/api/v1/projects: list, create, read, patch (stage moves through the pipeline rules)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.api.util import columns_dict, json_body, page_args, page_json, paginate
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import MAX_INTEGER, db
from crm.core.errors import ServiceError
from crm.projects import confidential, pipeline, queries, services
from crm.projects.models import ALL_STAGES, FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, Project, StageChange
from crm.util.dates import parse_user_date
from crm.util.money import parse_wan

bp = Blueprint("projects_api", __name__, url_prefix="/api/v1/projects")
READ_ONLY = {"id", "county_id", "created_at", "updated_at", "version", "stage", "note"}


def serialize(project: Project) -> dict:
    data = columns_dict(project)
    data["name"] = project.name_for(current_user)
    return data


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


@bp.route("", methods=["GET"])
@roles_required(*READ_ROLES)
def list_projects():
    filters = queries.ProjectFilters.from_args(request.args)
    page, per_page = page_args()
    total = queries.count(filters, current_user)
    rows = db.session.execute(queries.page_select(filters, current_user, per_page, page)).unique().scalars()
    return page_json([serialize(r) for r in rows], total, page, per_page)


@bp.route("", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_project():
    require_write()
    body = json_body()
    values, errors = parse_fields(body)
    stage = body.get("stage")
    if stage is not None and stage not in ALL_STAGES:
        errors["stage"] = [_("请选择有效的阶段")]
    if errors:
        raise ServiceError(_("项目未保存：请更正标出的内容"), errors)
    if stage:
        values["stage"] = stage
        values["note"] = body.get("note")
    project = services.create_project(values, current_user)
    db.session.commit()
    return jsonify(serialize(project)), 201


@bp.route("/<int:project_id>", methods=["GET"])
@roles_required(*READ_ROLES)
def get_project(project_id: int):
    return jsonify(serialize(load_or_404(Project, project_id)))


@bp.route("/<int:project_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_project(project_id: int):
    project = load_or_404(Project, project_id)
    require_write(project)
    confidential.require_real_name(project)  # as the edit form: owner and managers only
    body = json_body()
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ServiceError(_("修改须提供记录当前的 version"), {"version": [_("必须提供整数 version")]})
    values, errors = parse_fields(body)
    stage = body.get("stage")
    if stage is not None and stage not in ALL_STAGES:
        errors["stage"] = [_("请选择有效的阶段")]
    if errors:
        raise ServiceError(_("项目未保存：请更正标出的内容"), errors)
    services.update_project(project, values, current_user, version)
    if stage and stage != project.stage:
        pipeline.move_stage(project, stage, current_user, note=body.get("note"))
    db.session.commit()
    return jsonify(serialize(project))


@bp.route("/<int:project_id>/stage-changes", methods=["GET"])
@roles_required(*READ_ROLES)
def stage_changes(project_id: int):
    project = load_or_404(Project, project_id)
    statement = (
        select(StageChange)
        .where(StageChange.project_id == project.id)
        .order_by(StageChange.changed_at, StageChange.id)
    )
    return paginate(statement, columns_dict)


def _schema() -> dict:
    string, number, integer = (
        {"type": ["string", "null"]},
        {"type": ["string", "null"], "description": "万元, decimal string"},
        {"type": ["integer", "null"]},
    )
    number_in = {
        "type": ["string", "number", "null"],
        "description": "万元 (亩 for land_mu): decimal text or number",
    }
    day = {"type": ["string", "null"], "format": "date"}
    properties = {
        "id": {"type": "integer"},
        "county_id": {"type": "integer"},
        "version": {"type": "integer"},
        "stage": {"type": "string", "enum": list(ALL_STAGES)},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    }
    for key in services.EDITABLE_FIELDS:
        if key in services.MONEY_FIELDS or key == "land_mu":
            properties[key] = number
        elif key in services.DATE_FIELDS:
            properties[key] = day
        elif key in services.ID_FIELDS or key == "expected_jobs":
            properties[key] = integer
        else:
            properties[key] = string
    properties["name"] = {
        "type": "string",
        "description": "the code name for confidential projects unless the caller owns or manages it",
    }
    # A request: amounts may be numbers; the record's own columns are read-only (ignored); any
    # other field is refused (422).
    inputs = {
        k: ({**v, "readOnly": True} if k in ("id", "county_id", "created_at", "updated_at") else v)
        for k, v in properties.items()
    }
    inputs.update({k: number_in for k in (*services.MONEY_FIELDS, "land_mu")})
    inputs.update(
        {
            "name": {"type": "string", "minLength": 1},
            "note": {"type": ["string", "null"]},
            "kind": {"enum": list(PROJECT_KINDS)},
            "source_channel": {"enum": list(SOURCE_CHANNELS)},
            "capital_origin": {"enum": [*FUND_ORIGINS, "", None]},
        }
    )
    change = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "project_id": {"type": "integer"},
            "from_stage": {"type": ["string", "null"]},
            "to_stage": {"type": "string"},
            "changed_at": {"type": "string", "format": "date-time"},
            "reached_on": {"type": "string", "format": "date"},
            "changed_by_id": integer,
            "note": string,
        },
    }
    return {
        "Project": {
            "type": "object",
            "properties": properties,
            "required": ["id", "name", "stage", "version"],
        },
        "ProjectInput": {
            "type": "object",
            "properties": inputs,
            "required": ["name"],
            "additionalProperties": False,
        },
        "ProjectPatch": {
            "type": "object",
            "properties": inputs,
            "required": ["version"],
            "additionalProperties": False,
        },
        "StageChange": change,
    }


def _list_of(ref: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": ref}},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }


def openapi_paths() -> dict:
    from crm.api.openapi import PAGE_PARAMETERS

    problem = {"$ref": "#/components/responses/Problem"}
    one = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Project"}}}}
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectInput"}}},
    }
    patch = {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectPatch"}}},
    }
    pid = [{"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    query = [
        {"name": "stage", "in": "query", "schema": {"enum": list(ALL_STAGES)}},
        {
            "name": "owner_id",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER},
        },
        {"name": "q", "in": "query", "schema": {"type": "string"}},
        *PAGE_PARAMETERS,
    ]
    return {
        "/projects": {
            "get": {
                "summary": "Projects of the caller's counties (filters: stage, owner_id, q)",
                "parameters": query,
                "responses": {
                    "200": {
                        "description": "A page of projects",
                        "content": {"application/json": {"schema": _list_of("#/components/schemas/Project")}},
                    },
                    "401": problem,
                },
            },
            "post": {
                "summary": "Create a project (optionally at a stage, under the pipeline rules)",
                "requestBody": body,
                "responses": {"201": {"description": "Created", **one}, "422": problem, "403": problem},
            },
        },
        "/projects/{project_id}": {
            "get": {
                "summary": "One project",
                "parameters": pid,
                "responses": {"200": {"description": "The project", **one}, "404": problem},
            },
            "patch": {
                "summary": "Change fields and/or the stage; `version` is required, a stale one answers 409",
                "parameters": pid,
                "requestBody": patch,
                "responses": {
                    "200": {"description": "Saved", **one},
                    "404": problem,
                    "409": problem,
                    "422": problem,
                },
            },
        },
        "/projects/{project_id}/stage-changes": {
            "get": {
                "summary": "Stage history of a project",
                "parameters": [*pid, *PAGE_PARAMETERS],
                "responses": {
                    "200": {
                        "description": "Stage changes, oldest first",
                        "content": {
                            "application/json": {"schema": _list_of("#/components/schemas/StageChange")}
                        },
                    },
                    "404": problem,
                },
            },
        },
    }


def init_api(app) -> None:
    from crm.api.openapi import register_paths

    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bp)
    register_paths("projects", openapi_paths(), _schema())
