"""How the audit log names companies and contacts (crm.audit.labels)."""

from __future__ import annotations

from crm.audit.labels import on_page_of, register_kind
from crm.companies.models import COMPANY_TAGS, Company, Contact
from crm.companies.services import SIZE_LABELS
from crm.core.i18n import N_


def register_audit_labels(app) -> None:
    register_kind(
        app,
        "companies",
        N_("企业"),
        fields={
            "name": N_("企业名称"),
            "name_key": N_("企业名称（查重用）"),
            "uscc": N_("统一社会信用代码"),
            "industry_code": N_("行业代码（GB/T 4754-2017）"),
            "headquarters": N_("总部所在地"),
            "size": N_("企业规模"),
            "tags": N_("标签"),
            "website": N_("网址"),
            "description": N_("简介"),
            "created_by_county_id": N_("录入县"),
            # A merge: the record kept, what moved to it, the record merged into it.
            "kept_id": N_("保留的企业"),
            "kept_name": N_("保留的企业名称"),
            "moved": N_("转到保留企业的记录"),
            "dropped": N_("被合并的企业"),
        },
        values={"size": SIZE_LABELS, "tags": {tag: tag for tag in COMPANY_TAGS}},  # tags are msgids
        endpoint="companies.detail",
        id_arg="company_id",
        model=Company,
    )
    register_kind(
        app,
        "contacts",
        N_("联系人"),
        fields={
            "name": N_("姓名"),
            "title": N_("职务"),
            "phone": N_("电话"),
            "email": N_("邮箱"),
            "wechat": N_("微信"),
        },
        model=Contact,
        **on_page_of("companies.detail", "company_id"),  # the company's page lists its contacts
    )
