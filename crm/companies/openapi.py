"""OpenAPI paths and schemas of the companies and contacts API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.companies.models import COMPANY_SIZES, COMPANY_TAGS

__all__ = ["PATHS", "SCHEMAS"]

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
EDITED_VERSION = {"type": "integer", "description": "the version you edited"}
CONTACT_FIELDS_IN = {
    "name": spec.NON_EMPTY,
    "title": spec.TEXT_OR_NULL,
    "phone": spec.TEXT_OR_NULL,
    "email": spec.TEXT_OR_NULL,
    "wechat": spec.TEXT_OR_NULL,
    "note": spec.TEXT_OR_NULL,
}

SCHEMAS = {
    "Company": spec.obj(
        {
            "id": spec.INTEGER,
            "name": spec.STRING,
            "name_key": {"type": "string", "description": "normalised name used for duplicate search"},
            "uscc": {"type": ["string", "null"], "description": "统一社会信用代码, 18 characters"},
            "industry_code": {"type": ["string", "null"], "description": "GB/T 4754-2017: A–T or 2–4 digits"},
            "headquarters": spec.TEXT_OR_NULL,
            "size": {"enum": [*COMPANY_SIZES, None]},
            "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
            "website": spec.TEXT_OR_NULL,
            "description": spec.TEXT_OR_NULL,
            "created_by_county_id": spec.ID_OR_NULL,
            **spec.STAMPS,
            "warnings": {
                "type": "array",
                "items": spec.STRING,
                "description": "USCC doubts that do not block saving (single-record answers)",
            },
        },
        required=("id", "name", "tags", "version"),
    ),
    "CompanyInput": spec.obj(
        {
            **COMPANY_FIELDS_IN,
            "not_duplicate": {"type": "boolean", "description": "create even though similar names exist"},
        },
        required=("name",),
    ),
    # A change names only fields it changes, and the version it was made on; nothing else.
    "CompanyPatch": spec.versioned(COMPANY_FIELDS_IN, EDITED_VERSION, closed=True),
    "Contact": spec.obj(
        {
            "id": spec.INTEGER,
            "county_id": spec.INTEGER,
            "company_id": spec.INTEGER,
            "name": spec.STRING,
            "title": spec.TEXT_OR_NULL,
            "phone": spec.TEXT_OR_NULL,
            "email": spec.TEXT_OR_NULL,
            "wechat": spec.TEXT_OR_NULL,
            "note": spec.TEXT_OR_NULL,
            "created_by_id": spec.ID_OR_NULL,
            **spec.STAMPS,
        },
        required=("id", "county_id", "company_id", "name", "version"),
    ),
    "ContactInput": spec.obj(CONTACT_FIELDS_IN, required=("name",)),
    "ContactPatch": spec.versioned(CONTACT_FIELDS_IN, EDITED_VERSION),
}

PATHS = {
    "/companies": {
        "get": spec.get_page(
            "Companies (shared master data), searched by name, credit code or tag",
            "Company",
            "A page of companies",
            parameters=[spec.query("q", spec.STRING), spec.query("tag", {"enum": list(COMPANY_TAGS)})],
            refusals=("403",),
            required=True,
        ),
        "post": spec.create(
            "Create a company; a known USCC answers 422, similar names 409 unless not_duplicate",
            "Company",
            "CompanyInput",
            refusals=("403", "409", "422"),
        ),
    },
    "/companies/{company_id}": spec.at(
        "company_id",
        get=spec.get_one("One company", "Company", "The company"),
        patch=spec.change(
            "Change a company; requires version, a stale one answers 409", "Company", "CompanyPatch", "Saved"
        ),
    ),
    "/companies/{company_id}/contacts": spec.at(
        "company_id",
        get=spec.get_page(
            "Your county's contacts of a company",
            "Contact",
            "A page of contacts",
            refusals=("404",),
            required=True,
        ),
        post=spec.create("Add a contact (owned by your county)", "Contact", "ContactInput"),
    ),
    "/contacts": {
        "get": spec.get_page(
            "All contacts your scope may read (your county's)",
            "Contact",
            "A page of contacts",
            refusals=("403",),
            required=True,
        ),
    },
    "/contacts/{contact_id}": spec.at(
        "contact_id",
        get=spec.get_one("One contact of your county", "Contact", "The contact"),
        patch=spec.change(
            "Change a contact; requires version, a stale one answers 409", "Contact", "ContactPatch", "Saved"
        ),
        delete=spec.delete("Delete a contact", refusals=("403", "404"), parameters=()),
    ),
}
