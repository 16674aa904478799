"""SQLite: copy a live database file page by page with SQLite's online backup API.

``sqlite3.Connection.backup`` reads the source inside one read transaction, so the copy
is a consistent moment of the database even while the server writes (WAL mode lets the
reader and the writer run side by side); a writer in the middle of committing makes it
wait and retry, never copy half a transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["copy_database", "integrity_problem", "row_counts", "revision_of"]

_BUSY_TIMEOUT_SECONDS = 30


def copy_database(source_path: str, target_path: str) -> None:
    """Copy the database at ``source_path`` into ``target_path`` (created or overwritten)."""
    source = sqlite3.connect(source_path, timeout=_BUSY_TIMEOUT_SECONDS)
    try:
        target = sqlite3.connect(target_path, timeout=_BUSY_TIMEOUT_SECONDS)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def row_counts(path: str) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in _tables(connection)
        }
    finally:
        connection.close()


def revision_of(path: str) -> str | None:
    connection = sqlite3.connect(path)
    try:
        if "alembic_version" not in _tables(connection):
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def integrity_problem(path: str) -> str | None:
    """None when the file opens as a SQLite database and passes ``PRAGMA quick_check``."""
    try:
        connection = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            result = [row[0] for row in connection.execute("PRAGMA quick_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return f"the database member does not open as SQLite ({exc})"
    return None if result == ["ok"] else "SQLite integrity check failed: " + "; ".join(result[:3])
