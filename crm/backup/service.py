"""Back up, check and restore the database and the evidence files (shared by the CLI and
``chaincrm db upgrade``, which backs up before it migrates)."""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import metadata

from flask import current_app
from sqlalchemy import inspect, text

from crm.backup import postgres_db, sqlite_db
from crm.backup.archive import (
    FILES_PREFIX,
    ArchiveWriter,
    BackupError,
    Manifest,
    iter_verified_members,
    read_manifest,
)
from crm.core import clock
from crm.core.db import db

__all__ = [
    "BackupError",
    "backup_before_upgrade",
    "database_tables",
    "default_backup_path",
    "files_dir",
    "make_backup",
    "restore_backup",
    "verify_backup",
]

DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
_COPY_CHUNK = 1024 * 1024


def files_dir() -> str:
    """Where evidence files live (``FILES_DIR``, default ``<instance>/files``)."""
    return current_app.config.get("FILES_DIR") or os.path.join(current_app.instance_path, "files")


def _app_version() -> str:
    try:
        return metadata.version("chaincrm")
    except metadata.PackageNotFoundError:
        return "unknown"


def database_tables() -> list[str]:
    """The tables of the configured database (none: it is empty, a restore may fill it)."""
    return sorted(inspect(db.engine).get_table_names())


def default_backup_path(label: str) -> str:
    """``<instance>/backups/chaincrm-<label>-<UTC time>.tar`` (the folder is created)."""
    folder = os.path.join(current_app.instance_path, "backups")
    os.makedirs(folder, exist_ok=True)
    stamp = clock.utcnow().strftime("%Y%m%dT%H%M%SZ")
    return os.path.join(folder, f"chaincrm-{label}-{stamp}.tar")


def backup_before_upgrade(target: str) -> str | None:
    """Back up into ``<instance>/backups/`` before migrating to ``target``; the archive's
    path, or None when there is nothing to keep (no tables yet) or nothing to migrate."""
    from crm.core import migrate

    if not database_tables():
        return None
    current = migrate.current_revision()
    if current is not None and current == (migrate.head_revision() if target == "head" else target):
        return None
    path = default_backup_path(f"before-upgrade-{current or 'unversioned'}")
    make_backup(path)
    return path


def _evidence_files() -> list[tuple[str, str]]:
    """(member name, path) of every regular file under FILES_DIR, in a stable order."""
    root = files_dir()
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path) and not name.endswith(".partial"):
                found.append((FILES_PREFIX + os.path.relpath(path, root).replace(os.sep, "/"), path))
    return found


def make_backup(path: str) -> Manifest:
    """Write one archive at ``path``: the database, the evidence files and the manifest."""
    dialect = db.engine.dialect.name
    if dialect not in DATABASE_MEMBERS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {dialect}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BackupError(f"{folder}: no such folder")
    member = DATABASE_MEMBERS[dialect]
    writer = ArchiveWriter(path, mtime=clock.now().timestamp())
    try:
        with tempfile.TemporaryDirectory(dir=folder, prefix=".chaincrm-backup-") as scratch:
            copy = os.path.join(scratch, member)
            if dialect == "sqlite":
                sqlite_db.copy_database(db.engine.url.database, copy)
                counts, revision, roles = sqlite_db.row_counts(copy), sqlite_db.revision_of(copy), []
            else:
                with db.engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="REPEATABLE READ")
                    with connection.begin():
                        postgres_db.dump(db.engine.url, connection, copy)
                        counts = postgres_db.row_counts(connection)
                        revision = _pg_revision(connection, counts)
                        roles = postgres_db.app_roles(connection)
            writer.add_file(member, copy)
        for name, source in _evidence_files():
            writer.add_file(name, source)
        manifest = Manifest(
            app_version=_app_version(),
            alembic_revision=revision,
            dialect=dialect,
            created_at=clock.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            database_member=member,
            row_counts=counts,
            app_roles=roles,
        )
        writer.close(manifest)
    except BaseException:
        writer.abort()
        raise
    return manifest


def _pg_revision(connection, counts: dict[str, int]) -> str | None:
    if "alembic_version" not in counts:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_database_member(name: str, path: str, manifest: Manifest) -> None:
    if manifest.dialect == "sqlite":
        problem = sqlite_db.integrity_problem(path)
        if problem:
            raise BackupError(problem)
        counts = sqlite_db.row_counts(path)
        if counts != manifest.row_counts:
            changed = sorted(
                t
                for t in set(counts) | set(manifest.row_counts)
                if counts.get(t) != manifest.row_counts.get(t)
            )
            raise BackupError(f"row counts differ from the manifest in: {', '.join(changed[:5])}")
    else:
        postgres_db.list_dump(path)


def _unpack(path: str, scratch: str, files_target: str | None) -> tuple[Manifest, str]:
    """Check every member against the manifest; keep the database member in ``scratch`` and,
    when ``files_target`` is given, put the evidence files there. Returns the manifest and
    the database copy's path."""
    manifest = read_manifest(path)
    if manifest.dialect not in DATABASE_MEMBERS or manifest.database_member not in manifest.members:
        raise BackupError(f"manifest names no database member for {manifest.dialect!r}")
    database_copy = os.path.join(scratch, "database")
    for name, readable in iter_verified_members(path, manifest):
        if name == manifest.database_member:
            _copy_stream(readable, database_copy)
        elif name.startswith(FILES_PREFIX) and files_target is not None:
            _copy_stream(readable, os.path.join(files_target, *name[len(FILES_PREFIX) :].split("/")))
    _check_database_member(manifest.database_member, database_copy, manifest)
    return manifest, database_copy


def _copy_stream(readable, target: str) -> None:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = target + ".partial"
    with open(partial, "wb") as out:
        while chunk := readable.read(_COPY_CHUNK):
            out.write(chunk)
    os.replace(partial, target)


def verify_backup(path: str) -> Manifest:
    """Raise BackupError unless the archive is whole: manifest, every member's hash, and a
    database member that opens (SQLite: integrity check and row counts; PostgreSQL:
    ``pg_restore --list`` reads it)."""
    with tempfile.TemporaryDirectory(prefix="chaincrm-verify-") as scratch:
        manifest, _ = _unpack(path, scratch, files_target=None)
    return manifest


def restore_backup(path: str) -> tuple[Manifest, list[str]]:
    """Restore the archive into the configured database, which must be empty, and its
    evidence files into FILES_DIR. Returns the manifest and the roles named in it that
    could not be granted again (they do not exist here). Refuses with BackupError before
    writing anything when the archive is not whole or the database is not empty."""
    dialect = db.engine.dialect.name
    manifest = read_manifest(path)
    if manifest.dialect != dialect:
        raise BackupError(f"the backup is of a {manifest.dialect} database; this one is {dialect}")
    tables = database_tables()
    if tables:
        raise BackupError(
            f"the database is not empty ({len(tables)} tables, e.g. {', '.join(tables[:3])}): "
            "restore only into a new, empty database, so that nothing in it is lost or mixed"
        )
    target_files = files_dir()
    # The scratch folder sits beside FILES_DIR, so the checked files move into it by rename.
    scratch_parent = os.path.dirname(os.path.abspath(target_files))
    os.makedirs(scratch_parent, exist_ok=True)
    missing_roles: list[str] = []
    with tempfile.TemporaryDirectory(dir=scratch_parent, prefix=".chaincrm-restore-") as scratch:
        # Evidence files are named by their content's hash, so writing them into a
        # folder that already holds some cannot change any existing file's content.
        staged_files = os.path.join(scratch, "files")
        manifest, database_copy = _unpack(path, scratch, files_target=staged_files)
        if dialect == "sqlite":
            db.engine.dispose()
            sqlite_db.copy_database(database_copy, db.engine.url.database)
        else:
            with db.engine.connect() as connection:
                postgres_db.restore(db.engine.url, connection, database_copy)
            db.engine.dispose()
            missing_roles = _grant_again(manifest.app_roles)
        _move_files(staged_files, target_files)
    return manifest, missing_roles


def _grant_again(roles: list[str]) -> list[str]:
    """Grant each role what ``chaincrm db grant-app-role`` grants; the roles missing here."""
    from crm.core import migrate

    missing = []
    for role in roles:
        try:
            migrate.grant_app_role(role)
        except ValueError:
            missing.append(role)
    return missing


def _move_files(staged: str, target: str) -> None:
    for folder, _, names in os.walk(staged):
        for name in names:
            relative = os.path.relpath(os.path.join(folder, name), staged)
            destination = os.path.join(target, relative)
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            shutil.move(os.path.join(folder, name), destination)
