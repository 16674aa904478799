from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from crm.audit.models import AuditEvent
from crm.core.access import roles_required
from crm.core.db import db

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50


@bp.route("/")
@roles_required("manager", "admin")
def index():
    """The audit log: a manager reads their county's events, an admin every event."""
    query = select(AuditEvent)
    if current_user.role.value == "manager":
        query = query.where(AuditEvent.county_id == current_user.county_id)
    table = request.args.get("table", "").strip()
    record = request.args.get("record", "").strip()
    actor = request.args.get("actor", "").strip()
    if table:
        query = query.where(AuditEvent.table_name == table)
    if record.isdigit():
        query = query.where(AuditEvent.record_id == int(record))
    if actor:
        query = query.where(AuditEvent.actor_name == actor)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    events = db.session.execute(
        query.order_by(AuditEvent.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).scalars().all()
    tables = db.session.execute(select(AuditEvent.table_name).distinct().order_by(AuditEvent.table_name)).scalars()
    return render_template("audit/index.html", events=events, total=total, page=page, per_page=PER_PAGE,
                           tables=list(tables), filters={"table": table, "record": record, "actor": actor})
