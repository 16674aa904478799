"""Funds in place on the project detail page's timeline."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.db import db
from crm.core.i18n import N_
from crm.funds.models import STANDINGS, FundsRecord
from crm.funds.services import money_label
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
                origin=money_label(r.origin, r.exclusion),
            ),
            # Whether the money counts, as the funds pages say: 已认定计入, 待认定 or 不计入.
            detail=" · ".join(filter(None, (_(STANDINGS[r.standing]), r.evidence_ref))),
            url=link,
        )
        for r in records
    ]
