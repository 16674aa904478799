"""JSON API under /api/v1: bearer tokens, problem+json errors, an OpenAPI document.

Domain modules add their own blueprints under ``/api/v1/...``; ``authenticate_api_request``
runs for every ``/api/`` path, so none of them can forget authentication. Their handlers are
written with ``crm.api.handlers`` (one pattern per kind of request) and read typed bodies with
``crm.api.input.Input``.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request

from crm.api import contract
from crm.api import openapi as spec
from crm.api.openapi import OPENAPI_BASE, document, register_paths
from crm.api.util import json_body, page_args, paginate  # noqa: F401 - the modules' toolkit
from crm.core.access import scope_for
from crm.core.errors import problem
from crm.core.tenancy import set_scope

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC_API_PATHS = {"/api/v1/openapi.json"}


def authenticate_api_request():
    if not request.path.startswith("/api/") or request.path in PUBLIC_API_PATHS:
        return None
    from crm.auth.services import user_for_token

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None:
        response = problem(401, "Unauthorized", "需要有效的 API 令牌（Authorization: Bearer <token>）")
        response.headers["WWW-Authenticate"] = 'Bearer realm="chaincrm"'
        return response
    # Current user for this request only: Flask-Login reads g._login_user, and leaving the
    # session untouched means the API never sets a cookie.
    g._login_user = user
    g.api_user = user
    set_scope(scope_for(user))
    return None


@bp.route("/me")
def me():
    """The user the token belongs to: name, role and region."""
    user = g.api_user
    return jsonify(
        {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role.value,
            "region_code": user.region.code,
            "region_name": user.region.name,
        }
    )


@bp.route("/openapi.json")
def openapi_json():
    """The OpenAPI document of every endpoint, as the server enforces it."""
    return jsonify(document(current_app))


register_paths(
    "foundation",
    {
        "/me": {
            "get": spec.get_one("The token's user, role and region", "Me", "Current user", refusals=("401",))
        }
    },
    {
        "Me": spec.obj(
            {
                "id": spec.INTEGER,
                "username": spec.STRING,
                "display_name": spec.STRING,
                "role": {"type": "string", "enum": ["admin", "coordinator", "manager", "staff", "leader"]},
                "region_code": spec.STRING,
                "region_name": spec.STRING,
            },
            required=("id", "username", "role", "region_code"),
        )
    },
)


def init_app(app) -> None:
    app.before_request(authenticate_api_request)
    contract.init_app(app)
    mount(app, bp)
    app.extensions["chaincrm_openapi_base"] = OPENAPI_BASE


def mount(app, api_bp: Blueprint) -> None:
    """Register an API blueprint. The API authenticates with bearer tokens, never cookies,
    so CSRF does not apply."""
    app.register_blueprint(api_bp)
    app.extensions["csrf"].exempt(api_bp)


def mount_domain(app, domain: str, api_bp: Blueprint, paths: dict, schemas: dict) -> None:
    """A domain's API: its blueprint mounted and its part of the OpenAPI document
    (``<domain>/openapi.py``'s ``PATHS`` and ``SCHEMAS``) registered."""
    mount(app, api_bp)
    register_paths(domain, paths, schemas)
