"""OpenAPI paths and schemas of the companies and contacts API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import PAGE_PARAMETERS, PROBLEM, TEXT_OR_NULL
from crm.companies.models import COMPANY_SIZES, COMPANY_TAGS

__all__ = ["PATHS", "SCHEMAS"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page_of(name: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }


COMPANY_ID = {"name": "company_id", "in": "path", "required": True, "schema": {"type": "integer"}}
CONTACT_ID = {"name": "contact_id", "in": "path", "required": True, "schema": {"type": "integer"}}
COMPANY_FIELDS_IN = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "uscc": TEXT_OR_NULL,
    "industry_code": TEXT_OR_NULL,
    "headquarters": TEXT_OR_NULL,
    "size": {"enum": [*COMPANY_SIZES, None]},
    "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
    "website": TEXT_OR_NULL,
    "description": TEXT_OR_NULL,
}
CONTACT_FIELDS_IN = {
    "name": {"type": "string", "minLength": 1},
    "title": TEXT_OR_NULL,
    "phone": TEXT_OR_NULL,
    "email": TEXT_OR_NULL,
    "wechat": TEXT_OR_NULL,
    "note": TEXT_OR_NULL,
}

SCHEMAS = {
    "Company": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "name_key": {"type": "string", "description": "normalised name used for duplicate search"},
            "uscc": {"type": ["string", "null"], "description": "统一社会信用代码, 18 characters"},
            "industry_code": {"type": ["string", "null"], "description": "GB/T 4754-2017: A–T or 2–4 digits"},
            "headquarters": TEXT_OR_NULL,
            "size": {"enum": [*COMPANY_SIZES, None]},
            "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
            "website": TEXT_OR_NULL,
            "description": TEXT_OR_NULL,
            "created_by_county_id": {"type": ["integer", "null"]},
            "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "warnings": {
                "type": "array",
                "items": {"type": "string"},
                "description": "USCC doubts that do not block saving (single-record answers)",
            },
        },
        "required": ["id", "name", "tags", "version"],
    },
    "CompanyInput": {
        "type": "object",
        "properties": {
            **COMPANY_FIELDS_IN,
            "not_duplicate": {"type": "boolean", "description": "create even though similar names exist"},
        },
        "required": ["name"],
    },
    # A change names only fields it changes, and the version it was made on; nothing else.
    "CompanyPatch": {
        "type": "object",
        "properties": {
            **COMPANY_FIELDS_IN,
            "version": {"type": "integer", "description": "the version you edited"},
        },
        "required": ["version"],
        "additionalProperties": False,
    },
    "Contact": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "company_id": {"type": "integer"},
            "name": {"type": "string"},
            "title": TEXT_OR_NULL,
            "phone": TEXT_OR_NULL,
            "email": TEXT_OR_NULL,
            "wechat": TEXT_OR_NULL,
            "note": TEXT_OR_NULL,
            "created_by_id": {"type": ["integer", "null"]},
            "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
        "required": ["id", "county_id", "company_id", "name", "version"],
    },
    "ContactInput": {"type": "object", "properties": CONTACT_FIELDS_IN, "required": ["name"]},
    "ContactPatch": {
        "type": "object",
        "properties": {
            **CONTACT_FIELDS_IN,
            "version": {"type": "integer", "description": "the version you edited"},
        },
        "required": ["version"],
    },
}

PATHS = {
    "/companies": {
        "get": {
            "summary": "Companies (shared master data), searched by name, credit code or tag",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {"name": "tag", "in": "query", "schema": {"enum": list(COMPANY_TAGS)}},
                *PAGE_PARAMETERS,
            ],
            "responses": {"200": _json(_page_of("Company"), "A page of companies"), "403": PROBLEM},
        },
        "post": {
            "summary": "Create a company; a known USCC answers 422, similar names 409 unless not_duplicate",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("CompanyInput")}},
            },
            "responses": {
                "201": _json(_ref("Company"), "Created"),
                "403": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/companies/{company_id}": {
        "parameters": [COMPANY_ID],
        "get": {
            "summary": "One company",
            "responses": {"200": _json(_ref("Company"), "The company"), "404": PROBLEM},
        },
        "patch": {
            "summary": "Change a company; requires version, a stale one answers 409",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("CompanyPatch")}},
            },
            "responses": {
                "200": _json(_ref("Company"), "Saved"),
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/companies/{company_id}/contacts": {
        "parameters": [COMPANY_ID],
        "get": {
            "summary": "Your county's contacts of a company",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": _json(_page_of("Contact"), "A page of contacts"), "404": PROBLEM},
        },
        "post": {
            "summary": "Add a contact (owned by your county)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ContactInput")}},
            },
            "responses": {
                "201": _json(_ref("Contact"), "Created"),
                "403": PROBLEM,
                "404": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/contacts": {
        "get": {
            "summary": "All contacts your scope may read (your county's)",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": _json(_page_of("Contact"), "A page of contacts"), "403": PROBLEM},
        },
    },
    "/contacts/{contact_id}": {
        "parameters": [CONTACT_ID],
        "get": {
            "summary": "One contact of your county",
            "responses": {"200": _json(_ref("Contact"), "The contact"), "404": PROBLEM},
        },
        "patch": {
            "summary": "Change a contact; requires version, a stale one answers 409",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ContactPatch")}},
            },
            "responses": {
                "200": _json(_ref("Contact"), "Saved"),
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
        "delete": {
            "summary": "Delete a contact",
            "responses": {"204": {"description": "Deleted"}, "403": PROBLEM, "404": PROBLEM},
        },
    },
}
