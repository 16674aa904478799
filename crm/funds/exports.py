"""The year's funds in place as a spreadsheet: one row per record with its exact figures
(万元 to the cent, 境外 dollars and rate), its kind and its 认定, so a statistician can
rebuild every total of the pages (which round large totals to 亿元)."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.core import clock
from crm.core.access import READ_ROLES, roles_required
from crm.core.db import db
from crm.core.parsing import int_or_none
from crm.funds.models import EXCLUSIONS, FUND_ORIGINS, STANDINGS, FundsRecord
from crm.funds.views import bp
from crm.projects.confidential import name_column
from crm.projects.models import Project
from crm.regions.services import region_names
from crm.util.exports import Column, Sheet, download_as_asked, table_sheet


def columns(county_names: dict[int, str]) -> list[Column]:
    """The sheet's columns, each header beside its cell of a row (record, project_name)."""
    return [
        Column(_("记录编号"), lambda row: row.FundsRecord.id),
        Column(_("县区"), lambda row: county_names.get(row.FundsRecord.county_id, "")),
        Column(_("项目"), lambda row: row.project_name),
        Column(_("月份"), lambda row: row.FundsRecord.month.strftime("%Y-%m")),
        Column(_("资金来源"), lambda row: _(FUND_ORIGINS[row.FundsRecord.origin])),
        Column(_("资金类别"), lambda row: _(EXCLUSIONS[row.FundsRecord.exclusion])),
        Column(_("认定情况"), lambda row: _(STANDINGS[row.FundsRecord.standing])),
        Column(_("到位金额（万元）"), lambda row: row.FundsRecord.amount_wan),
        Column(_("到位金额（万美元）"), lambda row: row.FundsRecord.amount_usd_wan),
        Column(_("汇率（人民币元/美元）"), lambda row: row.FundsRecord.usd_rate),
        Column(_("凭证编号"), lambda row: row.FundsRecord.evidence_ref or ""),
        Column(_("认定时间"), confirmed_at),
    ]


def confirmed_at(row):
    return clock.local(row.FundsRecord.confirmed_at) if row.FundsRecord.confirmed_at else None


@bp.route("/funds/export")
@roles_required(*READ_ROLES)
def export():
    """The year's records (every standing, exact figures) as XLSX or CSV."""
    year = int_or_none(request.args.get("year")) or clock.today().year
    if not 2000 <= year <= 2100:
        year = clock.today().year
    return download_as_asked(sheet(year, current_user), _("到位资金") + f"_{year}")


def sheet(year: int, viewer) -> Sheet:
    """The records of ``year`` (every standing), as ``viewer`` may read their projects' names."""
    statement = (
        select(FundsRecord, name_column(viewer).label("project_name"))
        .join(Project, FundsRecord.project_id == Project.id)
        .where(FundsRecord.month >= date(year, 1, 1), FundsRecord.month <= date(year, 12, 1))
        .order_by(FundsRecord.month, FundsRecord.county_id, FundsRecord.id)
    )
    return table_sheet(_("到位资金"), columns(region_names()), db.session.execute(statement).all())
