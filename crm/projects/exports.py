"""The filtered project list as XLSX or CSV (crm/util/exports does the safe writing).

A province coordinator exports 50,000 projects: rows are read in batches and written
straight to a temporary file (XLSX) or to the response (CSV), never held all at once.
"""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from crm.auth.models import User
from crm.companies.models import Company
from crm.core import clock
from crm.core.db import db
from crm.core.i18n import translator
from crm.projects import queries
from crm.projects.confidential import name_column
from crm.projects.models import FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, STAGE_LABELS, Project
from crm.regions.services import region_names
from crm.util.exports import Sheet, download

CREDIT_CODE_HEADER = "投资方统一社会信用代码"
LOCAL_CODE_HEADER = "本地企业统一社会信用代码"
CONTRACT_HEADER = "合同编号"


def headers() -> list[str]:
    return [
        _("编号"),
        _("所属县区"),
        _("项目名称"),
        _("项目代号"),
        _("投资方"),
        _(CREDIT_CODE_HEADER),
        _("阶段"),
        _("终止原因"),
        _("项目类型"),
        _("招商方式"),
        _("负责人"),
        _("责任单位"),
        _("包抓领导"),
        _("计划投资（万元）"),
        _("固定资产投资（万元）"),
        _("利用外资（万元）"),
        _("预计年产值（万元）"),
        _("预计年税收（万元）"),
        _("预计就业（人）"),
        _("用地（亩）"),
        _("资金来源"),
        _("签约日期"),
        _(CONTRACT_HEADER),
        _("本地企业"),
        _(LOCAL_CODE_HEADER),
        _("注册日期"),
        _("开工日期"),
        _("投产日期"),
        _("下次跟进日期"),
        _("更新时间"),
    ]


def export_select(filters: queries.ProjectFilters, user):
    """The filtered, ordered projects as plain rows (no ORM objects: 50,000 of them with
    their companies and owners cost seconds), each with the project's columns plus
    ``investor_name``, ``investor_uscc``, ``local_name``, ``local_uscc`` and ``owner_name``.
    ``name`` is the name ``user`` may read: a confidential project's real name is not even
    read for anyone else."""
    investor, local, owner = aliased(Company), aliased(Company), aliased(User)
    columns = [
        getattr(Project, column.key) for column in Project.__mapper__.column_attrs if column.key != "name"
    ]
    statement = (
        select(
            *columns,
            name_column(user).label("name"),
            investor.name.label("investor_name"),
            investor.uscc.label("investor_uscc"),
            local.name.label("local_name"),
            local.uscc.label("local_uscc"),
            owner.display_name.label("owner_name"),
        )
        .select_from(Project)
        .outerjoin(investor, investor.id == Project.investor_company_id)
        .outerjoin(local, local.id == Project.local_company_id)
        .outerjoin(owner, owner.id == Project.owner_id)
    )
    return filters.ordered(filters.apply(statement, user), user)


def rows(projects, county_names: dict[int, str]):
    """Spreadsheet rows of ``projects`` (rows of :func:`export_select`, names already as
    their reader may see them)."""
    label = translator()  # one translation per label, not one per cell
    for p in projects:
        yield [
            p.id,
            county_names.get(p.county_id, ""),
            p.name,
            p.code_name or "",
            p.investor_name or "",
            p.investor_uscc or "",
            label(STAGE_LABELS[p.stage]),
            p.lost_reason or "",
            label(PROJECT_KINDS.get(p.kind, p.kind)),
            label(SOURCE_CHANNELS.get(p.source_channel, p.source_channel)),
            p.owner_name or "",
            p.responsible_unit,
            p.leader_in_charge,
            p.planned_investment_wan,
            p.fixed_asset_investment_wan,
            p.foreign_investment_wan,
            p.expected_annual_output_wan,
            p.expected_annual_tax_wan,
            p.expected_jobs,
            p.land_mu,
            label(FUND_ORIGINS[p.capital_origin]) if p.capital_origin in FUND_ORIGINS else "",
            p.signed_on,
            p.contract_no,
            p.local_name or "",
            p.local_uscc or "",
            p.registered_on,
            p.construction_started_on,
            p.production_started_on,
            p.next_follow_up_on,
            clock.local(p.updated_at),
        ]


def sheet(filters: queries.ProjectFilters, user) -> Sheet:
    """The filtered projects as ``user`` may read them (the page's download and the CLI's file)."""
    county_names = region_names()
    projects = db.session.execute(export_select(filters, user).execution_options(yield_per=1000))
    return Sheet(
        _("招商项目"),
        headers(),
        rows(projects, county_names),
        text_columns={_(CREDIT_CODE_HEADER), _(LOCAL_CODE_HEADER), _(CONTRACT_HEADER)},
    )


def response(kind: str, filters: queries.ProjectFilters, user, encoding: str = "utf-8-sig") -> Response:
    return download(
        kind, sheet(filters, user), _("招商项目") + "_" + clock.today().strftime("%Y%m%d"), encoding
    )
