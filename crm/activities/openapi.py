"""OpenAPI paths and schemas of the activities API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.activities.models import ACTIVITY_KINDS
from crm.api.openapi import (
    DATE,
    DATE_OR_NULL,
    ID_OR_NULL,
    PAGE_PARAMETERS,
    PROBLEM,
    TEXT_OR_NULL,
    TIMESTAMP,
)
from crm.core.db import MAX_INTEGER

__all__ = ["PATHS", "SCHEMAS"]


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


ACTIVITY_PROPERTIES = {
    "id": {"type": "integer", "readOnly": True},
    "county_id": {"type": "integer", "readOnly": True},
    "project_id": {**ID_OR_NULL, "readOnly": True},
    "company_id": {**ID_OR_NULL, "readOnly": True},
    "kind": {"type": "string", "enum": list(ACTIVITY_KINDS)},
    "occurred_on": DATE,
    "subject": {"type": "string", "maxLength": 200},
    "participants": TEXT_OR_NULL,
    "summary": TEXT_OR_NULL,
    "next_step": TEXT_OR_NULL,
    "next_follow_up_on": {**DATE_OR_NULL, "description": "Also becomes the project's next_follow_up_on"},
    "created_by_id": {**ID_OR_NULL, "readOnly": True},
    "version": {"type": "integer"},
    "created_at": {**TIMESTAMP, "readOnly": True},
    "updated_at": {**TIMESTAMP, "readOnly": True},
}
# What a request may carry: a new activity names its kind, day and subject; a change carries
# the version it was made on.
ACTIVITY_INPUT = {
    "type": "object",
    "properties": {**ACTIVITY_PROPERTIES, "subject": {"type": "string", "minLength": 1, "maxLength": 200}},
}
PAGE = {
    "type": "object",
    "properties": {
        "items": {"type": "array", "items": _ref("Activity")},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
    },
}
ACTIVITY_ID = {"name": "activity_id", "in": "path", "required": True, "schema": {"type": "integer"}}
PROJECT_ID = {"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}}
VERSION_PARAMETER = {
    "name": "version",
    "in": "query",
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER},
    "description": "the version deleted (or in the body); a stale one answers 409",
}

PATHS = {
    "/projects/{project_id}/activities": {
        "parameters": [PROJECT_ID],
        "get": {
            "summary": "A project's activities (跟进记录), newest first",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": {"description": "Page", **_json(PAGE)}, "404": PROBLEM},
        },
        "post": {
            "summary": "Record an activity; next_follow_up_on also sets the project's",
            "requestBody": {"required": True, **_json(_ref("ActivityInput"))},
            "responses": {
                "201": {"description": "Created", **_json(_ref("Activity"))},
                "403": PROBLEM,
                "404": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/activities/{activity_id}": {
        "parameters": [ACTIVITY_ID],
        "get": {
            "summary": "One activity",
            "responses": {"200": {"description": "Activity", **_json(_ref("Activity"))}, "404": PROBLEM},
        },
        "patch": {
            "summary": "Change an activity; `version` is required, a stale one answers 409",
            "requestBody": {"required": True, **_json(_ref("ActivityPatch"))},
            "responses": {
                "200": {"description": "Changed", **_json(_ref("Activity"))},
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
        "delete": {
            "summary": "Delete an activity (optional `version`: stale answers 409)",
            "parameters": [VERSION_PARAMETER],
            "responses": {
                "204": {"description": "Deleted"},
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
            },
        },
    },
}

SCHEMAS = {
    "Activity": {
        "type": "object",
        "properties": ACTIVITY_PROPERTIES,
        "required": ["kind", "occurred_on", "subject"],
    },
    "ActivityInput": {**ACTIVITY_INPUT, "required": ["kind", "occurred_on", "subject"]},
    "ActivityPatch": {
        "type": "object",
        "required": ["version"],
        "properties": {**ACTIVITY_INPUT["properties"], "version": {"type": "integer", "minimum": 0}},
    },
}
