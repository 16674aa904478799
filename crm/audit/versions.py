"""Each county's version: its newest audit row, which the county cache is keyed by
(``crm.core.county_cache``)."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.audit.models import AuditEvent
from crm.core.county_cache import Version
from crm.core.db import db
from crm.core.tenancy import county_in
from crm.regions.models import Region

__all__ = ["county_versions"]


def county_versions(county_ids) -> dict[int, Version]:
    """{county: its newest audit row} in one statement.

    One index lookup per county — ``max(id)`` for a ``county_id`` is the last entry of
    that county in the index on (county_id, id) — instead of grouping the county's whole
    audit history; then the row itself by primary key for its time.
    """
    newest = (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.county_id == Region.id)
        .correlate(Region)
        .scalar_subquery()
    )
    per_county = (
        select(Region.id.label("county_id"), newest.label("audit_id"))
        .where(county_in(Region.id, county_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(per_county.c.county_id, per_county.c.audit_id, AuditEvent.at).outerjoin(
            AuditEvent, AuditEvent.id == per_county.c.audit_id
        )
    ).all()
    versions = {county_id: Version(None, None) for county_id in county_ids}
    versions.update({county_id: Version(audit_id, at) for county_id, audit_id, at in rows})
    return versions
