"""GET /api/v1/dashboard: the dashboard's figures over the token user's counties."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from crm.core import clock
from crm.core.access import READ_ROLES
from crm.dashboard.services import build_dashboard, figures_json
from crm.dashboard.views import readable_county_ids
from crm.util.dates import parse_user_date

bp = Blueprint("dashboard_api", __name__, url_prefix="/api/v1")


@bp.get("/dashboard")
def dashboard():
    if not current_user.has_role(*READ_ROLES):
        abort(403)
    today = clock.today()
    if request.args.get("as_of"):
        try:
            today = parse_user_date(request.args["as_of"])
        except ValueError as exc:
            abort(400, str(exc))
    return jsonify(figures_json(build_dashboard(readable_county_ids(), today, list_overdue=False)))


_MONEY = {"type": ["string", "null"], "description": "万元, decimal as text"}
_COUNTY = {
    "type": "object",
    "properties": {
        "county_id": {"type": ["integer", "null"], "description": "null for the total"},
        "stages": {
            "type": "object",
            "description": "signed/registered/started/producing reached this year",
            "additionalProperties": {
                "type": "object",
                "properties": {"count": {"type": "integer"}, "planned_investment_wan": _MONEY},
            },
        },
        "funds_ytd_wan": _MONEY,
        "funds_by_origin_wan": {"type": "object", "additionalProperties": _MONEY},
        "funds_target_wan": _MONEY,
        "time_proportional_target_wan": {
            **_MONEY,
            "description": "序时进度: target × elapsed days ÷ days in year",
        },
        "time_completion": {
            "type": ["string", "null"],
            "description": "funds YTD ÷ time-proportional target",
        },
        "annual_completion": {"type": ["string", "null"]},
    },
}


def openapi_paths():
    return {
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
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}
                        },
                    },
                    "403": {"$ref": "#/components/responses/Problem"},
                },
            }
        }
    }, {
        "DashboardCounty": _COUNTY,
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
