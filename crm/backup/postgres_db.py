"""PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` run as child processes.

The tools get the connection from the database URL: host, port, user and database name
as arguments, the password in ``PGPASSWORD`` (never on a command line, where every user
of the machine can read it). The dump runs in a snapshot exported by the connection that
also counts the rows, so the manifest's counts describe exactly the dumped data.

Privileges are neither dumped into effect nor restored (``--no-owner --no-privileges``):
the roles of the restoring server may differ, and a GRANT to a missing role would fail the
restore. The manifest lists the roles that ran the server instead (those allowed to add to
the audit log without owning it); the restore grants them again with
``crm.core.migrate.grant_app_role``, the same statements ``chaincrm db grant-app-role`` runs.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection

from crm.backup.archive import BackupError

__all__ = ["app_roles", "dump", "find_tool", "list_dump", "restore", "row_counts", "server_major"]

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


def _tool_major(path: str) -> int | None:
    try:
        output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = _VERSION.search(output)
    return int(match.group(1)) if match else None


def find_tool(name: str, server_major: int) -> str:
    """The ``pg_dump``/``pg_restore`` to use: the one on PATH if it is at least the server's
    major version, else the newest under /usr/lib/postgresql/*/bin that is."""
    candidates = []
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    candidates += sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(re.sub(r"\D", "", p.split("/")[4]) or 0),
        reverse=True,
    )
    if not candidates:
        raise BackupError(
            f"{name} not found (neither on PATH nor under /usr/lib/postgresql/*/bin): install the "
            f"PostgreSQL client tools, version {server_major} or newer (Debian: postgresql-client-{server_major})"
        )
    found = []
    for candidate in candidates:
        major = _tool_major(candidate)
        if major is not None and major >= server_major:
            return candidate
        found.append(f"{candidate} (version {major})")
    raise BackupError(
        f"{name} is older than the PostgreSQL server (version {server_major}) and cannot be used: "
        f"found {', '.join(found)}; install postgresql-client-{server_major} or newer"
    )


def server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def _connection_arguments(url: URL) -> tuple[list[str], dict[str, str]]:
    """Arguments naming the server and database, and the environment holding the password."""
    arguments = []
    host = url.host or url.query.get("host")
    if host:
        arguments += ["--host", str(host)]
    if url.port:
        arguments += ["--port", str(url.port)]
    if url.username:
        arguments += ["--username", url.username]
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    sslmode = url.query.get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return arguments, environment


def _run(command: list[str], environment: dict[str, str], what: str) -> str:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            f"{what} failed: " + (" / ".join(detail[-3:]) or f"exit status {result.returncode}")
        )
    return result.stdout


def row_counts(connection: Connection) -> dict[str, int]:
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    ).scalars()
    return {t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in list(tables)}


def app_roles(connection: Connection) -> list[str]:
    """Roles other than the owner that may add to the audit log: the server's roles."""
    return list(
        connection.execute(
            text(
                "SELECT DISTINCT r.rolname FROM pg_class c "
                "CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee "
                "WHERE c.oid = to_regclass('audit_events') AND a.privilege_type = 'INSERT' "
                "AND a.grantee <> c.relowner ORDER BY r.rolname"
            )
        ).scalars()
    )


def dump(url: URL, connection: Connection, target_path: str) -> None:
    """``pg_dump`` into ``target_path`` in the snapshot of ``connection``'s open transaction
    (which must be REPEATABLE READ and stay open until this returns)."""
    tool = find_tool("pg_dump", server_major(connection))
    snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
    arguments, environment = _connection_arguments(url)
    _run(
        [
            tool,
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={target_path}",
            *arguments,
            "--dbname",
            url.database,
        ],
        environment,
        "pg_dump",
    )


def list_dump(dump_path: str) -> None:
    """Raise BackupError unless ``pg_restore --list`` reads the dump."""
    tool = find_tool("pg_restore", 0)
    _run([tool, "--list", dump_path], dict(os.environ), "pg_restore --list")


def restore(url: URL, connection: Connection, dump_path: str) -> None:
    """Load the dump into the (empty) database in one transaction: all of it or nothing."""
    tool = find_tool("pg_restore", server_major(connection))
    arguments, environment = _connection_arguments(url)
    _run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            "--dbname",
            url.database,
            dump_path,
        ],
        environment,
        "pg_restore",
    )
