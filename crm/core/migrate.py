"""Alembic from inside the app: ``chaincrm db upgrade`` and the demo use these."""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import text

from crm.core.db import db
from crm.core.resources import RESOURCE_ROOT

__all__ = [
    "alembic_config",
    "check_known_revision",
    "DatabaseNewerThanCode",
    "analyze",
    "analyze_if_never_done",
    "analyze_unmeasured_indexes",
    "current_revision",
    "downgrade",
    "for_dialect",
    "grant_app_role",
    "head_revision",
    "MIGRATIONS_DIR",
    "upgrade",
]

MIGRATIONS_DIR = os.path.join(RESOURCE_ROOT, "migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return config


def for_dialect(dialect_name: str):
    """An Alembic ``include_object`` that leaves out what the models declare for another
    database only (``Index(...).ddl_if(dialect=...)``), which Alembic does not know about:
    without it, comparing models and schema reports the other database's indexes missing."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        condition = getattr(obj, "_ddl_if", None)  # SQLAlchemy keeps ddl_if() here
        return condition is None or condition.dialect is None or condition.dialect == dialect_name

    return include


class DatabaseNewerThanCode(Exception):
    """The database's schema revision is not among this code's migrations."""


def check_known_revision() -> str | None:
    """The database's revision; raises DatabaseNewerThanCode if the code does not know it.

    An unknown revision means a later chaincrm migrated this database (or the code is an
    older checkout): migrating from there is impossible, and running older code on a newer
    schema would misread it.
    """
    revision = current_revision()
    if revision is None:
        return None
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:  # "Can't locate revision identified by ..."
        known = False
    if not known:
        raise DatabaseNewerThanCode(
            f"the database is at schema revision {revision!r}, which this chaincrm does not know "
            f"(newest known: {head_revision()!r}): it was upgraded by a newer version. Run that "
            "version, or restore a backup taken before its upgrade (README: Backup and restore)."
        )
    return revision


def upgrade(revision: str = "head") -> None:
    """Migrate to ``revision``; refuses a database newer than the code (``check_known_revision``).
    Indexes the migration adds to a SQLite database with statistics get theirs at once
    (:func:`analyze_unmeasured_indexes`)."""
    check_known_revision()
    command.upgrade(alembic_config(), revision)
    analyze_unmeasured_indexes()


def analyze_unmeasured_indexes() -> list[str]:
    """On SQLite with statistics, ``ANALYZE`` each index that has none; returns their names.

    SQLite takes an index without statistics for a selective one: after migration 0023
    added ``ix_projects_county_amount``, a coordinator's newest projects were read through
    it and sorted (245 ms at 500,000 projects) instead of walking ``ix_projects_updated``
    (1 ms). A database that never had statistics is left to :func:`analyze_if_never_done`.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name != "sqlite" or not _has_sqlite_stats(connection):
            return []
        unmeasured = list(
            connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL) "
                    "AND tbl_name IN (SELECT tbl FROM sqlite_stat1)"
                )
            ).scalars()
        )
        for name in unmeasured:
            connection.execute(text(f'ANALYZE "{name}"'))
        connection.commit()
    return unmeasured


def _has_sqlite_stats(connection) -> bool:
    if not connection.execute(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).scalar_one():
        return False
    return bool(connection.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar_one())


def downgrade(revision: str) -> None:
    command.downgrade(alembic_config(), revision)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def analyze() -> None:
    """Gather the planner's table statistics (``ANALYZE``).

    SQLite keeps none until ``ANALYZE`` runs, and without them it plans a coordinator's
    "latest activities of 100 counties" as a sort of every row instead of an index walk.
    Sampled statistics (``analysis_limit``) were tried and are worse than none: they
    flipped that plan to a 1.9 s sort at 5 million activities.

    On PostgreSQL it is ``VACUUM (ANALYZE)``: the vacuum marks the pages of freshly
    loaded rows all-visible, so that counts and sums over a province can be read from an
    index alone instead of every row (16 ms → 4 ms for 50,000 projects). Autovacuum gets
    there too, but at its own time after a bulk load.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # VACUUM refuses to run inside a transaction block.
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM (ANALYZE)"))
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()


def analyze_if_never_done() -> bool:
    """Run :func:`analyze` on a SQLite database that has no statistics yet; True if it ran.

    PostgreSQL's autovacuum gathers statistics by itself.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name != "sqlite" or _has_sqlite_stats(connection):
            return False
    analyze()
    return True


def grant_app_role(role: str) -> None:
    """Let the PostgreSQL role ``role`` run the application without owning its tables.

    The owner of a table can drop its triggers or ``ALTER TABLE ... DISABLE TRIGGER``, so an
    audit log is append-only only against a role that does not own it. Migrations run as
    the owner; the server runs as ``role``, which may read and write every table, add to
    the audit log but never change or remove a row of it, and not touch the schema
    version. Run it again after each ``chaincrm db upgrade`` (new tables need grants).
    """
    with db.engine.begin() as connection:
        if connection.dialect.name != "postgresql":
            raise ValueError("database roles exist on PostgreSQL only")
        if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
            raise ValueError(
                f"PostgreSQL role {role!r} does not exist (CREATE ROLE {role} LOGIN PASSWORD ...)"
            )
        grantee = connection.dialect.identifier_preparer.quote(role)
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {grantee}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {grantee}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM {grantee}",
        ):
            connection.execute(text(statement))
        if connection.execute(text("SELECT to_regclass('alembic_version')")).scalar_one() is not None:
            connection.execute(
                text(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {grantee}")
            )
