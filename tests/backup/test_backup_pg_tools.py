"""Issue 19: which pg_dump/pg_restore a PostgreSQL backup uses, and the clear refusal when
none is installed or the one found is older than the server."""

from __future__ import annotations

import os
import stat

import pytest

from crm.backup import postgres_db
from crm.backup.archive import BackupError


def _fake_tool(folder, name: str, major: int) -> str:
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {major}.3 (Debian)'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def only_bin_dir(monkeypatch, tmp_path):
    """Make the tools in tmp_path/bin (and no other) the ones found."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(postgres_db.glob, "glob", lambda pattern: [])
    return folder


def test_missing_pg_dump_is_a_clear_error(only_bin_dir):
    with pytest.raises(BackupError, match=r"pg_dump not found .*postgresql-client-15"):
        postgres_db.find_tool("pg_dump", 15)


def test_a_pg_dump_older_than_the_server_is_refused(only_bin_dir):
    old = _fake_tool(only_bin_dir, "pg_dump", 13)
    with pytest.raises(BackupError, match=r"older than the PostgreSQL server \(version 15\)") as refusal:
        postgres_db.find_tool("pg_dump", 15)
    assert old in str(refusal.value)


def test_the_same_or_a_newer_pg_dump_is_used(only_bin_dir):
    tool = _fake_tool(only_bin_dir, "pg_dump", 16)
    assert postgres_db.find_tool("pg_dump", 15) == tool


def test_a_versioned_install_is_used_when_the_one_on_path_is_too_old(only_bin_dir, monkeypatch, tmp_path):
    _fake_tool(only_bin_dir, "pg_dump", 13)
    versioned = tmp_path / "usr/lib/postgresql/17/bin"
    versioned.mkdir(parents=True)
    newer = _fake_tool(versioned, "pg_dump", 17)
    monkeypatch.setattr(postgres_db.glob, "glob", lambda pattern: [newer])
    assert postgres_db.find_tool("pg_dump", 15) == newer


def test_the_password_travels_in_the_environment_not_the_arguments():
    from sqlalchemy.engine import make_url

    arguments, environment = postgres_db._connection_arguments(
        make_url("postgresql+psycopg://owner:s3cret@db.example:5433/crm")
    )
    assert arguments == ["--host", "db.example", "--port", "5433", "--username", "owner"]
    assert "s3cret" not in " ".join(arguments) and environment["PGPASSWORD"] == "s3cret"
    assert os.environ.get("PGPASSWORD") != "s3cret"
