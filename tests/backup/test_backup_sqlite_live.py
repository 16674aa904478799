"""Issue 19: a SQLite backup is consistent while the server writes — another connection
holding an open write transaction, or committing row after row during the backup."""

from __future__ import annotations

import sqlite3
import tarfile
import threading

import pytest
from backup_support import POSTGRES_URL

from crm.backup import sqlite_db
from crm.core.db import db

pytestmark = pytest.mark.skipif(bool(POSTGRES_URL), reason="SQLite's online backup API")

INSERT = "INSERT INTO audit_events (at, actor_name, table_name, action) VALUES (CURRENT_TIMESTAMP, ?, 'regions', 'create')"


def _database_path(app) -> str:
    with app.app_context():
        return db.engine.url.database


def _backed_up_rows(archive: str, tmp_path) -> tuple[int, list[str]]:
    """(rows in audit_events, the sqlite integrity check) of the archive's database."""
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite", tmp_path, filter="data")
    path = str(tmp_path / "database.sqlite")
    assert sqlite_db.integrity_problem(path) is None
    return sqlite_db.row_counts(path)["audit_events"]


def test_backup_runs_while_another_connection_holds_a_write_transaction(app, world, runner, tmp_path):
    writer = sqlite3.connect(_database_path(app), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long request would
    writer.execute(INSERT, ("uncommitted",))
    committed = writer.execute("SELECT count(*) FROM audit_events").fetchone()[0] - 1
    try:
        result = runner.invoke(args=["backup", "-o", str(tmp_path / "b.tar")])
        assert result.exit_code == 0, result.output
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # The backup holds what was committed, not the open transaction's row.
    assert _backed_up_rows(str(tmp_path / "b.tar"), tmp_path) == committed
    assert runner.invoke(args=["backup", "--verify", str(tmp_path / "b.tar")]).exit_code == 0


def test_backup_runs_while_another_connection_commits_row_after_row(app, world, runner, tmp_path):
    path = _database_path(app)
    stop, written = threading.Event(), []

    def keep_writing():
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA busy_timeout=30000")
        while not stop.is_set():
            connection.execute(INSERT, (f"writer {len(written)}",))
            written.append(1)
        connection.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        while len(written) < 20:  # the writer is well under way
            stop.wait(0.01)
        for attempt in range(3):
            archive = str(tmp_path / f"b{attempt}.tar")
            result = runner.invoke(args=["backup", "-o", archive])
            assert result.exit_code == 0, result.output
            # Whole and consistent: the manifest's counts were taken from the copy itself.
            verified = runner.invoke(args=["backup", "--verify", archive])
            assert verified.exit_code == 0, verified.output
    finally:
        stop.set()
        thread.join()
    assert len(written) > 20
