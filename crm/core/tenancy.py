"""Tenant scoping in one place, failing closed.

Every ORM statement that touches a ``CountyOwned`` model gets a loader criteria limiting
it to the scope's readable counties — including relationship loads, eager loads and
ORM bulk UPDATE/DELETE. With no scope set, such a statement raises. Raw SQL through
the session raises unless it is explicitly marked as tenant-checked. Every flush is
checked so that nothing is written outside the scope's writable county.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import Integer, any_, event, false, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.elements import TextClause

from crm.core.db import CountyOwned, db
from crm.core.session import SYSTEM_SCOPE, TenantScope, TenantScopeError, TenantSession

__all__ = [
    "COUNTY_IDS",
    "county_in",
    "current_scope",
    "RAW_SQL_OPTION",
    "readable_county_ids",
    "set_scope",
    "system_scope",
]

RAW_SQL_OPTION = "tenant_checked"
COUNTY_IDS = ARRAY(Integer)


def set_scope(scope: TenantScope | None, session: Session | None = None) -> None:
    (session or db.session()).info["tenant_scope"] = scope


def current_scope(session: Session | None = None) -> TenantScope | None:
    return (session or db.session()).info.get("tenant_scope")


def readable_county_ids() -> list[int]:
    """The counties the acting user reads, in id order (none without a scope, and none for
    an administrator, who reads no county's records)."""
    scope = current_scope()
    return sorted(scope.read_county_ids) if scope and scope.read_county_ids else []


@contextmanager
def system_scope(session: Session | None = None):
    """Run a block with every county visible and writable (CLI, demo, admin tools)."""
    session = session or db.session()
    previous = session.info.get("tenant_scope")
    session.info["tenant_scope"] = SYSTEM_SCOPE
    try:
        yield session
    finally:
        session.info["tenant_scope"] = previous


def county_in(column, county_ids):
    """``column IN county_ids``, as one array parameter on PostgreSQL.

    One parameter per county, for a province's hundred counties and repeated for every
    county-owned table of a statement, made statement texts so long that psycopg parsed
    them afresh on every execution (its query cache takes short texts only).
    """
    ids = sorted(county_ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(type_coerce(ids, COUNTY_IDS))
    return column.in_(ids)


def _touches_county_owned(state: ORMExecuteState) -> bool:
    return any(issubclass(m.class_, CountyOwned) for m in state.all_mappers)


def _scope_criteria(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        if not state.execution_options.get(RAW_SQL_OPTION):
            raise TenantScopeError(
                "Raw SQL through the ORM session bypasses tenant scoping; build the "
                f"query with the ORM or pass execution_options({RAW_SQL_OPTION}=True) "
                "after filtering by county yourself."
            )
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope: TenantScope | None = state.session.info.get("tenant_scope")
    if scope is None:
        if _touches_county_owned(state):
            raise TenantScopeError("A county-owned model was queried with no tenant scope set")
        # Joined or related county-owned entities still get a criteria that matches nothing.
        criteria = lambda cls: false()  # noqa: E731
    elif scope.unrestricted:
        return
    elif state.session.get_bind().dialect.name == "postgresql":
        readable = sorted(scope.read_county_ids) or [-1]  # one array parameter, see county_in
        # Closure variables of the lambda become bound parameters, tracked per call.
        criteria = lambda cls: cls.county_id == any_(type_coerce(readable, COUNTY_IDS))  # noqa: E731
    else:
        readable = tuple(sorted(scope.read_county_ids)) or (-1,)
        criteria = lambda cls: cls.county_id.in_(readable)  # noqa: E731
    state.statement = statement.options(
        with_loader_criteria(CountyOwned, criteria, include_aliases=True, propagate_to_loaders=True)
    )


def _check_writes(session: Session, flush_context, instances) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    owned = [obj for obj in changed if isinstance(obj, CountyOwned)]
    if not owned:
        return
    scope: TenantScope | None = session.info.get("tenant_scope")
    if scope is None:
        raise TenantScopeError("County-owned records were written with no tenant scope set")
    for obj in owned:
        if obj.county_id is None and obj in session.new and scope.write_county_id is not None:
            obj.county_id = scope.write_county_id
        if not scope.can_write(obj.county_id):
            raise TenantScopeError(
                f"{type(obj).__name__} of county {obj.county_id} may not be written in this scope"
            )


event.listen(TenantSession, "do_orm_execute", _scope_criteria)
event.listen(TenantSession, "before_flush", _check_writes)
