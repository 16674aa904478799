"""OpenAPI paths and schemas of the chains API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from chains.vocabulary import IMPORTANCES, PRESENCES, ROLES, STAGES, STATUSES
from crm.api import openapi as spec

__all__ = ["PATHS", "SCHEMAS"]

CHAIN_ID = spec.path_id("chain_id")
# Every chain spec.operation may refuse a token without the module (401) or a role (403).
REFUSALS = ("401", "403")


PATHS = {
    "/chains": {
        "get": spec.operation(
            "Chains of the readable counties (paginated)",
            "200",
            "A page of chains",
            spec.ref("ChainPage"),
            refusals=REFUSALS,
            parameters=spec.PAGE_PARAMETERS,
        )
    },
    "/chains/{chain_id}": {
        "get": spec.operation(
            "One chain with its segments, supply links and firms",
            "200",
            "The chain",
            spec.ref("ChainDetail"),
            refusals=(*REFUSALS, "404"),
            parameters=[CHAIN_ID],
        )
    },
    "/chains/{chain_id}/analysis": {
        "get": spec.operation(
            "Gap analysis: statuses, completeness, local supply rates, critical gaps",
            "200",
            "The analysis",
            spec.ref("ChainAnalysis"),
            refusals=(*REFUSALS, "404"),
            parameters=[CHAIN_ID],
        )
    },
    "/chains/{chain_id}/links": {
        "post": spec.operation(
            "Add a supply link; 422 when it would close a cycle",
            "201",
            "The new link",
            spec.ref("Link"),
            refusals=(*REFUSALS, "404", "422"),
            parameters=[CHAIN_ID],
            body=spec.ref("LinkInput"),
        )
    },
}

SEGMENT = spec.obj(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "stage": {"type": "string", "enum": list(STAGES)},
        "importance": {"type": "string", "enum": list(IMPORTANCES)},
        "parent_id": spec.ID_OR_NULL,
        "sort_order": {"type": "integer"},
    }
)
FIRM = spec.obj(
    {
        "id": {"type": "integer"},
        "segment_id": {"type": "integer"},
        "company_id": {"type": "integer"},
        "company_name": {"type": "string"},
        "company_uscc": spec.TEXT_OR_NULL,
        "role": {"type": "string", "enum": list(ROLES)},
        "presence": {"type": "string", "enum": list(PRESENCES)},
        "note": spec.TEXT_OR_NULL,
    }
)

SCHEMAS = {
    "Chain": spec.obj(
        {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "name": {"type": "string"},
            "leader_official": spec.TEXT_OR_NULL,
            "description": spec.TEXT_OR_NULL,
            "template_key": spec.TEXT_OR_NULL,
            "version": {"type": "integer"},
            "created_at": spec.TIMESTAMP,
            "updated_at": spec.TIMESTAMP,
        },
        required=("id", "county_id", "name", "version"),
    ),
    "ChainPage": spec.page_of("Chain"),
    "ChainDetail": {
        "allOf": [
            spec.ref("Chain"),
            spec.obj(
                {
                    "segments": {"type": "array", "items": SEGMENT},
                    "links": {"type": "array", "items": spec.ref("Link")},
                    "firms": {"type": "array", "items": FIRM},
                }
            ),
        ]
    },
    "Link": spec.obj(
        {"id": {"type": "integer"}, "supplier_id": {"type": "integer"}, "consumer_id": {"type": "integer"}},
        required=("id", "supplier_id", "consumer_id"),
    ),
    "LinkInput": spec.obj(
        {"supplier_id": {"type": "integer"}, "consumer_id": {"type": "integer"}},
        required=("supplier_id", "consumer_id"),
    ),
    "ChainAnalysis": spec.obj(
        {
            "chain_id": {"type": "integer"},
            "completeness": {"type": "number", "minimum": 0, "maximum": 1},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "statuses": {
                "type": "array",
                "items": spec.obj(
                    {
                        "segment_id": {"type": "integer"},
                        "name": {"type": "string"},
                        "status": {"type": "string", "enum": list(STATUSES)},
                    }
                ),
            },
            "local_supply_rates": {
                "type": "array",
                "items": spec.obj(
                    {
                        "segment_id": {"type": "integer"},
                        "segment": {"type": "string"},
                        "company": {"type": "string"},
                        "presence": {"type": "string", "enum": list(PRESENCES)},
                        "rate": {"type": "number", "minimum": 0, "maximum": 1},
                    }
                ),
            },
            "critical_gaps": {
                "type": "array",
                "items": spec.obj(
                    {
                        "segment_id": {"type": "integer"},
                        "name": {"type": "string"},
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "score": {"type": "integer"},
                    }
                ),
            },
            "extension_suggestions": {
                "type": "array",
                "items": spec.obj(
                    {
                        "name": {"type": "string"},
                        "stage": {"type": "string", "enum": list(STAGES)},
                        "importance": {"type": "string", "enum": list(IMPORTANCES)},
                    }
                ),
            },
        }
    ),
}
