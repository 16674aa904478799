"""JSON API: /api/v1/companies and /api/v1/contacts (field names = model column names)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user
from sqlalchemy import select

from crm.api.handlers import deleted, saved_at_version
from crm.api.util import columns_dict, json_body, paginate
from crm.companies import services
from crm.companies.models import COMPANY_TAGS, Company, Contact
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.db import db
from crm.core.errors import ServiceError, problem

bp = Blueprint("companies_api", __name__, url_prefix="/api/v1")


def company_json(company: Company) -> dict:
    # The pinyin columns are sort and search keys kept from the name, not data.
    return columns_dict(company, exclude=("name_pinyin", "name_initials"))


def _one_company(company: Company) -> dict:
    """A single company's answer: its columns and the doubts about its credit code."""
    return company_json(company) | {"warnings": services.uscc_warnings(company.uscc)}


def contact_json(contact: Contact) -> dict:
    return columns_dict(contact)


def _created(body: dict, location: str):
    """201 answering the new record's ``body``, with where to read it again (``Location``)."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def _missing_version():
    """What a PATCH without the record's version answers (the version guards the update)."""
    return problem(
        422, "Unprocessable Entity", "更新必须带上记录的 version", {"version": ["必填：记录当前的 version"]}
    )


def _patched(record, update, answer):
    """A PATCH of ``record``: ``update(record, body, version)`` at the ``version`` the body must
    carry (without one: 422; a stale one: 409), answered with ``answer``."""
    data = json_body()
    if "version" not in data:
        return _missing_version()
    return saved_at_version(lambda: update(record, data, data["version"]), answer)


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
@roles_required(*READ_ROLES)
def list_companies():
    """One page of the companies the caller reads, filtered like the list page."""
    tag = request.args.get("tag", "")
    return paginate(
        services.search_companies(request.args.get("q", ""), tag if tag in COMPANY_TAGS else ""), company_json
    )


@bp.route("/companies", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_company():
    """Add a company; a taken credit code answers 422, a similar name 409 (resend with ``not_duplicate``)."""
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
    return _created(_one_company(company), url_for("companies_api.get_company", company_id=company.id))


@bp.route("/companies/<int:company_id>")
@roles_required(*READ_ROLES)
def get_company(company_id: int):
    """One company the caller reads."""
    return jsonify(_one_company(load_or_404(Company, company_id)))


@bp.route("/companies/<int:company_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_company(company_id: int):
    """Change a company's fields; the body's ``version`` must be the stored one (409 if not)."""
    try:
        return _patched(load_or_404(Company, company_id), _update_company, _one_company)
    except services.DuplicateCompanyError as exc:
        return _duplicate_problem(exc)


def _update_company(company: Company, data: dict, version):
    """``services.update_company``, refusing by name the keys a PATCH may not change."""
    unknown = sorted(set(data) - set(services.COMPANY_FIELDS) - {"version"})
    if unknown:
        raise ServiceError("有不能修改的字段", {key: ["未知或只读字段"] for key in unknown})
    return services.update_company(company, data, version)


@bp.route("/companies/<int:company_id>/contacts")
@roles_required(*READ_ROLES)
def list_contacts(company_id: int):
    """A company's contacts in the caller's county."""
    company = load_or_404(Company, company_id)
    return paginate(services.contacts_of(company), contact_json)


@bp.route("/companies/<int:company_id>/contacts", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_contact(company_id: int):
    """Add a contact person to a company, in the caller's county."""
    company = load_or_404(Company, company_id)
    require_write()
    contact = services.create_contact(company, json_body(), created_by_id=current_user.id)
    db.session.commit()
    return _created(contact_json(contact), url_for("companies_api.get_contact", contact_id=contact.id))


@bp.route("/contacts")
@roles_required(*READ_ROLES)
def list_all_contacts():
    """Every contact the caller's scope may read (their county's), newest first."""
    return paginate(select(Contact).order_by(Contact.id.desc()), contact_json)


@bp.route("/contacts/<int:contact_id>")
@roles_required(*READ_ROLES)
def get_contact(contact_id: int):
    """One contact the caller reads."""
    return jsonify(contact_json(load_or_404(Contact, contact_id)))


@bp.route("/contacts/<int:contact_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_contact(contact_id: int):
    """Change a contact; the body's ``version`` must be the stored one (409 if not)."""
    return _patched(writable(Contact, contact_id), services.update_contact, contact_json)


@bp.route("/contacts/<int:contact_id>", methods=["DELETE"])
@roles_required(*WRITE_ROLES)
def delete_contact(contact_id: int):
    """Remove a contact (its DELETE carries no version)."""
    contact = writable(Contact, contact_id)
    return deleted(lambda: services.delete_contact(contact))
