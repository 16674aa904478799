"""The county's 企业名录 and its contacts as spreadsheets, with the headers the ledger import
reads (crm/imports/headers.py), so an exported 名录 or contact list imports back whole.

Companies are shared master data, but a county's 名录 is the companies it knows: those its
officers registered, the investors and local companies of its projects, and the companies of
its contacts. Another county's company appears only when this county knows it too.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from sqlalchemy import false, or_, select

from crm.companies import services
from crm.companies.industries import industry_label
from crm.companies.models import COMPANY_TAGS, Company, Contact
from crm.companies.views import bp
from crm.core import clock
from crm.core.access import READ_ROLES, roles_required
from crm.core.db import db
from crm.core.tenancy import county_in, current_scope
from crm.util.exports import Sheet, download_as_asked

__all__ = [
    "contact_headers",
    "contact_rows",
    "export",
    "export_contacts",
    "headers",
    "known_companies",
    "rows",
]

USCC_HEADER = "统一社会信用代码"
INDUSTRY_CODE_HEADER = "行业代码"


def headers() -> list[str]:
    # The first six are the import's labels for companies; 行业 and 标签 are for the reader.
    return [
        _("企业名称"),
        _(USCC_HEADER),
        _(INDUSTRY_CODE_HEADER),
        _("行业"),
        _("总部所在地"),
        _("网址"),
        _("标签"),
        _("备注"),
    ]


def rows(companies):
    for company in companies:
        yield [
            company.name,
            company.uscc or "",
            company.industry_code or "",
            industry_label(company.industry_code) if company.industry_code else "",
            company.headquarters or "",
            company.website or "",
            "、".join(_(tag) for tag in company.tags or []),
            company.description or "",
        ]


def known_companies(statement):
    """``statement`` (a select of companies) narrowed to those the reader's scope knows."""
    from crm.projects.models import Project  # projects build on companies, not the other way

    scope = current_scope()
    if scope is None:
        return statement.where(false())  # no reader, no county: nothing is known
    if scope.unrestricted:  # system work (CLI, demo loading): every company
        return statement
    counties = scope.read_county_ids or {-1}
    # Project and Contact are county-owned: tenancy scopes them too; said here all the same.
    invested = select(Project.investor_company_id).where(county_in(Project.county_id, counties))
    local = select(Project.local_company_id).where(county_in(Project.county_id, counties))
    contacted = select(Contact.company_id).where(county_in(Contact.county_id, counties))
    return statement.where(
        or_(
            county_in(Company.created_by_county_id, counties),
            Company.id.in_(invested),
            Company.id.in_(local),
            Company.id.in_(contacted),
        )
    )


@bp.route("/companies/export")
@roles_required(*READ_ROLES)
def export():
    """The county's 企业名录 (the list's search and tag applied) as XLSX or CSV."""
    tag = request.args.get("tag", "")
    statement = services.search_companies(request.args.get("q", ""), tag if tag in COMPANY_TAGS else "")
    companies = db.session.execute(known_companies(statement)).scalars()
    sheet = Sheet(
        _("企业名录"),
        headers(),
        rows(companies),
        text_columns={_(USCC_HEADER), _(INDUSTRY_CODE_HEADER)},
    )
    return download_as_asked(sheet, _("企业名录") + "_" + clock.today().strftime("%Y%m%d"))


CONTACT_PHONE_HEADER = "电话"


def contact_headers() -> list[str]:
    # The import's labels for contacts (crm/imports/headers.py), in its order.
    return [
        _("企业名称"),
        _(USCC_HEADER),
        _("联系人"),
        _("职务"),
        _(CONTACT_PHONE_HEADER),
        _("邮箱"),
        _("微信"),
        _("备注"),
    ]


def contact_rows(contacts):
    for contact, company_name, company_uscc in contacts:
        yield [
            company_name,
            company_uscc or "",
            contact.name,
            contact.title or "",
            contact.phone or "",
            contact.email or "",
            contact.wechat or "",
            contact.note or "",
        ]


@bp.route("/contacts/export")
@roles_required(*READ_ROLES)
def export_contacts():
    """The county's contacts (Contact is county-owned: the scope's only) as XLSX or CSV."""
    statement = (
        select(Contact, Company.name, Company.uscc)
        .join(Company, Company.id == Contact.company_id)
        .order_by(Company.name_pinyin, Company.id, Contact.name, Contact.id)
    )
    sheet = Sheet(
        _("联系人"),
        contact_headers(),
        contact_rows(db.session.execute(statement)),
        text_columns={_(USCC_HEADER), _(CONTACT_PHONE_HEADER)},
    )
    return download_as_asked(sheet, _("联系人") + "_" + clock.today().strftime("%Y%m%d"))
