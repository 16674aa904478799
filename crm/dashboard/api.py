"""GET /api/v1/dashboard: the dashboard's figures over the token user's counties, and for a
manager the inbox the page shows them (what waits, how many, the page listing those)."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user

from crm.core import clock
from crm.core.access import READ_ROLES, roles_required
from crm.core.hooks import inbox_items
from crm.core.tenancy import readable_county_ids
from crm.dashboard.services import build_dashboard, figures_json
from crm.util.dates import parse_user_date

bp = Blueprint("dashboard_api", __name__, url_prefix="/api/v1")


@bp.get("/dashboard")
@roles_required(*READ_ROLES)
def dashboard():
    """The dashboard's figures for the counties the token's user reads (and a manager's inbox)."""
    today = clock.today()
    if request.args.get("as_of"):
        try:
            today = parse_user_date(request.args["as_of"])
        except ValueError as exc:
            abort(400, str(exc))
    county_ids = readable_county_ids()
    body = figures_json(build_dashboard(county_ids, today, list_overdue=False))
    body["inbox"] = (
        [asdict(item) for item in inbox_items(current_app, frozenset(county_ids), today)]
        if current_user.has_role("manager")
        else None
    )
    return jsonify(body)
