"""Logins, failed logins, logouts and throttled attempts in the audit log.

Rows have ``table_name`` "logins" and the account's id as ``record_id`` when the account
exists. ``county_id`` is NULL: a county's newest audit row is the version of its cached
figures (crm/core/county_cache.py), and a login changes none of them. A county's managers
find their users' logins by ``record_id`` (crm/audit/views.py); the administrator sees all.
``after`` holds the address and browser; never a password.
"""

from __future__ import annotations

from flask import has_request_context, request

from crm.audit.models import AuditEvent
from crm.auth.models import User
from crm.auth.throttle import account_key
from crm.core.db import db, utcnow

TABLE = "logins"
LOGIN, LOGIN_FAILED, LOGOUT, THROTTLED = "login", "login_failed", "logout", "throttled"


def record(action: str, username: str, user: User | None = None, **details) -> None:
    after = (
        {"address": request.remote_addr or "", "user_agent": request.user_agent.string[:200]}
        if has_request_context()
        else {}
    )
    after.update(details)
    db.session.add(
        AuditEvent(
            at=utcnow(),
            actor_id=user.id if user is not None and action in (LOGIN, LOGOUT) else None,
            actor_name=account_key(username),
            county_id=None,
            table_name=TABLE,
            record_id=user.id if user is not None else None,
            action=action,
            after=after,
        )
    )
    db.session.flush()
