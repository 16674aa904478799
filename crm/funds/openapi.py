"""OpenAPI paths and schemas of the funds API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import (
    ID_OR_NULL,
    MONEY,
    MONEY_OR_NULL,
    PAGE_PARAMETERS,
    PROBLEM,
    TEXT_OR_NULL,
    TIMESTAMP,
    TIMESTAMP_OR_NULL,
)
from crm.core.db import MAX_INTEGER
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS, STANDINGS

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
    "origin": {
        "type": "string",
        "enum": list(FUND_ORIGINS),
        "description": "省外, 市外省内, 市内县外, 境外 (境外 is entered in 万美元)",
    },
    "exclusion": {
        "type": "string",
        "enum": list(EXCLUSIONS),
        "default": "none",
        "description": "money the indicator leaves out (bank loan, government, local); none counts",
    },
    "amount_wan": {**MONEY, "description": "万元; for 境外 money the dollars converted (read-only then)"},
    "amount_usd_wan": {**MONEY_OR_NULL, "description": "万美元, 境外 money only"},
    "usd_rate": {
        "type": ["string", "null"],
        "readOnly": True,
        "description": "CNY per USD of the month (the province's rate)",
    },
    "confirmed_at": {**TIMESTAMP_OR_NULL, "readOnly": True, "description": "a manager's 认定"},
    "confirmed_by_id": {**ID_OR_NULL, "readOnly": True},
    "standing": {
        "type": "string",
        "enum": list(STANDINGS),
        "readOnly": True,
        "description": "counted (confirmed, not excluded), pending (awaiting 认定) or excluded",
    },
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
        "amount_usd_wan": {
            "type": ["string", "number", "null"],
            "description": "万美元 (境外 money, instead of amount_wan); > 0",
        },
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
VERSION_BODY = {
    "required": True,
    **_json(
        {
            "type": "object",
            "required": ["version"],
            "properties": {"version": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}},
        }
    ),
}
AMOUNTS = {"type": "object", "additionalProperties": MONEY}
SUMMARY = {
    "type": "object",
    "properties": {
        "year": {"type": "integer"},
        "counted_wan": MONEY,
        "counted_by_origin_wan": AMOUNTS,
        "pending_wan": MONEY,
        "pending_records": {"type": "integer"},
        "excluded_wan": MONEY,
        "excluded_by_kind_wan": AMOUNTS,
    },
}


def _confirmation(summary: str) -> dict:
    return {
        "parameters": [RECORD_ID],
        "post": {
            "summary": summary,
            "requestBody": VERSION_BODY,
            "responses": {
                "200": RECORD,
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    }


RATE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "province_id": {"type": "integer", "readOnly": True},
        "month": {"type": "string", "format": "date", "description": "the month's first day"},
        "cny_per_usd": {"type": "string", "description": "CNY per USD, four decimals"},
        "source": TEXT_OR_NULL,
        "entered_by_id": {**ID_OR_NULL, "readOnly": True},
        "version": {"type": "integer"},
        "created_at": {**TIMESTAMP, "readOnly": True},
        "updated_at": {**TIMESTAMP, "readOnly": True},
    },
}
RATE_INPUT = {
    "type": "object",
    "required": ["month", "cny_per_usd"],
    "properties": {
        "month": {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "YYYY-MM"},
        "cny_per_usd": {"type": ["string", "number"], "description": "1 to 20, at most four decimals"},
        "source": {"type": ["string", "null"], "maxLength": 200},
        "version": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER},
    },
}

PATHS = {
    "/funds/rates": {
        "get": {
            "summary": "The USD rates of the user's province, latest month first",
            "responses": {
                "200": {
                    "description": "Rates",
                    **_json({"type": "object", "properties": {"items": {"type": "array", "items": RATE}}}),
                }
            },
        },
        "post": {
            "summary": "Enter or correct a month's rate (a province coordinator); a correction converts "
            "that month's 境外 records again; a stale `version` answers 409",
            "requestBody": {"required": True, **_json(RATE_INPUT)},
            "responses": {
                "200": {"description": "Saved", **_json(RATE)},
                "403": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/funds/summary": {
        "get": {
            "summary": "A year's funds of the readable counties: what counts (confirmed, not excluded) "
            "by origin, what awaits 认定, what is left out by kind",
            "parameters": [{"name": "year", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "Figures", **_json(SUMMARY)}, "422": PROBLEM},
        }
    },
    "/funds/{record_id}/confirm": _confirmation(
        "A manager's 认定 of the record at `version` (a changed record answers 409): it counts"
    ),
    "/funds/{record_id}/withdraw": _confirmation("A manager takes the 认定 back: the record stops counting"),
    "/projects/{project_id}/funds": {
        "parameters": [PROJECT_ID],
        "get": {
            "summary": "A project's funds in place (到位资金), newest month first",
            "parameters": PAGE_PARAMETERS,
            "responses": {"200": {"description": "Page", **_json(PAGE)}, "404": PROBLEM},
        },
        "post": {
            "summary": "Report funds in place (awaiting 认定); the same project, month, origin and kind "
            "twice answers 409",
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
    # amount_wan, or amount_usd_wan for 境外 money: the service names the one missing.
    "FundsInput": {**RECORD_INPUT, "required": ["month", "origin"]},
    "FundsPatch": {
        "type": "object",
        "required": ["version"],
        "properties": {**RECORD_INPUT["properties"], "version": {"type": "integer", "minimum": 0}},
    },
}
