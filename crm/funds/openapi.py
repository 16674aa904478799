"""OpenAPI paths and schemas of the funds API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import ID_OR_NULL, MONEY, PAGE_PARAMETERS, PROBLEM, TEXT_OR_NULL, TIMESTAMP
from crm.core.db import MAX_INTEGER
from crm.funds.models import FUND_ORIGINS

__all__ = ["PATHS", "SCHEMAS"]


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _body(name: str) -> dict:
    return {"required": True, **_json(_ref(name))}


RECORD_PROPERTIES = {
    "id": {"type": "integer", "readOnly": True},
    "county_id": {"type": "integer", "readOnly": True},
    "project_id": {"type": "integer", "readOnly": True},
    "month": {"type": "string", "format": "date", "description": "the month's first day"},
    "origin": {"type": "string", "enum": list(FUND_ORIGINS)},
    "amount_wan": MONEY,
    "evidence_ref": {"type": ["string", "null"], "maxLength": 200},
    "note": TEXT_OR_NULL,
    "created_by_id": {**ID_OR_NULL, "readOnly": True},
    "version": {"type": "integer"},
    "created_at": {**TIMESTAMP, "readOnly": True},
    "updated_at": {**TIMESTAMP, "readOnly": True},
}
# A request writes the month as YYYY-MM and may send the amount as a number.
RECORD_INPUT = {
    "type": "object",
    "properties": {
        **RECORD_PROPERTIES,
        "month": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "YYYY-MM"},
        "amount_wan": {"type": ["string", "number"], "description": "万元 (decimal text or number); > 0"},
    },
}
PAGE = {
    "type": "object",
    "properties": {
        "items": {"type": "array", "items": _ref("FundsRecord")},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "per_page": {"type": "integer"},
    },
}
PROJECT_ID = {"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}}
RECORD_ID = {"name": "record_id", "in": "path", "required": True, "schema": {"type": "integer"}}
VERSION_PARAMETER = {
    "name": "version",
    "in": "query",
    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER},
    "description": "the version deleted (or in the body); a stale one answers 409",
}
RECORD = {"description": "Record", **_json(_ref("FundsRecord"))}

PATHS = {
    "/projects/{project_id}/funds": {
        "parameters": [PROJECT_ID],
        "get": {
            "summary": "A project's funds in place (到位资金), newest month first",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": {"description": "Page", **_json(PAGE)}, "404": PROBLEM},
        },
        "post": {
            "summary": "Report funds in place; the same project, month and origin twice answers 409",
            "requestBody": _body("FundsInput"),
            "responses": {
                "201": {**RECORD, "description": "Created"},
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/funds/{record_id}": {
        "parameters": [RECORD_ID],
        "get": {"summary": "One funds record", "responses": {"200": RECORD, "404": PROBLEM}},
        "patch": {
            "summary": "Change a record; `version` is required, a stale one answers 409",
            "requestBody": _body("FundsPatch"),
            "responses": {
                "200": {**RECORD, "description": "Changed"},
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
        "delete": {
            "summary": "Delete a record (optional `version`: stale answers 409)",
            "parameters": [VERSION_PARAMETER],
            "responses": {"204": {"description": "Deleted"}, "403": PROBLEM, "404": PROBLEM, "409": PROBLEM},
        },
    },
}

SCHEMAS = {
    "FundsRecord": {
        "type": "object",
        "properties": RECORD_PROPERTIES,
        "required": ["month", "origin", "amount_wan"],
    },
    "FundsInput": {**RECORD_INPUT, "required": ["month", "origin", "amount_wan"]},
    "FundsPatch": {
        "type": "object",
        "required": ["version"],
        "properties": {**RECORD_INPUT["properties"], "version": {"type": "integer", "minimum": 0}},
    },
}
