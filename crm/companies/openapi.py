"""OpenAPI paths and schemas of the companies and contacts API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.companies.models import COMPANY_SIZES, COMPANY_TAGS

__all__ = ["PATHS", "SCHEMAS"]

COMPANY_ID = spec.path_id("company_id")
COMPANY_FIELDS_IN = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "uscc": spec.TEXT_OR_NULL,
    "industry_code": spec.TEXT_OR_NULL,
    "headquarters": spec.TEXT_OR_NULL,
    "size": {"enum": [*COMPANY_SIZES, None]},
    "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
    "website": spec.TEXT_OR_NULL,
    "description": spec.TEXT_OR_NULL,
}
CONTACT_FIELDS_IN = {
    "name": spec.NON_EMPTY,
    "title": spec.TEXT_OR_NULL,
    "phone": spec.TEXT_OR_NULL,
    "email": spec.TEXT_OR_NULL,
    "wechat": spec.TEXT_OR_NULL,
    "note": spec.TEXT_OR_NULL,
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
            "headquarters": spec.TEXT_OR_NULL,
            "size": {"enum": [*COMPANY_SIZES, None]},
            "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
            "website": spec.TEXT_OR_NULL,
            "description": spec.TEXT_OR_NULL,
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
            "title": spec.TEXT_OR_NULL,
            "phone": spec.TEXT_OR_NULL,
            "email": spec.TEXT_OR_NULL,
            "wechat": spec.TEXT_OR_NULL,
            "note": spec.TEXT_OR_NULL,
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
        "get": spec.operation(
            "Companies (shared master data), searched by name, credit code or tag",
            "200",
            "A page of companies",
            spec.page_of("Company", required=True),
            refusals=("403",),
            parameters=[
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {"name": "tag", "in": "query", "schema": {"enum": list(COMPANY_TAGS)}},
                *spec.PAGE_PARAMETERS,
            ],
        ),
        "post": spec.operation(
            "Create a company; a known USCC answers 422, similar names 409 unless not_duplicate",
            "201",
            "Created",
            spec.ref("Company"),
            refusals=("403", "409", "422"),
            body=spec.ref("CompanyInput"),
        ),
    },
    "/companies/{company_id}": {
        "parameters": [COMPANY_ID],
        "get": spec.operation("One company", "200", "The company", spec.ref("Company"), refusals=("404",)),
        "patch": spec.operation(
            "Change a company; requires version, a stale one answers 409",
            "200",
            "Saved",
            spec.ref("Company"),
            refusals=("403", "404", "409", "422"),
            body=spec.ref("CompanyPatch"),
        ),
    },
    "/companies/{company_id}/contacts": {
        "parameters": [COMPANY_ID],
        "get": spec.operation(
            "Your county's contacts of a company",
            "200",
            "A page of contacts",
            spec.page_of("Contact", required=True),
            refusals=("404",),
            parameters=spec.PAGE_PARAMETERS,
        ),
        "post": spec.operation(
            "Add a contact (owned by your county)",
            "201",
            "Created",
            spec.ref("Contact"),
            refusals=("403", "404", "422"),
            body=spec.ref("ContactInput"),
        ),
    },
    "/contacts": {
        "get": spec.operation(
            "All contacts your scope may read (your county's)",
            "200",
            "A page of contacts",
            spec.page_of("Contact", required=True),
            refusals=("403",),
            parameters=spec.PAGE_PARAMETERS,
        ),
    },
    "/contacts/{contact_id}": {
        "parameters": [spec.path_id("contact_id")],
        "get": spec.operation(
            "One contact of your county", "200", "The contact", spec.ref("Contact"), refusals=("404",)
        ),
        "patch": spec.operation(
            "Change a contact; requires version, a stale one answers 409",
            "200",
            "Saved",
            spec.ref("Contact"),
            refusals=("403", "404", "409", "422"),
            body=spec.ref("ContactPatch"),
        ),
        "delete": spec.operation("Delete a contact", "204", "Deleted", refusals=("403", "404")),
    },
}
