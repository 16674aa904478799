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
    **spec.READ_ONLY_STAMPS,
}
# What a request may carry: a new activity names its kind, day and subject; a change carries
# the version it was made on.
ACTIVITY_INPUT = spec.obj(
    {**ACTIVITY_PROPERTIES, "subject": {"type": "string", "minLength": 1, "maxLength": 200}}
)
PATHS = {
    "/activities": {
        "get": spec.get_page(
            "The readable counties' activities on projects (跟进记录), newest first",
            "ActivityRow",
            parameters=[
                spec.query("kind", {"type": "string", "enum": list(ACTIVITY_KINDS)}),
                spec.query("created_by", spec.ID_QUERY, "the user who recorded it"),
                spec.query("project_id", spec.ID_QUERY),
                spec.query("date_from", spec.STRING, "occurred on or after (a date as users write it)"),
                spec.query("date_to", spec.STRING, "occurred on or before"),
                spec.query("q", spec.STRING, "words in the subject or summary"),
            ],
        )
    },
    "/projects/{project_id}/activities": spec.at(
        "project_id",
        get=spec.get_page("A project's activities (跟进记录), newest first", "Activity", refusals=("404",)),
        post=spec.create(
            "Record an activity; next_follow_up_on also sets the project's", "Activity", "ActivityInput"
        ),
    ),
    "/activities/{activity_id}": spec.record_path(
        "activity_id", "Activity", "ActivityPatch", "an activity", read="One activity", description="Activity"
    ),
}

SCHEMAS = {
    "Activity": spec.obj(ACTIVITY_PROPERTIES, required=("kind", "occurred_on", "subject")),
    "ActivityRow": spec.obj(
        {
            **ACTIVITY_PROPERTIES,
            "project_name": spec.PROJECT_NAME,
        },
        required=("kind", "occurred_on", "subject", "project_name"),
    ),
    "ActivityInput": {**ACTIVITY_INPUT, "required": ["kind", "occurred_on", "subject"]},
    "ActivityPatch": spec.versioned(ACTIVITY_INPUT["properties"], {"type": "integer", "minimum": 0}),
}
