"""OpenAPI paths and schemas of the chains API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from chains.vocabulary import IMPORTANCES, PRESENCES, ROLES, STAGES, STATUSES
from crm.api.openapi import ID_OR_NULL, PAGE_PARAMETERS, PROBLEM, TEXT_OR_NULL, TIMESTAMP

__all__ = ["PATHS", "SCHEMAS"]

CHAIN_ID = {"name": "chain_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _answers(ok: str, description: str, schema: dict | None, *problems: str) -> dict:
    answer = {"description": description, **({"content": _json(schema)} if schema else {})}
    return {ok: answer, **{code: PROBLEM for code in ("401", "403", *problems)}}


def _object(properties: dict, required: tuple[str, ...] = ()) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


PATHS = {
    "/chains": {
        "get": {
            "summary": "Chains of the readable counties (paginated)",
            "parameters": PAGE_PARAMETERS,
            "responses": _answers("200", "A page of chains", _ref("ChainPage")),
        }
    },
    "/chains/{chain_id}": {
        "get": {
            "summary": "One chain with its segments, supply links and firms",
            "parameters": [CHAIN_ID],
            "responses": _answers("200", "The chain", _ref("ChainDetail"), "404"),
        }
    },
    "/chains/{chain_id}/analysis": {
        "get": {
            "summary": "Gap analysis: statuses, completeness, local supply rates, critical gaps",
            "parameters": [CHAIN_ID],
            "responses": _answers("200", "The analysis", _ref("ChainAnalysis"), "404"),
        }
    },
    "/chains/{chain_id}/links": {
        "post": {
            "summary": "Add a supply link; 422 when it would close a cycle",
            "parameters": [CHAIN_ID],
            "requestBody": {"required": True, "content": _json(_ref("LinkInput"))},
            "responses": _answers("201", "The new link", _ref("Link"), "404", "422"),
        }
    },
}

SEGMENT = _object(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "stage": {"type": "string", "enum": list(STAGES)},
        "importance": {"type": "string", "enum": list(IMPORTANCES)},
        "parent_id": ID_OR_NULL,
        "sort_order": {"type": "integer"},
    }
)
FIRM = _object(
    {
        "id": {"type": "integer"},
        "segment_id": {"type": "integer"},
        "company_id": {"type": "integer"},
        "company_name": {"type": "string"},
        "company_uscc": TEXT_OR_NULL,
        "role": {"type": "string", "enum": list(ROLES)},
        "presence": {"type": "string", "enum": list(PRESENCES)},
        "note": TEXT_OR_NULL,
    }
)

SCHEMAS = {
    "Chain": _object(
        {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "name": {"type": "string"},
            "leader_official": TEXT_OR_NULL,
            "description": TEXT_OR_NULL,
            "template_key": TEXT_OR_NULL,
            "version": {"type": "integer"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
        required=("id", "county_id", "name", "version"),
    ),
    "ChainPage": _object(
        {
            "items": {"type": "array", "items": _ref("Chain")},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        }
    ),
    "ChainDetail": {
        "allOf": [
            _ref("Chain"),
            _object(
                {
                    "segments": {"type": "array", "items": SEGMENT},
                    "links": {"type": "array", "items": _ref("Link")},
                    "firms": {"type": "array", "items": FIRM},
                }
            ),
        ]
    },
    "Link": _object(
        {"id": {"type": "integer"}, "supplier_id": {"type": "integer"}, "consumer_id": {"type": "integer"}},
        required=("id", "supplier_id", "consumer_id"),
    ),
    "LinkInput": _object(
        {"supplier_id": {"type": "integer"}, "consumer_id": {"type": "integer"}},
        required=("supplier_id", "consumer_id"),
    ),
    "ChainAnalysis": _object(
        {
            "chain_id": {"type": "integer"},
            "completeness": {"type": "number", "minimum": 0, "maximum": 1},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "statuses": {
                "type": "array",
                "items": _object(
                    {
                        "segment_id": {"type": "integer"},
                        "name": {"type": "string"},
                        "status": {"type": "string", "enum": list(STATUSES)},
                    }
                ),
            },
            "local_supply_rates": {
                "type": "array",
                "items": _object(
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
                "items": _object(
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
                "items": _object(
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
