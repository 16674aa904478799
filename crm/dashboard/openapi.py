"""OpenAPI paths and schemas of the dashboard API (merged into /api/v1/openapi.json)."""

from __future__ import annotations

from crm.api import openapi as spec

__all__ = ["PATHS", "SCHEMAS"]

COUNTY = spec.obj(
    {
        "county_id": {"type": ["integer", "null"], "description": "null for the total"},
        "stages": {
            "type": "object",
            "description": "signed/registered/started/producing reached this year",
            "additionalProperties": spec.obj(
                {"count": spec.INTEGER, "planned_investment_wan": spec.MONEY_OR_NULL}
            ),
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
    }
)


PATHS = {
    "/dashboard": {
        "get": spec.get_one(
            "County dashboard figures over the counties the token's user may read",
            "Dashboard",
            "Figures",
            refusals=("403",),
            parameters=[
                spec.query("as_of", spec.DATE, "Compute as of this day instead of today", required=False)
            ],
        )
    }
}

SCHEMAS = {
    "DashboardCounty": COUNTY,
    "Dashboard": spec.obj(
        {
            "today": spec.DATE,
            "year": spec.INTEGER,
            "total": spec.ref("DashboardCounty"),
            "counties": spec.list_of(spec.ref("DashboardCounty")),
            "funnel": spec.list_of(
                spec.obj(
                    {
                        "stage": spec.STRING,
                        "reached": spec.INTEGER,
                        "conversion": {"type": ["string", "null"]},
                    }
                )
            ),
            "median_days_per_stage": {
                "type": "object",
                "additionalProperties": {"type": ["number", "null"]},
            },
            "funds_by_month_wan": spec.list_of(spec.STRING),
            "overdue_followups": spec.INTEGER,
            "inbox": {
                "type": ["array", "null"],
                "description": "A manager's inbox, as on the dashboard page (null for other roles)",
                "items": spec.obj(
                    {
                        "key": spec.STRING,
                        "label": spec.STRING,
                        "count": spec.INTEGER,
                        "url": {**spec.STRING, "description": "the page listing exactly those records"},
                    },
                    required=("key", "label", "count", "url"),
                ),
            },
        }
    ),
}
