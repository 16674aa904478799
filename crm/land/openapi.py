"""OpenAPI paths and schemas of the land API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import DATE_OR_NULL, PAGE_PARAMETERS, PROBLEM, TEXT_OR_NULL, TIMESTAMP, query_id
from crm.land.models import CARRIER_KINDS, LAND_USES, PARCEL_STATUSES, PARK_KINDS

__all__ = ["PATHS", "SCHEMAS"]

DECIMAL = {"type": "string", "description": "decimal as text"}
DECIMAL_OR_NULL = {"type": ["string", "null"], "description": "decimal as text"}
COMMON = {
    "id": {"type": "integer"},
    "county_id": {"type": "integer"},
    "version": {"type": "integer"},
    "created_at": TIMESTAMP,
    "updated_at": TIMESTAMP,
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _one(name: str) -> dict:
    return {"description": name, "content": {"application/json": {"schema": _ref(name)}}}


def _page(name: str) -> dict:
    schema = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }
    return {"description": f"{name} list", "content": {"application/json": {"schema": schema}}}


SCHEMAS = {
    "Park": {
        "type": "object",
        "properties": {
            **COMMON,
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(PARK_KINDS)},
            "area_mu": DECIMAL_OR_NULL,
            "host_county": TEXT_OR_NULL,
            "share_percent": {**DECIMAL_OR_NULL, "description": "飞地: this county's share, percent"},
            "sharing_note": TEXT_OR_NULL,
        },
    },
    "Parcel": {
        "type": "object",
        "properties": {
            **COMMON,
            "park_id": {"type": "integer"},
            "code": {"type": "string"},
            "area_mu": DECIMAL,
            "land_use": {"type": "string", "enum": list(LAND_USES)},
            "standard": {"type": "boolean", "description": "标准地"},
            "investment_intensity_wan": DECIMAL_OR_NULL,
            "output_per_mu_wan": DECIMAL_OR_NULL,
            "tax_per_mu_wan": DECIMAL_OR_NULL,
            "plot_ratio": DECIMAL_OR_NULL,
            "energy_per_output": DECIMAL_OR_NULL,
            "status": {"type": "string", "enum": list(PARCEL_STATUSES)},
            "approved_on": DATE_OR_NULL,
            "supplied_on": DATE_OR_NULL,
            "agreed_start_on": DATE_OR_NULL,
            "grid_row": {"type": "integer"},
            "grid_col": {"type": "integer"},
            "note": TEXT_OR_NULL,
        },
    },
    "Carrier": {
        "type": "object",
        "properties": {
            **COMMON,
            "park_id": {"type": "integer"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(CARRIER_KINDS)},
            "floor_area_m2": DECIMAL,
            "vacant_area_m2": DECIMAL,
            "industries": TEXT_OR_NULL,
        },
    },
    "LandEfficiency": {
        "type": "object",
        "properties": {
            "county_id": {"type": "integer"},
            "year": {"type": "integer"},
            "items": {"type": "array", "items": {"type": "object"}},
        },
    },
}

ID = {"in": "path", "required": True, "schema": {"type": "integer"}}
READ = {"403": PROBLEM}
PATHS = {
    "/parks": {
        "get": {
            "summary": "The parks of the caller's counties",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": _page("Park"), **READ},
        }
    },
    "/parks/{park_id}": {
        "parameters": [{"name": "park_id", **ID}],
        "get": {"summary": "One park", "responses": {"200": _one("Park"), **READ}},
    },
    "/parcels": {
        "get": {
            "summary": "Parcels (optionally of one park)",
            "parameters": [
                *PAGE_PARAMETERS,
                query_id("park_id"),
            ],
            "responses": {"200": _page("Parcel"), **READ},
        }
    },
    "/parcels/{parcel_id}": {
        "parameters": [{"name": "parcel_id", **ID}],
        "get": {"summary": "One parcel", "responses": {"200": _one("Parcel"), **READ}},
    },
    "/carriers": {
        "get": {
            "summary": "Standard factories and buildings",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": _page("Carrier"), **READ},
        }
    },
    "/carriers/{carrier_id}": {
        "parameters": [{"name": "carrier_id", **ID}],
        "get": {"summary": "One carrier", "responses": {"200": _one("Carrier"), **READ}},
    },
    "/land-efficiency": {
        "get": {
            "summary": "A county's year of 亩均效益: figures, scores, total, class A–D, ranks",
            "parameters": [
                {
                    "name": "year",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
                },
                query_id("county", "needed when the caller reads several counties"),
            ],
            "responses": {"200": _one("LandEfficiency"), **READ, "404": PROBLEM},
        }
    },
}
