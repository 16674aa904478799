"""Moving a project and every county-owned record hanging on it to another county.

The records that move are found from the schema, not listed by hand: every county-owned
table with a foreign key to ``projects`` (funds, activities, stage history, commitments,
obligations, referrals…) and, transitively, the county-owned tables hanging on those
(fulfilments, reviews, co-referrers…). Two kinds stay: ``KEPT`` (reward lines and their
objections are the old county's lists, snapshots of what it decided) and ``DROPPED``
(a project's place on a segment names the old county's chain, which the new county cannot
see: the link is deleted).

Core UPDATEs, each with its own audit rows (``AUDIT_WRITTEN``): one row per table for the
county the records left and one for the county they joined, so both counties' versions move
and their cached figures are recomputed (crm/core/county_cache.py).
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from crm.audit.recorder import AUDIT_WRITTEN, insert_audit_rows
from crm.core.db import Base, CountyOwned, db, utcnow
from crm.core.tenancy import system_scope

__all__ = ["DROPPED", "KEPT", "move_project", "project_tables"]

KEPT = frozenset({"reward_lines", "reward_objections"})
DROPPED = frozenset({"project_segments"})
OWN_AUDIT_ROWS = {AUDIT_WRITTEN: True}


def _county_owned_tables():
    return {
        m.local_table.name: m.local_table for m in Base.registry.mappers if issubclass(m.class_, CountyOwned)
    }


def project_tables() -> list[tuple]:
    """[(table, column, parent table)] of the county-owned records hanging on a project,
    parents before children; ``parent`` is the table ``column`` points to."""
    tables = _county_owned_tables()
    found, reached = [], {"projects"}
    frontier = ["projects"]
    while frontier:
        parent = frontier.pop(0)
        for name, table in sorted(tables.items()):
            if name in reached or name in KEPT:
                continue
            for column in table.c:
                if any(
                    fk.column.table.name == parent and fk.column.name == "id" for fk in column.foreign_keys
                ):
                    found.append((table, column, parent))
                    reached.add(name)
                    frontier.append(name)
                    break
    return found


def _ids_of(table_name: str, project_id: int, chain: dict):
    """A select of the ids of ``table_name``'s rows hanging on the project."""
    tables = _county_owned_tables()
    if table_name == "projects":
        return select(tables["projects"].c.id).where(tables["projects"].c.id == project_id)
    table, column, parent = chain[table_name]
    return select(table.c.id).where(column.in_(_ids_of(parent, project_id, chain)))


def move_project(project_id: int, from_county: int, to_county: int, actor, new_owner_id: int | None) -> dict:
    """Move the project and its records from ``from_county`` to ``to_county``; returns
    {table: rows moved (or deleted for ``DROPPED``)}. The caller has checked who may."""
    tables = _county_owned_tables()
    chain = {table.name: (table, column, parent) for table, column, parent in project_tables()}
    moved: dict[str, int] = {}
    with system_scope():
        for name, (table, _column, _parent) in chain.items():
            where = table.c.id.in_(_ids_of(name, project_id, chain))
            if name in DROPPED:
                count = db.session.execute(
                    delete(table).where(where), execution_options=OWN_AUDIT_ROWS
                ).rowcount
            else:
                values = {"county_id": to_county}
                if "version" in table.c:
                    values["version"] = table.c.version + 1  # an open edit form sees the change
                count = db.session.execute(
                    update(table).where(where).values(values), execution_options=OWN_AUDIT_ROWS
                ).rowcount
            if count:
                moved[name] = count
        projects = tables["projects"]
        db.session.execute(
            update(projects)
            .where(projects.c.id == project_id)
            .values(
                county_id=to_county,
                owner_id=new_owner_id,
                version=projects.c.version + 1,
                updated_at=utcnow(),
            ),
            execution_options=OWN_AUDIT_ROWS,
        )
        moved["projects"] = 1
        before, after = {"county_id": from_county}, {"county_id": to_county, "moved": moved}
        for county, action in ((from_county, "transfer_out"), (to_county, "transfer_in")):
            insert_audit_rows(
                db.session, "projects", action, [(project_id, county, before, after)], actor=actor
            )
    db.session.expire_all()
    return moved


def remaining_in(project_id: int, county_id: int) -> int:
    """Records of the project still in ``county_id`` (tests: nothing is left behind)."""
    chain = {table.name: (table, column, parent) for table, column, parent in project_tables()}
    total = 0
    with system_scope():
        for name, (table, _c, _p) in chain.items():
            total += db.session.execute(
                select(func.count())
                .select_from(table)
                .where(table.c.id.in_(_ids_of(name, project_id, chain)), table.c.county_id == county_id)
            ).scalar_one()
    return total
