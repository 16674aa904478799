from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from crm.audit.labels import SYSTEM_NAMES, describe, kind_label
from crm.audit.models import AuditEvent
from crm.auth.models import User
from crm.core.access import roles_required
from crm.core.db import db
from crm.core.pagination import page_number
from crm.core.parsing import record_id_or_none

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50
ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "merge": "合并",
    "download": "下载",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "throttled": "登录受限",
}
# What an administrator reads: accounts, regions, tokens and logins. Counties' business
# records (projects, money, commitments) are the counties' own; an admin has no use for them.
LOGINS = "logins"  # crm/auth/events.py
ADMIN_TABLES = ("users", "regions", "api_tokens", LOGINS)


@bp.route("/")
@roles_required("manager", "admin")
def index():
    """The audit log: a manager reads their county's events, an admin the events of
    accounts, regions and logins."""
    table = request.args.get("table", "").strip()
    query = select(AuditEvent)
    if current_user.role.value == "admin":
        query = query.where(AuditEvent.table_name.in_(ADMIN_TABLES))
    elif table == LOGINS:  # login events carry no county: the county's users' ones
        county_users = select(User.id).where(User.region_id == current_user.county_id)
        query = query.where(AuditEvent.record_id.in_(county_users))
    else:
        query = query.where(AuditEvent.county_id == current_user.county_id)
    record = request.args.get("record", "").strip()
    actor = request.args.get("actor", "").strip()
    if table:
        query = query.where(AuditEvent.table_name == table)
    if record:
        query = query.where(AuditEvent.record_id == (record_id_or_none(record) or 0))
    if actor in ("系统", _("系统")):  # writes without a user, shown as 系统
        query = query.where(AuditEvent.actor_id.is_(None), AuditEvent.actor_name.in_(SYSTEM_NAMES))
    elif actor:
        query = query.where(AuditEvent.actor_name == actor)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = page_number(request.args.get("page"))
    events = (
        db.session.execute(query.order_by(AuditEvent.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
        .scalars()
        .all()
    )
    tables = list(
        ADMIN_TABLES
        if current_user.role.value == "admin"
        else db.session.execute(
            select(AuditEvent.table_name).distinct().order_by(AuditEvent.table_name)
        ).scalars()
    )
    return render_template(
        "audit/index.html",
        events=describe(events, current_user),
        action_labels=ACTION_LABELS,
        table_labels={t: kind_label(t) for t in tables},
        total=total,
        page=page,
        per_page=PER_PAGE,
        tables=tables,
        filters={"table": table, "record": record, "actor": actor},
    )
