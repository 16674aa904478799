"""Writing as a county user would on a page, for the import tests that call the services
directly."""

from __future__ import annotations

from crm.auth.models import User
from crm.core.db import db
from crm.core.session import TenantScope
from crm.core.tenancy import set_scope

__all__ = ["scope_as", "scope_of"]


def scope_as(user: User) -> None:
    """Write as ``user`` would on a page: their county, their name in the audit."""
    set_scope(
        TenantScope(
            actor_id=user.id,
            actor_name=user.username,
            read_county_ids=frozenset({user.region_id}),
            write_county_id=user.region_id,
        )
    )


def scope_of(world, username: str) -> User:
    """Write as the ``world`` user ``username`` (see ``scope_as``); answers that user."""
    user = db.session.get(User, world.ids[username])
    scope_as(user)
    return user
