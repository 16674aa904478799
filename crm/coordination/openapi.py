"""OpenAPI paths and schemas of transfers, agreements and collision alerts."""

from __future__ import annotations

from crm.api.openapi import (
    DATE,
    ID_OR_NULL,
    PAGE_PARAMETERS,
    PROBLEM,
    TEXT_OR_NULL,
    TIMESTAMP,
    TIMESTAMP_OR_NULL,
)
from crm.coordination.models import (
    AGREEMENT_KINDS,
    COLLISION_MATCHES,
    COLLISION_RULINGS,
    TRANSFER_REASONS,
    TRANSFER_STATUSES,
)
from crm.core.db import MAX_INTEGER

__all__ = ["PATHS", "SCHEMAS"]

PERCENT = {"type": "string", "description": "percent, decimal as text (0–100, two decimals)"}
PERCENT_INPUT = {"type": ["string", "number"], "description": "percent, 0–100, at most two decimals"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}
VERSION = {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(name: str) -> dict:
    return _json(
        {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": _ref(name)},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
            },
        }
    )


TRANSFER = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "project_id": {"type": "integer"},
        "project_name": {
            "type": "string",
            "description": "the code name of a confidential project, except for its owner and county managers",
        },
        "from_county_id": {"type": "integer"},
        "to_county_id": {"type": "integer"},
        "reason": {"type": "string", "enum": list(TRANSFER_REASONS)},
        "note": TEXT_OR_NULL,
        "status": {"type": "string", "enum": list(TRANSFER_STATUSES)},
        "from_share_percent": {
            **PERCENT,
            "description": "the offering county's share; the receiver holds the rest",
        },
        "years": {"type": "integer"},
        "offered_by_id": {"type": "integer"},
        "answered_by_id": ID_OR_NULL,
        "answered_at": TIMESTAMP_OR_NULL,
        "answer_note": TEXT_OR_NULL,
        "collision_id": ID_OR_NULL,
        "version": {"type": "integer"},
        "created_at": TIMESTAMP,
    },
}
OFFER_INPUT = {
    "type": "object",
    "required": ["project_id", "to_county_id", "reason", "from_share_percent", "years"],
    "properties": {
        "project_id": ID,
        "to_county_id": ID,
        "reason": {"type": "string", "enum": list(TRANSFER_REASONS)},
        "from_share_percent": PERCENT_INPUT,
        "years": {"type": "integer", "minimum": 1, "maximum": 30},
        "note": {"type": ["string", "null"], "maxLength": 2000},
    },
    "additionalProperties": False,
}
ANSWER_INPUT = {
    "type": "object",
    "required": ["version"],
    "properties": {"version": VERSION, "note": {"type": ["string", "null"], "maxLength": 2000}},
    "additionalProperties": False,
}
AGREEMENT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "project_id": {"type": "integer"},
        "project_name": {"type": "string"},
        "kind": {"type": "string", "enum": list(AGREEMENT_KINDS)},
        "origin_county_id": {"type": "integer"},
        "host_county_id": {"type": "integer"},
        "park": TEXT_OR_NULL,
        "starts_on": DATE,
        "years": {"type": "integer"},
        "transfer_id": ID_OR_NULL,
        "shares": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "county_id": {"type": "integer"},
                    "funds_percent": PERCENT,
                    "output_percent": PERCENT,
                    "tax_percent": PERCENT,
                },
            },
        },
    },
}
ALERT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "county_a_id": {"type": "integer"},
        "county_b_id": {"type": "integer"},
        "match": {"type": "string", "enum": list(COLLISION_MATCHES)},
        "company_label": {"type": "string"},
        "first_county_id": {
            "type": "integer",
            "description": "the county that recorded first contact (首谈)",
        },
        "first_contact_a": DATE,
        "first_contact_b": DATE,
        "status": {"type": "string", "enum": ["open", "ruled"]},
        "ruling": {"type": ["string", "null"], "enum": [*COLLISION_RULINGS, None]},
        "lead_county_id": ID_OR_NULL,
        "ruling_note": TEXT_OR_NULL,
        "ruled_by_id": ID_OR_NULL,
        "ruled_at": TIMESTAMP_OR_NULL,
        "version": {"type": "integer"},
        "created_at": TIMESTAMP,
        "projects": {
            "type": "array",
            "description": "each county's project; another county's by code name only and without its id",
            "items": {
                "type": "object",
                "properties": {
                    "county_id": {"type": "integer"},
                    "project_id": ID_OR_NULL,
                    "name": {"type": "string"},
                },
            },
        },
    },
}
RULING_INPUT = {
    "type": "object",
    "required": ["version", "ruling"],
    "properties": {
        "version": VERSION,
        "ruling": {"type": "string", "enum": list(COLLISION_RULINGS)},
        "lead_county_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_INTEGER},
        "note": {"type": ["string", "null"], "maxLength": 2000},
        "from_share_percent": PERCENT_INPUT,
        "years": {"type": "integer", "minimum": 1, "maximum": 30},
    },
    "additionalProperties": False,
}
ERRORS = {"403": PROBLEM, "404": PROBLEM, "409": PROBLEM, "422": PROBLEM}
TRANSFER_ID = {"name": "transfer_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ALERT_ID = {"name": "alert_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _answer(summary: str) -> dict:
    return {
        "parameters": [TRANSFER_ID],
        "post": {
            "summary": summary,
            "requestBody": {"required": True, **_json(ANSWER_INPUT)},
            "responses": {"200": {"description": "Transfer", **_json(_ref("Transfer"))}, **ERRORS},
        },
    }


PATHS = {
    "/transfers": {
        "get": {
            "summary": "Transfers naming a county the reader reads",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": {"description": "Page", **_page_of("Transfer")}},
        },
        "post": {
            "summary": "Offer a project to another county (a manager of its county)",
            "requestBody": {"required": True, **_json(OFFER_INPUT)},
            "responses": {"201": {"description": "Transfer", **_json(_ref("Transfer"))}, **ERRORS},
        },
    },
    "/transfers/{transfer_id}": {
        "parameters": [TRANSFER_ID],
        "get": {
            "summary": "One transfer",
            "responses": {"200": {"description": "Transfer", **_json(_ref("Transfer"))}},
        },
    },
    "/transfers/{transfer_id}/accept": _answer(
        "Accept (a manager of the receiving county): the project moves"
    ),
    "/transfers/{transfer_id}/decline": _answer("Decline (a manager of the receiving county), with a note"),
    "/agreements": {
        "get": {
            "summary": "Benefit-sharing agreements naming a county the reader reads",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": {"description": "Page", **_page_of("BenefitAgreement")}},
        }
    },
    "/collisions": {
        "get": {
            "summary": "Collision alerts (撞车) the reader may see",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": {"description": "Page", **_page_of("CollisionAlert")}},
        }
    },
    "/collisions/{alert_id}": {
        "parameters": [ALERT_ID],
        "get": {
            "summary": "One collision alert",
            "responses": {"200": {"description": "Alert", **_json(_ref("CollisionAlert"))}},
        },
    },
    "/collisions/{alert_id}/ruling": {
        "parameters": [ALERT_ID],
        "post": {
            "summary": "Rule on a collision (a coordinator over both counties)",
            "requestBody": {"required": True, **_json(RULING_INPUT)},
            "responses": {"200": {"description": "Alert", **_json(_ref("CollisionAlert"))}, **ERRORS},
        },
    },
}
SCHEMAS = {"Transfer": TRANSFER, "BenefitAgreement": AGREEMENT, "CollisionAlert": ALERT}
