"""OpenAPI paths and schemas of transfers, agreements and collision alerts."""

from __future__ import annotations

from crm.api import openapi as spec
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


TRANSFER = spec.obj(
    {
        "id": spec.INTEGER,
        "project_id": spec.INTEGER,
        "project_name": spec.PROJECT_NAME,
        "from_county_id": spec.INTEGER,
        "to_county_id": spec.INTEGER,
        "reason": {"type": "string", "enum": list(TRANSFER_REASONS)},
        "note": spec.TEXT_OR_NULL,
        "status": {"type": "string", "enum": list(TRANSFER_STATUSES)},
        "from_share_percent": {
            **PERCENT,
            "description": "the offering county's share; the receiver holds the rest",
        },
        "years": spec.INTEGER,
        "offered_by_id": spec.INTEGER,
        "answered_by_id": spec.ID_OR_NULL,
        "answered_at": spec.TIMESTAMP_OR_NULL,
        "answer_note": spec.TEXT_OR_NULL,
        "collision_id": spec.ID_OR_NULL,
        "version": spec.INTEGER,
        "created_at": spec.TIMESTAMP,
    }
)
OFFER_INPUT = spec.obj(
    {
        "project_id": ID,
        "to_county_id": ID,
        "reason": {"type": "string", "enum": list(TRANSFER_REASONS)},
        "from_share_percent": PERCENT_INPUT,
        "years": {"type": "integer", "minimum": 1, "maximum": 30},
        "note": {"type": ["string", "null"], "maxLength": 2000},
    },
    required=("project_id", "to_county_id", "reason", "from_share_percent", "years"),
    closed=True,
)
ANSWER_INPUT = spec.obj(
    {"version": VERSION, "note": {"type": ["string", "null"], "maxLength": 2000}},
    required=("version",),
    closed=True,
)
AGREEMENT = spec.obj(
    {
        "id": spec.INTEGER,
        "project_id": spec.INTEGER,
        "project_name": spec.STRING,
        "kind": {"type": "string", "enum": list(AGREEMENT_KINDS)},
        "origin_county_id": spec.INTEGER,
        "host_county_id": spec.INTEGER,
        "park": spec.TEXT_OR_NULL,
        "starts_on": spec.DATE,
        "years": spec.INTEGER,
        "transfer_id": spec.ID_OR_NULL,
        "shares": spec.list_of(
            spec.obj(
                {
                    "county_id": spec.INTEGER,
                    "funds_percent": PERCENT,
                    "output_percent": PERCENT,
                    "tax_percent": PERCENT,
                }
            )
        ),
    }
)
ALERT = spec.obj(
    {
        "id": spec.INTEGER,
        "county_a_id": spec.INTEGER,
        "county_b_id": spec.INTEGER,
        "match": {"type": "string", "enum": list(COLLISION_MATCHES)},
        "company_label": spec.STRING,
        "first_county_id": {
            "type": "integer",
            "description": "the county that recorded first contact (首谈)",
        },
        "first_contact_a": spec.DATE,
        "first_contact_b": spec.DATE,
        "status": {"type": "string", "enum": ["open", "ruled"]},
        "ruling": {"type": ["string", "null"], "enum": [*COLLISION_RULINGS, None]},
        "lead_county_id": spec.ID_OR_NULL,
        "ruling_note": spec.TEXT_OR_NULL,
        "ruled_by_id": spec.ID_OR_NULL,
        "ruled_at": spec.TIMESTAMP_OR_NULL,
        "version": spec.INTEGER,
        "created_at": spec.TIMESTAMP,
        "projects": {
            "type": "array",
            "description": "each county's project; another county's by code name only and without its id",
            "items": spec.obj(
                {
                    "county_id": spec.INTEGER,
                    "project_id": spec.ID_OR_NULL,
                    "name": spec.STRING,
                }
            ),
        },
    }
)
RULING_INPUT = spec.obj(
    {
        "version": VERSION,
        "ruling": {"type": "string", "enum": list(COLLISION_RULINGS)},
        "lead_county_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_INTEGER},
        "note": {"type": ["string", "null"], "maxLength": 2000},
        "from_share_percent": PERCENT_INPUT,
        "years": {"type": "integer", "minimum": 1, "maximum": 30},
    },
    required=("version", "ruling"),
    closed=True,
)
ERRORS = ("403", "404", "409", "422")


def _answer(summary: str) -> dict:
    return spec.at(
        "transfer_id", post=spec.change(summary, "Transfer", ANSWER_INPUT, "Transfer", refusals=ERRORS)
    )


PATHS = {
    "/transfers": {
        "get": spec.get_page("Transfers naming a county the reader reads", "Transfer"),
        "post": spec.create(
            "Offer a project to another county (a manager of its county)",
            "Transfer",
            OFFER_INPUT,
            "Transfer",
            refusals=ERRORS,
        ),
    },
    "/transfers/{transfer_id}": spec.at(
        "transfer_id", get=spec.get_one("One transfer", "Transfer", "Transfer", refusals=())
    ),
    "/transfers/{transfer_id}/accept": _answer(
        "Accept (a manager of the receiving county): the project moves"
    ),
    "/transfers/{transfer_id}/decline": _answer("Decline (a manager of the receiving county), with a note"),
    "/agreements": {
        "get": spec.get_page(
            "Benefit-sharing agreements naming a county the reader reads", "BenefitAgreement"
        )
    },
    "/collisions": {"get": spec.get_page("Collision alerts (撞车) the reader may see", "CollisionAlert")},
    "/collisions/{alert_id}": spec.at(
        "alert_id", get=spec.get_one("One collision alert", "CollisionAlert", "Alert", refusals=())
    ),
    "/collisions/{alert_id}/ruling": spec.at(
        "alert_id",
        post=spec.change(
            "Rule on a collision (a coordinator over both counties)",
            "CollisionAlert",
            RULING_INPUT,
            "Alert",
            refusals=ERRORS,
        ),
    ),
}
SCHEMAS = {"Transfer": TRANSFER, "BenefitAgreement": AGREEMENT, "CollisionAlert": ALERT}
