"""OpenAPI paths and schemas of the funds API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec
from crm.core.db import MAX_INTEGER
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS, STANDINGS

__all__ = ["PATHS", "SCHEMAS"]

MONTH_IN = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "description": "YYYY-MM"}
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
    "amount_wan": {
        **spec.MONEY,
        "description": "万元; for 境外 money the dollars converted (read-only then)",
    },
    "amount_usd_wan": {**spec.MONEY_OR_NULL, "description": "万美元, 境外 money only"},
    "usd_rate": {
        "type": ["string", "null"],
        "readOnly": True,
        "description": "CNY per USD of the month (the province's rate)",
    },
    "confirmed_at": {**spec.TIMESTAMP_OR_NULL, "readOnly": True, "description": "a manager's 认定"},
    "confirmed_by_id": {**spec.ID_OR_NULL, "readOnly": True},
    "standing": {
        "type": "string",
        "enum": list(STANDINGS),
        "readOnly": True,
        "description": "counted (confirmed, not excluded), pending (awaiting 认定) or excluded",
    },
    "evidence_ref": {"type": ["string", "null"], "maxLength": 200},
    "note": spec.TEXT_OR_NULL,
    "created_by_id": {**spec.ID_OR_NULL, "readOnly": True},
    **spec.READ_ONLY_STAMPS,
}
# A request writes the month as YYYY-MM and may send the amount as a number.
RECORD_INPUT = spec.obj(
    {
        **RECORD_PROPERTIES,
        "month": MONTH_IN,
        "amount_wan": {"type": ["string", "number"], "description": "万元 (decimal text or number); > 0"},
        "amount_usd_wan": {
            "type": ["string", "number", "null"],
            "description": "万美元 (境外 money, instead of amount_wan); > 0",
        },
    }
)
VERSION_BODY = spec.obj(
    {"version": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}}, required=["version"]
)
AMOUNTS = {"type": "object", "additionalProperties": spec.MONEY}
SUMMARY = spec.obj(
    {
        "year": spec.INTEGER,
        "counted_wan": spec.MONEY,
        "counted_by_origin_wan": AMOUNTS,
        "pending_wan": spec.MONEY,
        "pending_records": spec.INTEGER,
        "excluded_wan": spec.MONEY,
        "excluded_by_kind_wan": AMOUNTS,
    }
)


def _confirmation(summary: str) -> dict:
    return spec.at("record_id", post=spec.change(summary, "FundsRecord", VERSION_BODY, "Record"))


RATE = spec.obj(
    {
        "id": {"type": "integer", "readOnly": True},
        "province_id": {"type": "integer", "readOnly": True},
        "month": {"type": "string", "format": "date", "description": "the month's first day"},
        "cny_per_usd": {"type": "string", "description": "CNY per USD, four decimals"},
        "source": spec.TEXT_OR_NULL,
        "entered_by_id": {**spec.ID_OR_NULL, "readOnly": True},
        **spec.READ_ONLY_STAMPS,
    }
)
RATE_INPUT = spec.obj(
    {
        "month": MONTH_IN,
        "cny_per_usd": {"type": ["string", "number"], "description": "1 to 20, at most four decimals"},
        "source": {"type": ["string", "null"], "maxLength": 200},
        "version": {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER},
    },
    required=("month", "cny_per_usd"),
)

PATHS = {
    "/funds/rates": {
        "get": spec.get_page("The USD rates of the user's province, latest month first", "ExchangeRate"),
        "post": spec.operation(
            "Enter or correct a month's rate (a province coordinator); a correction converts "
            "that month's 境外 records again and carries the rate's `version`: stale, or missing "
            "for a month that has a rate, it answers 409 with the stored rate",
            "200",
            "Saved",
            RATE,
            refusals=("403", "409", "422"),
            body=RATE_INPUT,
        ),
    },
    "/funds/summary": {
        "get": spec.operation(
            "A year's funds of the readable counties: what counts (confirmed, not excluded) "
            "by origin, what awaits 认定, what is left out by kind",
            "200",
            "Figures",
            SUMMARY,
            refusals=("422",),
            parameters=[spec.query("year", {"type": "integer", "minimum": 2000, "maximum": 2100})],
        )
    },
    "/funds": {
        "get": spec.get_page(
            "The readable counties' funds records (到位资金台账), latest month first",
            "FundsLedgerRow",
            parameters=[
                spec.query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}),
                spec.query("month", MONTH_IN),
                spec.query("standing", {"type": "string", "enum": list(STANDINGS)}),
                spec.query("project_id", spec.ID_QUERY),
            ],
        )
    },
    "/funds/{record_id}/confirm": _confirmation(
        "A manager's 认定 of the record at `version` (a changed record answers 409): it counts"
    ),
    "/funds/{record_id}/withdraw": _confirmation("A manager takes the 认定 back: the record stops counting"),
    "/projects/{project_id}/funds": spec.at(
        "project_id",
        get=spec.get_page(
            "A project's funds in place (到位资金), newest month first", "FundsRecord", refusals=("404",)
        ),
        post=spec.create(
            "Report funds in place (awaiting 认定); the same project, month, origin and kind twice answers 409",
            "FundsRecord",
            "FundsInput",
            refusals=("403", "404", "409", "422"),
        ),
    ),
    "/funds/{record_id}": spec.record_path(
        "record_id", "FundsRecord", "FundsPatch", "a record", read="One funds record", description="Record"
    ),
}

SCHEMAS = {
    "ExchangeRate": RATE,
    "FundsRecord": spec.obj(RECORD_PROPERTIES, required=("month", "origin", "amount_wan")),
    "FundsLedgerRow": spec.obj(
        {**RECORD_PROPERTIES, "project_name": spec.PROJECT_NAME},
        required=("month", "origin", "amount_wan", "project_name"),
    ),
    # amount_wan, or amount_usd_wan for 境外 money: the service names the one missing.
    "FundsInput": {**RECORD_INPUT, "required": ["month", "origin"]},
    "FundsPatch": spec.versioned(RECORD_INPUT["properties"], {"type": "integer", "minimum": 0}),
}
