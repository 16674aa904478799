"""OpenAPI paths and schemas of the dashboard API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec

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
                "properties": {"count": {"type": "integer"}, "planned_investment_wan": spec.MONEY_OR_NULL},
            },
        },
        "funds_ytd_wan": spec.MONEY_OR_NULL,
        "funds_by_origin_wan": {"type": "object", "additionalProperties": spec.MONEY_OR_NULL},
        "funds_target_wan": spec.MONEY_OR_NULL,
        "time_proportional_target_wan": {
            **spec.MONEY_OR_NULL,
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
        "get": spec.operation(
            "County dashboard figures over the counties the token's user may read",
            "200",
            "Figures",
            spec.ref("Dashboard"),
            refusals=("403",),
            parameters=[
                {
                    "name": "as_of",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "format": "date"},
                    "description": "Compute as of this day instead of today",
                }
            ],
        )
    }
}

SCHEMAS = {
    "DashboardCounty": COUNTY,
    "Dashboard": {
        "type": "object",
        "properties": {
            "today": {"type": "string", "format": "date"},
            "year": {"type": "integer"},
            "total": spec.ref("DashboardCounty"),
            "counties": {"type": "array", "items": spec.ref("DashboardCounty")},
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
