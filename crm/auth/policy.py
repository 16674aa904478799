"""Who may manage which user accounts: one rule for the pages, the command line and the API.

- An administrator manages every account (other administrators included).
- A manager (局长/科长) manages the staff and leader accounts of their own county, and may
  give only those two roles, in that county. Not other managers: a manager who could
  reset a fellow manager's password could approve their own commitment drafts as that
  manager, defeating the rule that approval is made by a manager other than the drafter.
  Promoting someone to manager is the administrator's act.
- Coordinators, staff and leaders manage no accounts.
- Nobody gives a role above their own (admin > coordinator > manager > staff, leader).
- The command line acts as the server's owner (``actor=None``) and may do anything.

An account out of reach is treated as absent: not listed, and 404 when addressed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, false, select

from crm.auth.models import Role, User
from crm.core.errors import ServiceError
from crm.regions.models import Region

RANK = {Role.admin: 4, Role.coordinator: 3, Role.manager: 2, Role.staff: 1, Role.leader: 1}
MANAGER_MANAGES = (Role.staff, Role.leader)


class OutOfReach(ServiceError):
    """The actor may not manage this account; shown as "not found"."""

    status = 404

    def __init__(self):
        super().__init__(_("用户不存在"))


def assignable_roles(actor: User | None) -> tuple[Role, ...]:
    if actor is None or actor.role == Role.admin:
        return tuple(Role)
    if actor.role == Role.manager:
        return tuple(role for role in MANAGER_MANAGES if RANK[role] <= RANK[actor.role])
    return ()


def can_manage(actor: User | None, user: User) -> bool:
    if actor is None or actor.role == Role.admin:
        return True
    if actor.role == Role.manager:
        return (
            actor.county_id is not None and user.region_id == actor.county_id and user.role in MANAGER_MANAGES
        )
    return False


def require_reach(actor: User | None, user: User) -> None:
    if not can_manage(actor, user):
        raise OutOfReach()


def manageable_users(actor: User | None) -> Select:
    """The accounts ``actor`` may manage, by username."""
    query = select(User).order_by(User.username)
    if actor is None or actor.role == Role.admin:
        return query
    if actor.role == Role.manager and actor.county_id is not None:
        return query.where(User.region_id == actor.county_id, User.role.in_(MANAGER_MANAGES))
    return query.where(false())


def assignable_regions(actor: User | None) -> Select:
    query = select(Region).order_by(Region.code)
    if actor is None or actor.role == Role.admin:
        return query
    if actor.role == Role.manager and actor.county_id is not None:
        return query.where(Region.id == actor.county_id)
    return query.where(false())


def check_assignment(actor: User | None, role: Role, region: Region) -> None:
    """Refuse giving ``role`` in ``region`` when ``actor`` may not."""
    if role not in assignable_roles(actor):
        raise ServiceError(_("无权授予该角色"), {"role": [_("无权授予该角色")]})
    if actor is not None and actor.role == Role.manager and region.id != actor.county_id:
        raise ServiceError(_("只能管理本县（区）的用户"), {"region": [_("只能管理本县（区）的用户")]})
