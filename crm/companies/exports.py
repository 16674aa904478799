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
from crm.util.exports import Column, download_as_asked, table_sheet

__all__ = [
    "columns",
    "contact_columns",
    "export",
    "export_contacts",
    "headers",
    "known_companies",
]

USCC_HEADER = "统一社会信用代码"
INDUSTRY_CODE_HEADER = "行业代码"


def columns() -> list[Column]:
    """The 名录's columns, each header beside its cell of a company."""
    # The first six are the import's labels for companies; 行业 and 标签 are for the reader.
    return [
        Column(_("企业名称"), lambda company: company.name),
        Column(_(USCC_HEADER), lambda company: company.uscc or "", as_text=True),
        Column(_(INDUSTRY_CODE_HEADER), lambda company: company.industry_code or "", as_text=True),
        Column(_("行业"), industry),
        Column(_("总部所在地"), lambda company: company.headquarters or ""),
        Column(_("网址"), lambda company: company.website or ""),
        Column(_("标签"), lambda company: "、".join(_(tag) for tag in company.tags or [])),
        Column(_("备注"), lambda company: company.description or ""),
    ]


def industry(company) -> str:
    return industry_label(company.industry_code) if company.industry_code else ""


def headers() -> list[str]:
    return [column.header for column in columns()]


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
    return download_as_asked(
        table_sheet(_("企业名录"), columns(), companies),
        _("企业名录") + "_" + clock.today().strftime("%Y%m%d"),
    )


CONTACT_PHONE_HEADER = "电话"


def contact_columns() -> list[Column]:
    """The contact list's columns, each header beside its cell of a row (contact, company name,
    company USCC); the import's labels for contacts (crm/imports/headers.py), in its order."""
    return [
        Column(_("企业名称"), lambda row: row.company_name),
        Column(_(USCC_HEADER), lambda row: row.company_uscc or "", as_text=True),
        Column(_("联系人"), lambda row: row.Contact.name),
        Column(_("职务"), lambda row: row.Contact.title or ""),
        Column(_(CONTACT_PHONE_HEADER), lambda row: row.Contact.phone or "", as_text=True),
        Column(_("邮箱"), lambda row: row.Contact.email or ""),
        Column(_("微信"), lambda row: row.Contact.wechat or ""),
        Column(_("备注"), lambda row: row.Contact.note or ""),
    ]


@bp.route("/contacts/export")
@roles_required(*READ_ROLES)
def export_contacts():
    """The county's contacts (Contact is county-owned: the scope's only) as XLSX or CSV."""
    statement = (
        select(Contact, Company.name.label("company_name"), Company.uscc.label("company_uscc"))
        .join(Company, Company.id == Contact.company_id)
        .order_by(Company.name_pinyin, Company.id, Contact.name, Contact.id)
    )
    return download_as_asked(
        table_sheet(_("联系人"), contact_columns(), db.session.execute(statement)),
        _("联系人") + "_" + clock.today().strftime("%Y%m%d"),
    )
