"""Reads of evidence files, under the tenant scope."""

from __future__ import annotations

from sqlalchemy import select

from crm.core.db import db
from crm.files.models import Attachment
from crm.files.registry import owner_kinds

__all__ = ["attached_to", "counts_for", "purgeable"]


def attached_to(owner_kind: str, owner_id: int) -> list[Attachment]:
    """The files attached to one record, newest first."""
    return list(
        db.session.execute(
            select(Attachment)
            .where(
                Attachment.owner_kind == owner_kind,
                Attachment.owner_id == owner_id,
                Attachment.detached_at.is_(None),
                Attachment.purged_at.is_(None),
            )
            .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
        ).scalars()
    )


def counts_for(owner_kind: str, owner_ids) -> dict[int, int]:
    """{record id: number of files attached} for records of one kind."""
    ids = list(owner_ids)
    if not ids:
        return {}
    counts: dict[int, int] = {}
    for owner_id in db.session.execute(
        select(Attachment.owner_id).where(
            Attachment.owner_kind == owner_kind,
            Attachment.owner_id.in_(ids),
            Attachment.detached_at.is_(None),
            Attachment.purged_at.is_(None),
        )
    ).scalars():
        counts[owner_id] = counts.get(owner_id, 0) + 1
    return counts


def purgeable(county_id: int) -> list[tuple[Attachment, bool]]:
    """The county's files a manager may purge, as (attachment, record gone): files detached
    from their record, and files whose record was deleted."""
    rows = db.session.execute(
        select(Attachment)
        .where(Attachment.county_id == county_id, Attachment.purged_at.is_(None))
        .order_by(Attachment.id)
    ).scalars()
    kinds = owner_kinds()
    found = []
    for attachment in rows:
        kind = kinds.get(attachment.owner_kind)
        gone = kind is None or kind.load(attachment.owner_id) is None
        if attachment.detached_at is not None or gone:
            found.append((attachment, gone))
    return found
