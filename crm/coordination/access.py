"""Who reads and who acts on records between counties (one place, used by pages and API).

A transfer or agreement is read by the managers, staff and leaders of either county it names
and by every coordinator reading one of them (their region holds it). A collision alert is read
by the two counties and by the coordinators reading both (the nearest common one and those
above); only such a coordinator rules. Anyone else is answered 404, as for another county's
record.
"""

from __future__ import annotations

from flask import abort

from crm.core.tenancy import readable_county_ids

__all__ = [
    "can_rule",
    "is_manager_of",
    "readable_counties",
    "require_manager_of",
    "require_visible_collision",
    "require_visible_transfer",
    "sees_collision",
    "sees_pair",
]


def readable_counties() -> frozenset[int]:
    return frozenset(readable_county_ids())


def is_manager_of(user, county_id: int | None) -> bool:
    return bool(user and user.has_role("manager") and county_id is not None and user.county_id == county_id)


def require_manager_of(user, county_id: int | None) -> None:
    """403 unless ``user`` is the manager of ``county_id`` (who offers, answers, withdraws)."""
    if not is_manager_of(user, county_id):
        abort(403)


def sees_pair(county_ids) -> bool:
    """A transfer or agreement between ``county_ids``: one of them is the reader's."""
    readable = readable_counties()
    return any(cid in readable for cid in county_ids)


def sees_collision(user, alert) -> bool:
    readable = readable_counties()
    if user.has_role("coordinator"):
        return all(cid in readable for cid in alert.counties())
    return any(cid in readable for cid in alert.counties())


def can_rule(user, alert) -> bool:
    return user.has_role("coordinator") and sees_collision(user, alert)


def require_visible_transfer(transfer) -> None:
    if transfer is None or not sees_pair((transfer.from_county_id, transfer.to_county_id)):
        abort(404)


def require_visible_collision(user, alert) -> None:
    if alert is None or not sees_collision(user, alert):
        abort(404)
