"""The commitment register as XLSX or CSV (formula-safe, Chinese file names).

A province coordinator exports some 20,000 commitments: the rows come from one statement
as plain columns, fetched in batches, and are written to a temporary file inside the
request (where its tenant scope is) that is then sent; never held in memory at once.
"""

from __future__ import annotations

from datetime import date

from flask import Response
from flask_babel import gettext as _

from crm.commitments.models import (
    CLOSED_STATUSES,
    COMMITMENT_STATUSES,
    FAIR_REVIEW_STATES,
    LEGAL_REVIEW_STATES,
    POLICY_KINDS,
)
from crm.commitments.register import fulfilled_amount
from crm.core.i18n import translator
from crm.regions.services import region_names
from crm.util.exports import Column, Sheet, download, table_sheet


def register_columns(today: date, county_names: dict[int, str]) -> list[Column]:
    """The register's columns, each header beside its cell of a row of
    :func:`crm.commitments.register.export_rows`."""
    label = translator()  # one translation per label, not one per cell
    return [
        Column(_("县（区）"), lambda row: county_names.get(row.county_id, "")),
        Column(_("项目"), lambda row: row.project_name),
        Column(_("承诺条款"), lambda row: row.clause),
        Column(_("依据政策"), lambda row: row.policy_name),
        Column(_("政策文号"), lambda row: row.legal_basis, as_text=True),
        Column(_("政策类型"), lambda row: label(POLICY_KINDS.get(row.policy_kind, row.policy_kind))),
        Column(_("承诺金额（万元）"), lambda row: row.amount_wan),
        Column(_("已兑现（万元）"), lambda row: fulfilled_amount(row.paid)),
        Column(_("未兑现（万元）"), lambda row: row.amount_wan - fulfilled_amount(row.paid)),
        Column(_("承诺日期"), lambda row: row.committed_on),
        Column(_("兑现期限"), lambda row: row.due_on),
        Column(_("状态"), lambda row: label(COMMITMENT_STATUSES.get(row.status, row.status))),
        # Commitment.is_overdue
        Column(_("逾期"), lambda row: row.due_on < today and row.status not in CLOSED_STATUSES),
        Column(
            _("公平竞争审查"), lambda row: label(FAIR_REVIEW_STATES.get(row.fair_review, row.fair_review))
        ),
        Column(
            _("合法性审核（司法局）"),
            lambda row: label(LEGAL_REVIEW_STATES.get(row.legal_review, row.legal_review)),
        ),
        Column(_("超限批准依据（集体决策）"), cap_basis),
    ]


def cap_basis(row) -> str | None:
    """What an approval above the cap rests on: the collective decision (meeting, date,
    minute number), or the free-text reason approvals before migration 0015 kept."""
    if row.decision_minute_no:
        return f"{row.decision_meeting}（{row.decision_held_on.isoformat()}，{row.decision_minute_no}）"
    return row.override_reason


def register_sheet(rows, today: date) -> Sheet:
    """The register of ``rows`` (``crm.commitments.register.export_rows``, may be lazy)."""
    return table_sheet(_("承诺兑现台账"), register_columns(today, region_names()), rows)


def export_response(rows, today: date, fmt: str, encoding: str = "utf-8-sig") -> Response:
    """The register in ``fmt`` (xlsx or csv) as a download; ``rows`` may be a lazy result."""
    return download(fmt, register_sheet(rows, today), _("承诺兑现台账") + f"_{today:%Y%m%d}", encoding)
