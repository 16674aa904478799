"""Funds in place on the project detail page's timeline."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.db import db
from crm.core.i18n import N_
from crm.funds.models import FUND_ORIGINS, FundsRecord
from crm.util.money import format_wan


def funds_timeline(project) -> list:
    from crm.projects.timeline import TimelineEntry

    records = db.session.execute(
        select(FundsRecord).where(FundsRecord.project_id == project.id).order_by(FundsRecord.month)
    ).scalars()
    link = url_for("funds.project_funds", project_id=project.id)
    return [
        TimelineEntry(
            at=r.month,
            kind=N_("到位资金"),
            title=_(
                "%(month)s 到位资金 %(amount)s 万元（%(origin)s）",
                month=r.month.strftime("%Y-%m"),
                amount=format_wan(r.amount_wan),
                origin=_(FUND_ORIGINS.get(r.origin, r.origin)),
            ),
            detail=r.evidence_ref or "",
            url=link,
        )
        for r in records
    ]
