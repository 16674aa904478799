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
from crm.util.exports import Column, Sheet, download, table_sheet

CREDIT_CODE_HEADER = "投资方统一社会信用代码"
LOCAL_CODE_HEADER = "本地企业统一社会信用代码"
CONTRACT_HEADER = "合同编号"


def export_select(filters: queries.ProjectFilters, user):
    """The filtered, ordered projects as plain rows (no ORM objects: 50,000 of them with
    their companies and owners cost seconds), each with the project's columns plus
    ``investor_name``, ``investor_uscc``, ``local_name``, ``local_uscc`` and ``owner_name``.
    ``name`` is the name ``user`` may read: a confidential project's real name is not even
    read for anyone else."""
    investor, local, owner = aliased(Company), aliased(Company), aliased(User)
    project_columns = [
        getattr(Project, column.key) for column in Project.__mapper__.column_attrs if column.key != "name"
    ]
    statement = (
        select(
            *project_columns,
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


def columns(county_names: dict[int, str]) -> list[Column]:
    """The sheet's columns, each header beside its cell of a row of :func:`export_select` (names
    already as their reader may see them)."""
    label = translator()  # one translation per label, not one per cell
    return [
        Column(_("编号"), lambda p: p.id),
        Column(_("所属县区"), lambda p: county_names.get(p.county_id, "")),
        Column(_("项目名称"), lambda p: p.name),
        Column(_("项目代号"), lambda p: p.code_name or ""),
        Column(_("投资方"), lambda p: p.investor_name or ""),
        Column(_(CREDIT_CODE_HEADER), lambda p: p.investor_uscc or "", as_text=True),
        Column(_("阶段"), lambda p: label(STAGE_LABELS[p.stage])),
        Column(_("终止原因"), lambda p: p.lost_reason or ""),
        Column(_("项目类型"), lambda p: label(PROJECT_KINDS.get(p.kind, p.kind))),
        Column(_("招商方式"), lambda p: label(SOURCE_CHANNELS.get(p.source_channel, p.source_channel))),
        Column(_("负责人"), lambda p: p.owner_name or ""),
        Column(_("责任单位"), lambda p: p.responsible_unit),
        Column(_("包抓领导"), lambda p: p.leader_in_charge),
        Column(_("计划投资（万元）"), lambda p: p.planned_investment_wan),
        Column(_("固定资产投资（万元）"), lambda p: p.fixed_asset_investment_wan),
        Column(_("利用外资（万元）"), lambda p: p.foreign_investment_wan),
        Column(_("预计年产值（万元）"), lambda p: p.expected_annual_output_wan),
        Column(_("预计年税收（万元）"), lambda p: p.expected_annual_tax_wan),
        Column(_("预计就业（人）"), lambda p: p.expected_jobs),
        Column(_("用地（亩）"), lambda p: p.land_mu),
        Column(
            _("资金来源"),
            lambda p: label(FUND_ORIGINS[p.capital_origin]) if p.capital_origin in FUND_ORIGINS else "",
        ),
        Column(_("签约日期"), lambda p: p.signed_on),
        Column(_(CONTRACT_HEADER), lambda p: p.contract_no, as_text=True),
        Column(_("本地企业"), lambda p: p.local_name or ""),
        Column(_(LOCAL_CODE_HEADER), lambda p: p.local_uscc or "", as_text=True),
        Column(_("注册日期"), lambda p: p.registered_on),
        Column(_("开工日期"), lambda p: p.construction_started_on),
        Column(_("投产日期"), lambda p: p.production_started_on),
        Column(_("下次跟进日期"), lambda p: p.next_follow_up_on),
        Column(_("更新时间"), lambda p: clock.local(p.updated_at)),
    ]


def sheet(filters: queries.ProjectFilters, user) -> Sheet:
    """The filtered projects as ``user`` may read them (the page's download and the CLI's file)."""
    projects = db.session.execute(export_select(filters, user).execution_options(yield_per=1000))
    return table_sheet(_("招商项目"), columns(region_names()), projects)


def response(kind: str, filters: queries.ProjectFilters, user, encoding: str = "utf-8-sig") -> Response:
    return download(
        kind, sheet(filters, user), _("招商项目") + "_" + clock.today().strftime("%Y%m%d"), encoding
    )
