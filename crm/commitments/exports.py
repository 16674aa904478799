"""The commitment register as XLSX or CSV (formula-safe, Chinese file names)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from crm.commitments.models import (
    COMMITMENT_STATUSES,
    FAIR_REVIEW_STATES,
    LEGAL_REVIEW_STATES,
    POLICY_KINDS,
)
from crm.util.exports import Sheet, content_disposition, write_csv, write_xlsx

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_table(rows, today: date) -> tuple[list[str], list[list]]:
    headers = [_("县（区）"), _("项目"), _("承诺条款"), _("依据政策"), _("政策文号"), _("政策类型"),
               _("承诺金额（万元）"), _("已兑现（万元）"), _("未兑现（万元）"), _("承诺日期"),
               _("兑现期限"), _("状态"), _("逾期"), _("公平竞争审查"), _("合法性审查"), _("超限批准理由")]
    table = []
    for commitment, fulfilled in rows:
        policy = commitment.policy
        table.append([
            _county_name(commitment), commitment.project.display_name,
            commitment.clause, policy.name, policy.legal_basis, _(POLICY_KINDS.get(policy.kind, policy.kind)),
            commitment.amount_wan, fulfilled, commitment.amount_wan - fulfilled,
            commitment.committed_on, commitment.due_on,
            _(COMMITMENT_STATUSES.get(commitment.status, commitment.status)),
            commitment.is_overdue(today),
            _(FAIR_REVIEW_STATES.get(commitment.fair_review, commitment.fair_review)),
            _(LEGAL_REVIEW_STATES.get(commitment.legal_review, commitment.legal_review)),
            commitment.override_reason,
        ])
    return headers, table


def _county_name(commitment) -> str:
    from crm.core.db import db
    from crm.regions.models import Region

    region = db.session.get(Region, commitment.county_id)
    return region.name if region else ""


def export_register(rows, today: date, fmt: str, encoding: str = "utf-8-sig") -> tuple[bytes, str, str]:
    """``(body, content type, Content-Disposition)`` of the register in ``fmt`` (xlsx or csv)."""
    headers, table = register_table(rows, today)
    name = _("承诺兑现台账") + f"_{today:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        body = write_xlsx([Sheet(_("承诺兑现台账"), headers, table, text_columns={_("政策文号")})])
        return body, XLSX_MIMETYPE, content_disposition(name)
    charset = "GB18030" if encoding == "gb18030" else "utf-8"
    return write_csv(headers, table, encoding=encoding), f"text/csv; charset={charset}", content_disposition(name)
