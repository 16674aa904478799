"""OpenAPI paths and schemas of the dashboard API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api.openapi import MONEY_OR_NULL, PROBLEM

__all__ = ["PATHS", "SCHEMAS"]

COUNTY = {
    "type": "object",
    "properties": {
        "county_id": {"type": ["integer", "null"], "description": "null for the total"},
        "stages": {
            "type": "object",
            "description": "signed/registered/started/producing reached this year",
            "additionalProperties": {
                "type": "object",
                "properties": {"count": {"type": "integer"}, "planned_investment_wan": MONEY_OR_NULL},
            },
        },
        "funds_ytd_wan": MONEY_OR_NULL,
        "funds_by_origin_wan": {"type": "object", "additionalProperties": MONEY_OR_NULL},
        "funds_target_wan": MONEY_OR_NULL,
        "time_proportional_target_wan": {
            **MONEY_OR_NULL,
            "description": "序时进度: target × elapsed days ÷ days in year",
        },
        "time_completion": {
            "type": ["string", "null"],
            "description": "funds YTD ÷ time-proportional target",
        },
        "annual_completion": {"type": ["string", "null"]},
    },
}


PATHS = {
    "/dashboard": {
        "get": {
            "summary": "County dashboard figures over the counties the token's user may read",
            "parameters": [
                {
                    "name": "as_of",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date"},
                    "description": "Compute as of this day instead of today",
                }
            ],
            "responses": {
                "200": {
                    "description": "Figures",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}},
                },
                "403": PROBLEM,
            },
        }
    }
}

SCHEMAS = {
    "DashboardCounty": COUNTY,
    "Dashboard": {
        "type": "object",
        "properties": {
            "today": {"type": "string", "format": "date"},
            "year": {"type": "integer"},
            "total": {"$ref": "#/components/schemas/DashboardCounty"},
            "counties": {"type": "array", "items": {"$ref": "#/components/schemas/DashboardCounty"}},
            "funnel": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "stage": {"type": "string"},
                        "reached": {"type": "integer"},
                        "conversion": {"type": ["string", "null"]},
                    },
                },
            },
            "median_days_per_stage": {
                "type": "object",
                "additionalProperties": {"type": ["number", "null"]},
            },
            "funds_by_month_wan": {"type": "array", "items": {"type": "string"}},
            "overdue_followups": {"type": "integer"},
        },
    },
}
