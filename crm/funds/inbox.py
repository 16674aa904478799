"""The manager's inbox line of the funds (crm.core.hooks): records awaiting 认定."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from crm.core.hooks import InboxItem
from crm.core.tenancy import current_scope
from crm.funds.queries import pending_count


def inbox_items(county_ids, today: date) -> list[InboxItem]:
    if not county_ids or current_scope() is None:
        return []
    return [
        InboxItem("funds-pending", _("待认定的到位资金"), pending_count(county_ids), url_for("funds.pending"))
    ]
