"""OpenAPI paths and schemas of the projects API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.projects.models import ALL_STAGES, FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS
from crm.projects.services import DATE_FIELDS, EDITABLE_FIELDS, ID_FIELDS, MONEY_FIELDS

__all__ = ["PATHS", "SCHEMAS"]

AREA_OR_NULL = {"type": ["string", "null"], "description": "亩, decimal as text"}
# What a request may send for an amount (万元) or an area (亩, land_mu): decimal text or a number.
NUMBER_IN = {
    "type": ["string", "number", "null"],
    "description": "万元 (亩 for land_mu): decimal text or number",
}
RECORD_COLUMNS = ("id", "county_id", "created_at", "updated_at")


def _field(key: str) -> dict:
    if key in MONEY_FIELDS:
        return spec.MONEY_OR_NULL
    if key == "land_mu":
        return AREA_OR_NULL
    if key in DATE_FIELDS:
        return spec.DATE_OR_NULL
    if key in ID_FIELDS or key == "expected_jobs":
        return spec.ID_OR_NULL  # an integer or null
    return spec.TEXT_OR_NULL


PROJECT_PROPERTIES = {
    "id": spec.INTEGER,
    "county_id": spec.INTEGER,
    "version": spec.INTEGER,
    "stage": {"type": "string", "enum": list(ALL_STAGES)},
    "created_at": spec.TIMESTAMP,
    "updated_at": spec.TIMESTAMP,
    **{key: _field(key) for key in EDITABLE_FIELDS},
    "name": {
        "type": "string",
        "description": "the code name for confidential projects unless the caller owns or manages it",
    },
    "local_company_confirmation": {
        **spec.TEXT_OR_NULL,
        "description": "a manager's reason for accepting a local company whose credit code names a "
        "region outside the city; sending a new one as anyone else is refused (422)",
    },
    "local_company_confirmed_by_id": spec.ID_OR_NULL,
    "local_company_confirmed_at": spec.TIMESTAMP_OR_NULL,
}
# A request: amounts may be numbers; the record's own columns are read-only (ignored); any
# other field is refused (422).
PROJECT_INPUTS = {
    **{
        key: ({**value, "readOnly": True} if key in RECORD_COLUMNS else value)
        for key, value in PROJECT_PROPERTIES.items()
        if key not in ("local_company_confirmed_by_id", "local_company_confirmed_at")
    },
    **{key: NUMBER_IN for key in (*MONEY_FIELDS, "land_mu")},
    "name": spec.NON_EMPTY,
    "owner_id": {**spec.ID_OR_NULL, "description": "the officer following it up; left out: the caller"},
    "note": spec.TEXT_OR_NULL,
    "kind": {"enum": list(PROJECT_KINDS)},
    "source_channel": {"enum": list(SOURCE_CHANNELS)},
    "capital_origin": {"enum": [*FUND_ORIGINS, "", None]},
}

SCHEMAS = {
    "Project": spec.obj(
        {
            **PROJECT_PROPERTIES,
            "warnings": {
                "type": "array",
                "items": spec.STRING,
                "description": "where the local company was registered, when it is not the county "
                "itself (single-project answers)",
            },
        },
        required=("id", "name", "stage", "version"),
    ),
    "ProjectInput": spec.obj(PROJECT_INPUTS, required=("name",), closed=True),
    "ProjectPatch": spec.obj(PROJECT_INPUTS, required=("version",), closed=True),
    "StageChange": spec.obj(
        {
            "id": spec.INTEGER,
            "county_id": spec.INTEGER,
            "project_id": spec.INTEGER,
            "from_stage": spec.TEXT_OR_NULL,
            "to_stage": spec.STRING,
            "changed_at": spec.TIMESTAMP,
            "reached_on": spec.DATE,
            "changed_by_id": spec.ID_OR_NULL,
            "note": spec.TEXT_OR_NULL,
        }
    ),
}

PATHS = {
    "/projects": {
        "get": spec.get_page(
            "Projects of the caller's counties (filters: stage, owner_id, q)",
            "Project",
            "A page of projects",
            parameters=[
                spec.query("stage", {"enum": list(ALL_STAGES)}),
                spec.query_id("owner_id"),
                spec.query("q", spec.STRING),
            ],
            refusals=("401",),
        ),
        "post": spec.create(
            "Create a project (optionally at a stage, under the pipeline rules)",
            "Project",
            "ProjectInput",
            refusals=("422", "403"),
        ),
    },
    "/projects/{project_id}": spec.at(
        "project_id",
        get=spec.get_one("One project", "Project", "The project"),
        patch=spec.change(
            "Change fields and/or the stage; `version` is required, a stale one answers 409",
            "Project",
            "ProjectPatch",
            "Saved",
            refusals=("404", "409", "422"),
        ),
    ),
    "/projects/{project_id}/stage-changes": spec.at(
        "project_id",
        get=spec.get_page(
            "Stage history of a project", "StageChange", "Stage changes, oldest first", refusals=("404",)
        ),
    ),
}
