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
from crm.util.exports import Sheet, download_as_asked


def headers() -> list[str]:
    return [
        _("记录编号"),
        _("县区"),
        _("项目"),
        _("月份"),
        _("资金来源"),
        _("资金类别"),
        _("认定情况"),
        _("到位金额（万元）"),
        _("到位金额（万美元）"),
        _("汇率（人民币元/美元）"),
        _("凭证编号"),
        _("认定时间"),
    ]


def rows(records, county_names: dict[int, str]):
    for record, project_name in records:
        yield [
            record.id,
            county_names.get(record.county_id, ""),
            project_name,
            record.month.strftime("%Y-%m"),
            _(FUND_ORIGINS[record.origin]),
            _(EXCLUSIONS[record.exclusion]),
            _(STANDINGS[record.standing]),
            record.amount_wan,
            record.amount_usd_wan,
            record.usd_rate,
            record.evidence_ref or "",
            clock.local(record.confirmed_at) if record.confirmed_at else None,
        ]


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
    county_names = region_names()
    return Sheet(_("到位资金"), headers(), rows(db.session.execute(statement).all(), county_names))
