"""What a payment (兑现) depends on (issue 14 item 13): 政企双兑现.

A commitment is paid only once the investor's obligations linked to it are met and, when
the clause states conditions (兑现条件), the person recording the payment says how they
were verified (核实依据). Otherwise paying needs a collective decision (meeting, date,
minute number) held on or before the payment day, kept with the fulfilment.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from crm.commitments.models import (
    CLOSED_STATUSES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    Commitment,
    CommitmentObligation,
    Obligation,
)
from crm.core.db import db
from crm.core.errors import ServiceError

__all__ = ["payment_blockers", "set_linked_obligations"]


def payment_blockers(commitment: Commitment, conditions_evidence: str | None) -> dict[str, list[str]]:
    """Why the commitment may not be paid now, per field (empty: it may)."""
    blockers: dict[str, list[str]] = {}
    unmet = [o for o in commitment.linked_obligations if o.status != "met"]
    if unmet:
        blockers["obligations"] = [
            _(
                "企业履约事项“%(kind)s”（期限 %(day)s）%(state)s",
                kind=_(OBLIGATION_KINDS[o.kind]),
                day=o.due_on.isoformat(),
                state=_(OBLIGATION_STATUSES[o.status]),
            )
            for o in unmet
        ]
    if commitment.conditions and not (conditions_evidence or "").strip():
        blockers["conditions_evidence"] = [
            _("承诺附有兑现条件（%(conditions)s），请写明核实依据", conditions=commitment.conditions)
        ]
    return blockers


def set_linked_obligations(commitment: Commitment, obligation_ids: list[int]) -> None:
    """Make ``obligation_ids`` (obligations of the commitment's project) the ones its payment
    depends on; the caller has checked role and version."""
    if commitment.status in CLOSED_STATUSES:
        raise ServiceError(_("已结束的承诺不能再关联企业履约事项"), {"status": [_("当前状态不允许此操作")]})
    wanted = set(obligation_ids)
    found = set(
        db.session.execute(
            select(Obligation.id).where(
                Obligation.id.in_(wanted), Obligation.project_id == commitment.project_id
            )
        ).scalars()
    )
    if found != wanted:
        raise ServiceError(
            _("只能关联本项目的企业履约事项"), {"obligation_ids": [_("只能关联本项目的企业履约事项")]}
        )
    current = {link.obligation_id: link for link in commitment.obligation_links}
    for obligation_id, link in current.items():
        if obligation_id not in wanted:
            commitment.obligation_links.remove(link)
    for obligation_id in sorted(wanted - set(current)):
        commitment.obligation_links.append(
            CommitmentObligation(obligation_id=obligation_id, county_id=commitment.county_id)
        )
    db.session.flush()
    db.session.expire(commitment, ["linked_obligations"])
