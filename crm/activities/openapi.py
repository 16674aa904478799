"""OpenAPI paths and schemas of the activities API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.activities.models import ACTIVITY_KINDS
from crm.api import openapi as spec

__all__ = ["PATHS", "SCHEMAS"]

ACTIVITY_PROPERTIES = {
    "id": {"type": "integer", "readOnly": True},
    "county_id": {"type": "integer", "readOnly": True},
    "project_id": {**spec.ID_OR_NULL, "readOnly": True},
    "company_id": {**spec.ID_OR_NULL, "readOnly": True},
    "kind": {"type": "string", "enum": list(ACTIVITY_KINDS)},
    "occurred_on": spec.DATE,
    "subject": {"type": "string", "maxLength": 200},
    "participants": spec.TEXT_OR_NULL,
    "summary": spec.TEXT_OR_NULL,
    "next_step": spec.TEXT_OR_NULL,
    "next_follow_up_on": {**spec.DATE_OR_NULL, "description": "Also becomes the project's next_follow_up_on"},
    "created_by_id": {**spec.ID_OR_NULL, "readOnly": True},
    "version": {"type": "integer"},
    "created_at": {**spec.TIMESTAMP, "readOnly": True},
    "updated_at": {**spec.TIMESTAMP, "readOnly": True},
}
# What a request may carry: a new activity names its kind, day and subject; a change carries
# the version it was made on.
ACTIVITY_INPUT = {
    "type": "object",
    "properties": {**ACTIVITY_PROPERTIES, "subject": {"type": "string", "minLength": 1, "maxLength": 200}},
}
PATHS = {
    "/projects/{project_id}/activities": {
        "parameters": [spec.path_id("project_id")],
        "get": spec.operation(
            "A project's activities (跟进记录), newest first",
            "200",
            "Page",
            spec.page_of("Activity"),
            refusals=("404",),
            parameters=spec.PAGE_PARAMETERS,
        ),
        "post": spec.operation(
            "Record an activity; next_follow_up_on also sets the project's",
            "201",
            "Created",
            spec.ref("Activity"),
            refusals=("403", "404", "422"),
            body=spec.ref("ActivityInput"),
        ),
    },
    "/activities/{activity_id}": {
        "parameters": [spec.path_id("activity_id")],
        "get": spec.operation("One activity", "200", "Activity", spec.ref("Activity"), refusals=("404",)),
        "patch": spec.operation(
            "Change an activity; `version` is required, a stale one answers 409",
            "200",
            "Changed",
            spec.ref("Activity"),
            refusals=("403", "404", "409", "422"),
            body=spec.ref("ActivityPatch"),
        ),
        "delete": spec.operation(
            "Delete an activity (optional `version`: stale answers 409)",
            "204",
            "Deleted",
            refusals=("403", "404", "409"),
            parameters=[spec.VERSION_QUERY],
        ),
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
