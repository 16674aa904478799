"""JSON API: /api/v1/companies and /api/v1/contacts (field names = model column names)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select

from crm.api.openapi import PAGE_PARAMETERS, register_paths
from crm.api.util import columns_dict, json_body, paginate
from crm.companies import services
from crm.companies.models import COMPANY_SIZES, COMPANY_TAGS, Company, Contact
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write
from crm.core.db import db
from crm.core.errors import problem

bp = Blueprint("companies_api", __name__, url_prefix="/api/v1")


def _require_role(*roles: str) -> None:
    if not current_user.has_role(*roles):
        abort(403)


def company_json(company: Company) -> dict:
    return columns_dict(company)


def contact_json(contact: Contact) -> dict:
    return columns_dict(contact)


def _duplicate_problem(exc: services.DuplicateCompanyError):
    db.session.rollback()
    existing = [
        {
            "id": c.id,
            "name": c.name,
            "uscc": c.uscc,
            "url": url_for("companies_api.get_company", company_id=c.id),
        }
        for c in exc.existing
    ]
    if exc.kind == "uscc":
        return problem(422, "Unprocessable Entity", exc.message, exc.errors, existing=existing)
    # Similar names are a question for the caller, not an error: resend with not_duplicate.
    return problem(
        409,
        "Conflict",
        exc.message,
        exc.errors,
        existing=existing,
        hint="send not_duplicate: true to create anyway",
    )


@bp.route("/companies")
def list_companies():
    _require_role(*READ_ROLES)
    tag = request.args.get("tag", "")
    return paginate(
        services.search_companies(request.args.get("q", ""), tag if tag in COMPANY_TAGS else ""), company_json
    )


@bp.route("/companies", methods=["POST"])
def create_company():
    _require_role(*WRITE_ROLES)
    data = json_body()
    confirm = data.get("not_duplicate", False)
    if not isinstance(confirm, bool):
        return problem(
            422, "Unprocessable Entity", "not_duplicate 应为布尔值", {"not_duplicate": ["应为 true 或 false"]}
        )
    try:
        company = services.create_company(data, confirm_not_duplicate=confirm)
    except services.DuplicateCompanyError as exc:
        return _duplicate_problem(exc)
    db.session.commit()
    body = company_json(company) | {"warnings": services.uscc_warnings(company.uscc)}
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("companies_api.get_company", company_id=company.id)
    return response


@bp.route("/companies/<int:company_id>")
def get_company(company_id: int):
    _require_role(*READ_ROLES)
    company = load_or_404(Company, company_id)
    return jsonify(company_json(company) | {"warnings": services.uscc_warnings(company.uscc)})


@bp.route("/companies/<int:company_id>", methods=["PATCH"])
def patch_company(company_id: int):
    _require_role(*WRITE_ROLES)
    company = load_or_404(Company, company_id)
    data = json_body()
    if "version" not in data:
        return problem(
            422,
            "Unprocessable Entity",
            "更新必须带上记录的 version",
            {"version": ["必填：记录当前的 version"]},
        )
    unknown = sorted(set(data) - set(services.COMPANY_FIELDS) - {"version"})
    if unknown:
        return problem(
            422, "Unprocessable Entity", "有不能修改的字段", {key: ["未知或只读字段"] for key in unknown}
        )
    try:
        services.update_company(company, data, data["version"])
    except services.DuplicateCompanyError as exc:
        return _duplicate_problem(exc)
    db.session.commit()
    return jsonify(company_json(company) | {"warnings": services.uscc_warnings(company.uscc)})


@bp.route("/companies/<int:company_id>/contacts")
def list_contacts(company_id: int):
    _require_role(*READ_ROLES)
    company = load_or_404(Company, company_id)
    return paginate(services.contacts_of(company), contact_json)


@bp.route("/companies/<int:company_id>/contacts", methods=["POST"])
def create_contact(company_id: int):
    _require_role(*WRITE_ROLES)
    company = load_or_404(Company, company_id)
    require_write()
    contact = services.create_contact(company, json_body(), created_by_id=current_user.id)
    db.session.commit()
    response = jsonify(contact_json(contact))
    response.status_code = 201
    response.headers["Location"] = url_for("companies_api.get_contact", contact_id=contact.id)
    return response


@bp.route("/contacts")
def list_all_contacts():
    """Every contact the caller's scope may read (their county's), newest first."""
    _require_role(*READ_ROLES)
    return paginate(select(Contact).order_by(Contact.id.desc()), contact_json)


@bp.route("/contacts/<int:contact_id>")
def get_contact(contact_id: int):
    _require_role(*READ_ROLES)
    return jsonify(contact_json(load_or_404(Contact, contact_id)))


@bp.route("/contacts/<int:contact_id>", methods=["PATCH"])
def patch_contact(contact_id: int):
    _require_role(*WRITE_ROLES)
    contact = load_or_404(Contact, contact_id)
    require_write(contact)
    data = json_body()
    if "version" not in data:
        return problem(
            422,
            "Unprocessable Entity",
            "更新必须带上记录的 version",
            {"version": ["必填：记录当前的 version"]},
        )
    services.update_contact(contact, data, data["version"])
    db.session.commit()
    return jsonify(contact_json(contact))


@bp.route("/contacts/<int:contact_id>", methods=["DELETE"])
def delete_contact(contact_id: int):
    _require_role(*WRITE_ROLES)
    contact = load_or_404(Contact, contact_id)
    require_write(contact)
    services.delete_contact(contact)
    db.session.commit()
    return "", 204


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PROBLEM = {"$ref": "#/components/responses/Problem"}
LIST_PARAMS = PAGE_PARAMETERS


def _page_of(name: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "total", "page", "per_page"],
        "properties": {
            "items": {"type": "array", "items": _ref(name)},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
        },
    }


COMPANY_ID = {"name": "company_id", "in": "path", "required": True, "schema": {"type": "integer"}}
CONTACT_ID = {"name": "contact_id", "in": "path", "required": True, "schema": {"type": "integer"}}
NULLABLE_TEXT = {"type": ["string", "null"]}
COMPANY_FIELDS_IN = {
    "name": {"type": "string", "minLength": 1, "maxLength": 200},
    "uscc": NULLABLE_TEXT,
    "industry_code": NULLABLE_TEXT,
    "headquarters": NULLABLE_TEXT,
    "size": {"enum": [*COMPANY_SIZES, None]},
    "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
    "website": NULLABLE_TEXT,
    "description": NULLABLE_TEXT,
}
CONTACT_FIELDS_IN = {
    "name": {"type": "string", "minLength": 1},
    "title": NULLABLE_TEXT,
    "phone": NULLABLE_TEXT,
    "email": NULLABLE_TEXT,
    "wechat": NULLABLE_TEXT,
    "note": NULLABLE_TEXT,
}

SCHEMAS = {
    "Company": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "name_key": {"type": "string", "description": "normalised name used for duplicate search"},
            "uscc": {"type": ["string", "null"], "description": "统一社会信用代码, 18 characters"},
            "industry_code": {"type": ["string", "null"], "description": "GB/T 4754-2017: A–T or 2–4 digits"},
            "headquarters": NULLABLE_TEXT,
            "size": {"enum": [*COMPANY_SIZES, None]},
            "tags": {"type": "array", "items": {"enum": list(COMPANY_TAGS)}},
            "website": NULLABLE_TEXT,
            "description": NULLABLE_TEXT,
            "created_by_county_id": {"type": ["integer", "null"]},
            "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "warnings": {
                "type": "array",
                "items": {"type": "string"},
                "description": "USCC doubts that do not block saving (single-record answers)",
            },
        },
        "required": ["id", "name", "tags", "version"],
    },
    "CompanyInput": {
        "type": "object",
        "properties": {
            **COMPANY_FIELDS_IN,
            "not_duplicate": {"type": "boolean", "description": "create even though similar names exist"},
        },
        "required": ["name"],
    },
    # A change names only fields it changes, and the version it was made on; nothing else.
    "CompanyPatch": {
        "type": "object",
        "properties": {
            **COMPANY_FIELDS_IN,
            "version": {"type": "integer", "description": "the version you edited"},
        },
        "required": ["version"],
        "additionalProperties": False,
    },
    "Contact": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "county_id": {"type": "integer"},
            "company_id": {"type": "integer"},
            "name": {"type": "string"},
            "title": NULLABLE_TEXT,
            "phone": NULLABLE_TEXT,
            "email": NULLABLE_TEXT,
            "wechat": NULLABLE_TEXT,
            "note": NULLABLE_TEXT,
            "created_by_id": {"type": ["integer", "null"]},
            "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
        "required": ["id", "county_id", "company_id", "name", "version"],
    },
    "ContactInput": {"type": "object", "properties": CONTACT_FIELDS_IN, "required": ["name"]},
    "ContactPatch": {
        "type": "object",
        "properties": {
            **CONTACT_FIELDS_IN,
            "version": {"type": "integer", "description": "the version you edited"},
        },
        "required": ["version"],
    },
}

PATHS = {
    "/companies": {
        "get": {
            "summary": "Companies (shared master data), searched by name, credit code or tag",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {"name": "tag", "in": "query", "schema": {"enum": list(COMPANY_TAGS)}},
                *LIST_PARAMS,
            ],
            "responses": {"200": _json(_page_of("Company"), "A page of companies"), "403": PROBLEM},
        },
        "post": {
            "summary": "Create a company; a known USCC answers 422, similar names 409 unless not_duplicate",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("CompanyInput")}},
            },
            "responses": {
                "201": _json(_ref("Company"), "Created"),
                "403": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/companies/{company_id}": {
        "parameters": [COMPANY_ID],
        "get": {
            "summary": "One company",
            "responses": {"200": _json(_ref("Company"), "The company"), "404": PROBLEM},
        },
        "patch": {
            "summary": "Change a company; requires version, a stale one answers 409",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("CompanyPatch")}},
            },
            "responses": {
                "200": _json(_ref("Company"), "Saved"),
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/companies/{company_id}/contacts": {
        "parameters": [COMPANY_ID],
        "get": {
            "summary": "Your county's contacts of a company",
            "parameters": LIST_PARAMS,
            "responses": {"200": _json(_page_of("Contact"), "A page of contacts"), "404": PROBLEM},
        },
        "post": {
            "summary": "Add a contact (owned by your county)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ContactInput")}},
            },
            "responses": {
                "201": _json(_ref("Contact"), "Created"),
                "403": PROBLEM,
                "404": PROBLEM,
                "422": PROBLEM,
            },
        },
    },
    "/contacts": {
        "get": {
            "summary": "All contacts your scope may read (your county's)",
            "parameters": LIST_PARAMS,
            "responses": {"200": _json(_page_of("Contact"), "A page of contacts"), "403": PROBLEM},
        },
    },
    "/contacts/{contact_id}": {
        "parameters": [CONTACT_ID],
        "get": {
            "summary": "One contact of your county",
            "responses": {"200": _json(_ref("Contact"), "The contact"), "404": PROBLEM},
        },
        "patch": {
            "summary": "Change a contact; requires version, a stale one answers 409",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ContactPatch")}},
            },
            "responses": {
                "200": _json(_ref("Contact"), "Saved"),
                "403": PROBLEM,
                "404": PROBLEM,
                "409": PROBLEM,
                "422": PROBLEM,
            },
        },
        "delete": {
            "summary": "Delete a contact",
            "responses": {"204": {"description": "Deleted"}, "403": PROBLEM, "404": PROBLEM},
        },
    },
}


def init_api(app) -> None:
    app.register_blueprint(bp)
    app.extensions["csrf"].exempt(bp)
    register_paths("companies", PATHS, SCHEMAS)
