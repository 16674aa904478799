"""Who may do what: login required by default, role checks, scoped loading."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import select

from crm.core.db import MAX_INTEGER, db
from crm.core.parsing import record_id_or_none
from crm.core.session import TenantScope
from crm.core.tenancy import current_scope, readable_county_ids

__all__ = [
    "COUNTY_ROLES",
    "descendant_county_ids",
    "load_or_404",
    "public",
    "readable_county_or_404",
    "READ_ROLES",
    "request_is_api",
    "require_write",
    "roles_required",
    "scope_for",
    "writable",
    "WRITE_ROLES",
]

READ_ROLES = ("manager", "staff", "leader", "coordinator")
WRITE_ROLES = ("manager", "staff")
COUNTY_ROLES = ("manager", "staff", "leader")


def public(view):
    """Mark a view as reachable without logging in."""
    view.is_public = True
    return view


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def descendant_county_ids(region_id: int) -> frozenset[int]:
    from crm.regions.models import Region, RegionLevel

    rows = db.session.execute(select(Region.id, Region.parent_id, Region.level)).all()
    children: dict[int | None, list] = {}
    for rid, parent, level in rows:
        children.setdefault(parent, []).append((rid, level))
    found, stack = set(), [region_id]
    levels = {rid: level for rid, _, level in rows}
    while stack:
        rid = stack.pop()
        if levels.get(rid) == RegionLevel.county:
            found.add(rid)
        stack.extend(child for child, _ in children.get(rid, ()))
    return frozenset(found)


def scope_for(user) -> TenantScope:
    """The tenant scope of a user: county roles see their county, coordinators every
    county below their region (read only), admins no county records at all."""
    role = user.role.value
    if role in COUNTY_ROLES:
        county = user.county_id
        readable = frozenset({county}) if county else frozenset()
        writable = county if role in WRITE_ROLES else None
        return TenantScope(
            actor_id=user.id, actor_name=user.username, read_county_ids=readable, write_county_id=writable
        )
    if role == "coordinator":
        return TenantScope(
            actor_id=user.id, actor_name=user.username, read_county_ids=descendant_county_ids(user.region_id)
        )
    return TenantScope(actor_id=user.id, actor_name=user.username)


def load_or_404(model, record_id):
    """Load one record through the tenant criteria: another county's id is a 404."""
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        abort(404)
    if not 0 < record_id <= MAX_INTEGER:  # beyond any id column: no such record
        abort(404)
    obj = db.session.execute(select(model).where(model.id == record_id)).scalar_one_or_none()
    if obj is None:
        abort(404)
    return obj


def readable_county_or_404(county_id) -> int:
    """``county_id`` as an int if the acting user reads that county (their own, or one below
    their region); any other value is a 404, as another county's record would be."""
    county_id = record_id_or_none(county_id)
    if county_id is None or county_id not in readable_county_ids():
        abort(404)
    return county_id


def require_write(obj=None) -> None:
    """403 unless the current user may change records of their county (or this record's)."""
    scope = current_scope()
    if scope is None or scope.write_county_id is None:
        abort(403)
    if obj is not None and not scope.can_write(obj.county_id):
        abort(403)


def request_is_api() -> bool:
    return request.path.startswith("/api/")


def writable(model, record_id):
    """The ``model`` record ``record_id`` that the caller may change: 404 when the caller
    cannot read it (another county's is no different from a missing one), else 403 when the
    caller may not write it (``require_write`` refuses every role without a county to write)."""
    record = load_or_404(model, record_id)
    require_write(record)
    return record
