"""Funds records take evidence files (拨付凭证, 验资报告), under their project's rule
(crm/projects/attachments.py)."""

from __future__ import annotations

from flask import url_for

from crm.core.i18n import N_
from crm.funds.models import FundsRecord
from crm.projects.attachments import register_project_file_owner

__all__ = ["init_app"]


def init_app(app) -> None:
    register_project_file_owner(
        app,
        key="funds",
        label=N_("到位资金"),
        model=FundsRecord,
        detail=lambda record: f"{record.month:%Y-%m}",
        url=lambda record: url_for("funds.project_funds", project_id=record.project_id),
        suggested_kinds=("payment_voucher", "capital_verification"),
    )
