"""Audit rows that a write between counties leaves in each county it concerns, so that every
one of those counties' versions moves and its cached figures are recomputed
(crm/core/county_cache.py). Written directly, as the caller's own audit rows."""

from __future__ import annotations

from sqlalchemy import insert

from crm.audit.models import AuditEvent
from crm.core.db import db, utcnow

__all__ = ["audit_in_counties"]


def audit_in_counties(actor, table_name: str, record_id: int, actions, *, after: dict, before=None) -> None:
    """One audit row by ``actor`` on the record for each (county id, action) of ``actions``."""
    db.session.execute(
        insert(AuditEvent.__table__),
        [
            {
                "at": utcnow(),
                "actor_id": actor.id,
                "actor_name": actor.username,
                "county_id": county_id,
                "table_name": table_name,
                "record_id": record_id,
                "action": action,
                "before": before,
                "after": after,
            }
            for county_id, action in actions
        ],
    )
