"""存量清理 (issue 14 item 12): when a policy is withdrawn or fails its 公平竞争审查, every
live commitment under it (approved, partly paid or suspended) is listed for a manager to
work through: continue it, on a collective decision (the promise binds the county and a
court may hold it to it), or revoke it. Each decision is kept as a ``CleanupResolution``;
a later withdrawal or failed review lists the commitment again.
"""

from __future__ import annotations

from flask_babel import gettext as _

from crm.commitments.collective import DecisionInput, decision_for
from crm.commitments.models import CLEANUP_RESOLUTIONS, CleanupResolution, Commitment
from crm.core import clock
from crm.core.db import db, utcnow
from crm.core.errors import ServiceError

__all__ = ["resolve"]


def resolve(
    commitment: Commitment, actor, *, resolution: str | None, note: str | None, decision: DecisionInput | None
) -> CleanupResolution:
    """Record a manager's decision on a listed commitment; ``revoke`` also revokes it. The
    caller has checked role and version and applies the revocation through the status
    machine (``services.resolve_cleanup``)."""
    cause = commitment.cleanup_cause()
    if cause is None:
        raise ServiceError(_("该承诺不在存量清理清单上"), {"status": [_("无需清理")]})
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if resolution not in CLEANUP_RESOLUTIONS:
        errors["resolution"] = [_("请选择处理结果")]
    if not note:
        errors["note"] = [_("请填写处理说明")]
    record = None
    if resolution == "continue":
        record = decision_for(commitment.county_id, decision, actor, not_after=clock.today(), errors=errors)
    if errors:
        raise ServiceError(_("存量清理处理有误，未保存"), errors)
    if record is not None and record.id is None:
        db.session.add(record)
    row = CleanupResolution(
        commitment=commitment,
        commitment_id=commitment.id,
        county_id=commitment.county_id,
        cause=cause[0],
        resolution=resolution,
        note=note,
        decision=record,
        resolved_by_id=actor.id,
        resolved_at=utcnow(),
    )
    db.session.add(row)
    return row
