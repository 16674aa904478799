"""Writes an audit row for every create, update and delete of audited records.

A model is audited when it is county-owned or sets ``__audited__ = True``. Columns named
in ``__audit_exclude__`` are recorded as changed but with their values masked; columns in
``__audit_derived__`` (kept from other columns, such as a name's pinyin) are left out.

ORM writes are recorded at flush, one row per record. A bulk ``UPDATE`` or ``DELETE``
run through the session (``session.execute(update(Project)...)``) is recorded too, one
row per county it touched (the county cache is keyed by each county's newest audit row,
crm/core/county_cache.py), unless the caller writes its own rows and says so with the
execution option ``audit_written=True`` (a company merge does, with what it moved).

A bulk path that inserts many records with Core (a ledger import) writes the same rows a
flush would through :func:`insert_audited` and :func:`write_updates`.
"""

from __future__ import annotations

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from crm.audit.models import AuditEvent
from crm.core.db import Base, CountyOwned, utcnow
from crm.core.serialize import jsonable
from crm.core.session import TenantScopeError, TenantSession, note_core_insert
from crm.core.tenancy import current_scope  # its session listeners must come before these

__all__ = ["AUDIT_WRITTEN", "MASK", "insert_audit_rows", "insert_audited", "write_updates"]

MASK = "***"
AUDIT_WRITTEN = "audit_written"  # execution option: the caller writes this statement's audit rows


def _is_audited(obj) -> bool:
    return isinstance(obj, CountyOwned) or getattr(obj, "__audited__", False)


def _jsonable(value):
    value = jsonable(value)
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _column_values(obj, only: set[str] | None = None, use_committed: bool = False) -> dict:
    state = inspect(obj)
    excluded = set(getattr(obj, "__audit_exclude__", ()))
    derived = set(getattr(obj, "__audit_derived__", ()))
    values = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in derived or (only is not None and key not in only):
            continue
        if use_committed:
            # load_history fetches an expired old value (e.g. after a commit) before it is lost.
            history = state.attrs[key].load_history()
            value = (
                history.deleted[0]
                if history.deleted
                else (history.unchanged[0] if history.unchanged else None)
            )
        else:
            value = state.attrs[key].value
        values[key] = MASK if key in excluded else _jsonable(value)
    return values


def _changed_keys(obj) -> set[str]:
    state = inspect(obj)
    derived = set(getattr(obj, "__audit_derived__", ()))
    return {
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
        and attr.key != "updated_at"
        and attr.key not in derived
    }


def _record_values(model, record: dict) -> dict:
    """``_column_values`` of a record given as a dict of column values (a Core insert's row)."""
    excluded = set(getattr(model, "__audit_exclude__", ()))
    derived = set(getattr(model, "__audit_derived__", ()))
    return {
        attr.key: MASK if attr.key in excluded else _jsonable(record.get(attr.key))
        for attr in inspect(model).column_attrs
        if attr.key not in derived
    }


def _actor(session: Session) -> tuple[int | None, str, int | None]:
    """(actor id, actor name, the county a record without one is written for), as ``_collect``."""
    scope = current_scope(session)
    actor_id = getattr(scope, "actor_id", None)
    actor_name = getattr(scope, "actor_name", "") or ("" if actor_id else "system")
    return actor_id, actor_name, getattr(scope, "write_county_id", None)


def _check_counties(session: Session, model, rows: list[dict]) -> None:
    """The tenancy's flush check (``crm.core.tenancy``) for rows that bypass the flush."""
    if not issubclass(model, CountyOwned):
        return
    scope = current_scope(session)
    if scope is None:
        raise TenantScopeError("County-owned records were written with no tenant scope set")
    for county_id in {row.get("county_id") for row in rows}:
        if county_id is None or not scope.can_write(county_id):
            raise TenantScopeError(f"{model.__name__} of county {county_id} may not be written in this scope")


def insert_audited(session: Session, model, rows: list[dict], created: list[dict] | None = None) -> list[int]:
    """Insert ``rows`` (dicts of column values, all with the same keys) into ``model``'s table
    with one multi-row INSERT, and write the "create" audit row a flush would write for each.
    Returns the new ids in the order of ``rows``.

    ``created`` (one dict per row) is what the audit rows record instead of ``rows``: for a
    record inserted as it stands after a later change that has its own audit row (a project
    created at 线索 and moved on in the same step, ``crm.projects.services.create_projects``).
    The tenant scope is checked as a flush checks it, and the modules that watch flushes
    are told of the rows (``crm.core.session.on_core_insert``).
    """
    if not rows:
        return []
    _check_counties(session, model, rows)
    table = model.__table__
    result = session.connection().execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    )
    ids = [row[0] for row in result]
    insert_audit_rows(
        session,
        table.name,
        "create",
        (
            (record_id, values.get("county_id"), None, _record_values(model, {**values, "id": record_id}))
            for record_id, values in zip(ids, created or rows, strict=True)
        ),
    )
    note_core_insert(session, model, ids)
    return ids


def write_updates(session: Session, model, changes: list[tuple[int, int | None, dict, dict]]) -> None:
    """The "update" audit rows of records changed outside a flush: (id, county, the changed
    columns' values before, after), recorded as ``_collect`` records an update."""
    if not changes:
        return
    excluded = set(getattr(model, "__audit_exclude__", ()))

    def shown(values: dict) -> dict:
        return {key: MASK if key in excluded else _jsonable(value) for key, value in values.items()}

    insert_audit_rows(
        session,
        model.__tablename__,
        "update",
        (
            (record_id, county_id, shown(before), shown(after))
            for record_id, county_id, before, after in changes
        ),
    )


def insert_audit_rows(session: Session, table_name: str, action: str, entries, *, actor=None) -> None:
    """One multi-row INSERT of audit rows for writes made outside a flush; ``entries`` are
    (record id, county or None for the scope's, before, after). ``actor`` (a user) is who
    acted when that is not the scope's actor: a move between counties runs in the system scope."""
    actor_id, actor_name, fallback_county = _actor(session)
    if actor is not None:
        actor_id, actor_name = actor.id, actor.username
    now = utcnow()
    session.connection().execute(
        insert(AuditEvent.__table__),
        [
            {
                "at": now,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "county_id": county_id or fallback_county,
                "table_name": table_name,
                "record_id": record_id,
                "action": action,
                "before": before,
                "after": after,
            }
            for record_id, county_id, before, after in entries
        ],
    )


def _table_and_id(obj) -> tuple:
    # The session keeps changed records in no stable order: two runs of the same work
    # (the demo, an import) would log one flush's changes in different orders.
    return obj.__tablename__, inspect(obj).identity


def _collect(session: Session, flush_context, instances) -> None:
    scope = current_scope(session)
    actor_id = getattr(scope, "actor_id", None)
    actor_name = getattr(scope, "actor_name", "") or ("" if actor_id else "system")
    fallback_county = getattr(scope, "write_county_id", None)
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if _is_audited(obj):
            pending.append(("create", obj, None))
    for obj in sorted(session.dirty, key=_table_and_id):
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            keys = _changed_keys(obj)
            if keys - {"version"}:
                pending.append(("update", obj, _column_values(obj, keys, use_committed=True)))
    for obj in session.deleted:
        if _is_audited(obj):
            pending.append(("delete", obj, _column_values(obj, use_committed=True)))
    session.info["audit_actor"] = (actor_id, actor_name, fallback_county)


def _write(session: Session, flush_context) -> None:
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor_id, actor_name, fallback_county = session.info.pop("audit_actor", (None, "", None))
    now = utcnow()
    rows = []
    for action, obj, before in pending:
        after = None
        if action == "create":
            after = _column_values(obj)
        elif action == "update":
            after = _column_values(obj, set(before))
        rows.append(
            {
                "at": now,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "county_id": getattr(obj, "county_id", None) or fallback_county,
                "table_name": obj.__tablename__,
                "record_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
                "action": action,
                "before": before,
                "after": after,
            }
        )
    session.connection().execute(insert(AuditEvent.__table__), rows)


event.listen(TenantSession, "before_flush", _collect)
event.listen(TenantSession, "after_flush", _write)


def _audited_class(table):
    """The county-owned model mapped to ``table``, or None (by name: an ORM statement
    holds an annotated copy of the table)."""
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table.name and issubclass(mapper.class_, CountyOwned):
            return mapper.class_
    return None


@event.listens_for(TenantSession, "do_orm_execute")
def _record_bulk_write(state: ORMExecuteState):
    if not (state.is_update or state.is_delete) or state.execution_options.get(AUDIT_WRITTEN):
        return None
    statement = state.statement
    table = statement.table
    model = _audited_class(table)
    if model is None:
        return None
    # Through the model, so that the tenant scope narrows it as it narrows the statement.
    touched = select(model.county_id).distinct()
    if statement.whereclause is not None:
        touched = touched.where(statement.whereclause)
    counties = [cid for cid in state.session.execute(touched).scalars() if cid is not None]
    result = state.invoke_statement()
    if counties and result.rowcount:
        scope = current_scope(state.session)
        state.session.connection().execute(
            insert(AuditEvent.__table__),
            [
                {
                    "at": utcnow(),
                    "actor_id": getattr(scope, "actor_id", None),
                    "actor_name": getattr(scope, "actor_name", "") or "system",
                    "county_id": county_id,
                    "table_name": table.name,
                    "record_id": None,
                    "action": "update" if state.is_update else "delete",
                    "before": None,
                    # The statement's rows in all the counties it touched: no per-record detail.
                    "after": {"bulk_rows": result.rowcount},
                }
                for county_id in counties
            ],
        )
    return result


def _keep_old_value(target, value, oldvalue, initiator):
    return value


@event.listens_for(Mapper, "mapper_configured")
def _load_old_values_on_set(mapper, class_) -> None:
    # Setting an expired attribute (e.g. after a commit) would otherwise lose its old value,
    # and the audit row would show "before: null". active_history loads it first.
    if not (issubclass(class_, CountyOwned) or getattr(class_, "__audited__", False)):
        return
    for attr in mapper.column_attrs:
        event.listen(getattr(class_, attr.key), "set", _keep_old_value, active_history=True, retval=True)
