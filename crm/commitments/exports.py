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
from crm.util.exports import Sheet, download


def register_headers() -> list[str]:
    return [
        _("县（区）"),
        _("项目"),
        _("承诺条款"),
        _("依据政策"),
        _("政策文号"),
        _("政策类型"),
        _("承诺金额（万元）"),
        _("已兑现（万元）"),
        _("未兑现（万元）"),
        _("承诺日期"),
        _("兑现期限"),
        _("状态"),
        _("逾期"),
        _("公平竞争审查"),
        _("合法性审核（司法局）"),
        _("超限批准依据（集体决策）"),
    ]


def register_table_rows(rows, today: date, county_names: dict[int, str]):
    """One list of cells per row of :func:`crm.commitments.register.export_rows`, lazily."""
    label = translator()  # one translation per label, not one per cell
    for row in rows:
        fulfilled = fulfilled_amount(row.paid)
        yield [
            county_names.get(row.county_id, ""),
            row.project_name,
            row.clause,
            row.policy_name,
            row.legal_basis,
            label(POLICY_KINDS.get(row.policy_kind, row.policy_kind)),
            row.amount_wan,
            fulfilled,
            row.amount_wan - fulfilled,
            row.committed_on,
            row.due_on,
            label(COMMITMENT_STATUSES.get(row.status, row.status)),
            row.due_on < today and row.status not in CLOSED_STATUSES,  # Commitment.is_overdue
            label(FAIR_REVIEW_STATES.get(row.fair_review, row.fair_review)),
            label(LEGAL_REVIEW_STATES.get(row.legal_review, row.legal_review)),
            cap_basis(row),
        ]


def cap_basis(row) -> str | None:
    """What an approval above the cap rests on: the collective decision (meeting, date,
    minute number), or the free-text reason approvals before migration 0015 kept."""
    if row.decision_minute_no:
        return f"{row.decision_meeting}（{row.decision_held_on.isoformat()}，{row.decision_minute_no}）"
    return row.override_reason


def register_sheet(rows, today: date) -> Sheet:
    """The register of ``rows`` (``crm.commitments.register.export_rows``, may be lazy)."""
    county_names = region_names()
    table = register_table_rows(rows, today, county_names)
    return Sheet(_("承诺兑现台账"), register_headers(), table, text_columns={_("政策文号")})


def export_response(rows, today: date, fmt: str, encoding: str = "utf-8-sig") -> Response:
    """The register in ``fmt`` (xlsx or csv) as a download; ``rows`` may be a lazy result."""
    return download(fmt, register_sheet(rows, today), _("承诺兑现台账") + f"_{today:%Y%m%d}", encoding)
