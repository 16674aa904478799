"""OpenAPI paths and schemas of the chains API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from chains.vocabulary import IMPORTANCES, PRESENCES, ROLES, STAGES, STATUSES
from crm.api import openapi as spec

__all__ = ["PATHS", "SCHEMAS"]

CHAIN_ID = spec.path_id("chain_id")
# Every chain operation may refuse a token without the module (401) or a role (403).
REFUSALS = ("401", "403")


def _of_chain(summary: str, name: str, description: str) -> dict:
    """A GET of the chain the path names, answering ``name``."""
    return spec.get_one(summary, name, description, refusals=(*REFUSALS, "404"), parameters=[CHAIN_ID])


PATHS = {
    "/chains": {
        "get": spec.get_one(
            "Chains of the readable counties (paginated)",
            "ChainPage",
            "A page of chains",
            refusals=REFUSALS,
            parameters=spec.PAGE_PARAMETERS,
        )
    },
    "/chains/{chain_id}": {
        "get": _of_chain("One chain with its segments, supply links and firms", "ChainDetail", "The chain")
    },
    "/chains/{chain_id}/analysis": {
        "get": _of_chain(
            "Gap analysis: statuses, completeness, local supply rates, critical gaps",
            "ChainAnalysis",
            "The analysis",
        )
    },
    "/chains/{chain_id}/links": {
        "post": spec.create(
            "Add a supply link; 422 when it would close a cycle",
            "Link",
            "LinkInput",
            "The new link",
            refusals=(*REFUSALS, "404", "422"),
            parameters=[CHAIN_ID],
        )
    },
}

SEGMENT = spec.obj(
    {
        "id": spec.INTEGER,
        "name": spec.STRING,
        "stage": {"type": "string", "enum": list(STAGES)},
        "importance": {"type": "string", "enum": list(IMPORTANCES)},
        "parent_id": spec.ID_OR_NULL,
        "sort_order": spec.INTEGER,
    }
)
FIRM = spec.obj(
    {
        "id": spec.INTEGER,
        "segment_id": spec.INTEGER,
        "company_id": spec.INTEGER,
        "company_name": spec.STRING,
        "company_uscc": spec.TEXT_OR_NULL,
        "role": {"type": "string", "enum": list(ROLES)},
        "presence": {"type": "string", "enum": list(PRESENCES)},
        "note": spec.TEXT_OR_NULL,
    }
)

SCHEMAS = {
    "Chain": spec.obj(
        {
            "id": spec.INTEGER,
            "county_id": spec.INTEGER,
            "name": spec.STRING,
            "leader_official": spec.TEXT_OR_NULL,
            "description": spec.TEXT_OR_NULL,
            "template_key": spec.TEXT_OR_NULL,
            **spec.STAMPS,
        },
        required=("id", "county_id", "name", "version"),
    ),
    "ChainPage": spec.page_of("Chain"),
    "ChainDetail": {
        "allOf": [
            spec.ref("Chain"),
            spec.obj(
                {
                    "segments": spec.list_of(SEGMENT),
                    "links": spec.list_of(spec.ref("Link")),
                    "firms": spec.list_of(FIRM),
                }
            ),
        ]
    },
    "Link": spec.obj(
        {"id": spec.INTEGER, "supplier_id": spec.INTEGER, "consumer_id": spec.INTEGER},
        required=("id", "supplier_id", "consumer_id"),
    ),
    "LinkInput": spec.obj(
        {"supplier_id": spec.INTEGER, "consumer_id": spec.INTEGER},
        required=("supplier_id", "consumer_id"),
    ),
    "ChainAnalysis": spec.obj(
        {
            "chain_id": spec.INTEGER,
            "completeness": {"type": "number", "minimum": 0, "maximum": 1},
            "counts": {"type": "object", "additionalProperties": spec.INTEGER},
            "statuses": spec.list_of(
                spec.obj(
                    {
                        "segment_id": spec.INTEGER,
                        "name": spec.STRING,
                        "status": {"type": "string", "enum": list(STATUSES)},
                    }
                )
            ),
            "local_supply_rates": spec.list_of(
                spec.obj(
                    {
                        "segment_id": spec.INTEGER,
                        "segment": spec.STRING,
                        "company": spec.STRING,
                        "presence": {"type": "string", "enum": list(PRESENCES)},
                        "rate": {"type": "number", "minimum": 0, "maximum": 1},
                    }
                )
            ),
            "critical_gaps": spec.list_of(
                spec.obj(
                    {
                        "segment_id": spec.INTEGER,
                        "name": spec.STRING,
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "score": spec.INTEGER,
                    }
                )
            ),
            "extension_suggestions": spec.list_of(
                spec.obj(
                    {
                        "name": spec.STRING,
                        "stage": {"type": "string", "enum": list(STAGES)},
                        "importance": {"type": "string", "enum": list(IMPORTANCES)},
                    }
                )
            ),
        }
    ),
}
