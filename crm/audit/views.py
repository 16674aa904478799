from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from crm.audit.models import AuditEvent
from crm.auth.models import User
from crm.core.access import roles_required
from crm.core.db import db
from crm.core.pagination import page_number

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50
ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "merge": "合并",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "throttled": "登录受限",
}
# What an administrator reads: accounts, regions, tokens and logins. Counties' business
# records (projects, money, commitments) are the counties' own; an admin has no use for them.
LOGINS = "logins"  # crm/auth/events.py
ADMIN_TABLES = ("users", "regions", "api_tokens", LOGINS)
TABLE_LABELS = {
    "activities": "跟进记录",
    "chain_firms": "链上企业",
    "chain_segment_links": "供应关系",
    "chain_segments": "产业链环节",
    "chains": "产业链",
    "commitments": "承诺条款",
    "companies": "企业",
    "contacts": "联系人",
    "county_targets": "年度目标",
    "fulfillments": "兑现记录",
    "funds_records": "到位资金",
    "obligations": "企业履约",
    "policies": "优惠政策",
    "project_segments": "项目对接环节",
    "projects": "项目",
    "referrals": "引荐备案",
    "regions": "行政区划",
    "reward_lines": "奖励名单明细",
    "reward_lists": "奖励名单",
    "reward_rules": "奖励办法",
    "stage_changes": "阶段变更",
    "users": "用户",
    "api_tokens": "API 令牌",
    "logins": "登录",
}


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
    if record.isdigit():
        query = query.where(AuditEvent.record_id == int(record))
    if actor:
        query = query.where(AuditEvent.actor_name == actor)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = page_number(request.args.get("page"))
    events = (
        db.session.execute(query.order_by(AuditEvent.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
        .scalars()
        .all()
    )
    tables = (
        ADMIN_TABLES
        if current_user.role.value == "admin"
        else db.session.execute(
            select(AuditEvent.table_name).distinct().order_by(AuditEvent.table_name)
        ).scalars()
    )
    return render_template(
        "audit/index.html",
        events=events,
        action_labels=ACTION_LABELS,
        table_labels=TABLE_LABELS,
        total=total,
        page=page,
        per_page=PER_PAGE,
        tables=list(tables),
        filters={"table": table, "record": record, "actor": actor},
    )
