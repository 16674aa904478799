"""The filtered project list as XLSX or CSV (crm/util/exports does the safe writing)."""
from __future__ import annotations

from datetime import timezone

from flask import Response
from flask_babel import gettext as _

from crm.core import clock
from crm.core.db import db
from crm.projects import queries
from crm.projects.models import FUND_ORIGINS, PROJECT_KINDS, SOURCE_CHANNELS, STAGE_LABELS
from crm.regions.models import Region
from crm.util.exports import Sheet, content_disposition, write_csv, write_xlsx

CREDIT_CODE_HEADER = "投资方统一社会信用代码"
CONTRACT_HEADER = "合同编号"


def headers() -> list[str]:
    return [_("编号"), _("所属县区"), _("项目名称"), _("项目代号"), _("投资方"), _(CREDIT_CODE_HEADER),
            _("阶段"), _("项目类型"), _("招商方式"), _("负责人"), _("责任单位"), _("包抓领导"),
            _("计划投资（万元）"), _("固定资产投资（万元）"), _("利用外资（万元）"), _("预计年产值（万元）"),
            _("预计年税收（万元）"), _("预计就业（人）"), _("用地（亩）"), _("资金来源"), _("签约日期"),
            _(CONTRACT_HEADER), _("注册日期"), _("开工日期"), _("投产日期"), _("下次跟进日期"), _("更新时间")]


def rows(projects, user, county_names: dict[int, str]):
    for p in projects:
        investor = p.investor_company
        yield [
            p.id, county_names.get(p.county_id, ""), queries.shown_name(p, user), p.code_name or "",
            investor.name if investor else "", investor.uscc if investor else "",
            _(STAGE_LABELS[p.stage]), _(PROJECT_KINDS.get(p.kind, p.kind)),
            _(SOURCE_CHANNELS.get(p.source_channel, p.source_channel)),
            p.owner.display_name if p.owner else "", p.responsible_unit, p.leader_in_charge,
            p.planned_investment_wan, p.fixed_asset_investment_wan, p.foreign_investment_wan,
            p.expected_annual_output_wan, p.expected_annual_tax_wan, p.expected_jobs, p.land_mu,
            _(FUND_ORIGINS[p.capital_origin]) if p.capital_origin in FUND_ORIGINS else "",
            p.signed_on, p.contract_no, p.registered_on, p.construction_started_on,
            p.production_started_on, p.next_follow_up_on, p.updated_at.replace(tzinfo=timezone.utc),
        ]


def response(kind: str, filters: queries.ProjectFilters, user, encoding: str = "utf-8-sig") -> Response:
    from sqlalchemy import select

    projects = db.session.execute(queries.list_select(filters, user)).unique().scalars().all()
    county_names = dict(db.session.execute(select(Region.id, Region.name)).all())
    name = _("招商项目") + "_" + clock.today().strftime("%Y%m%d")
    if kind == "xlsx":
        body = write_xlsx([Sheet(_("招商项目"), headers(), rows(projects, user, county_names),
                                 text_columns={_(CREDIT_CODE_HEADER), _(CONTRACT_HEADER)})])
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = name + ".xlsx"
    else:
        body = write_csv(headers(), rows(projects, user, county_names), encoding=encoding)
        charset = "gb18030" if encoding == "gb18030" else "utf-8"
        content_type = f"text/csv; charset={charset}"
        filename = name + ".csv"
    result = Response(body, content_type=content_type)
    result.headers["Content-Disposition"] = content_disposition(filename)
    return result
