"""Referrals take evidence files (the investor's 确认函), under their project's rule
(crm/projects/attachments.py)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from crm.core.i18n import N_
from crm.projects.attachments import register_project_file_owner
from crm.rewards.models import Referral

__all__ = ["init_app"]


def init_app(app) -> None:
    register_project_file_owner(
        app,
        key="referral",
        label=N_("引荐备案"),
        model=Referral,
        detail=lambda referral: f"{_('引荐人')} {referral.referrer_name}",
        url=lambda referral: url_for("rewards.referrals"),
        suggested_kinds=("confirmation_letter",),
    )
