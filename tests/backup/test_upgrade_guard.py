"""Issue 19: `chaincrm db upgrade` refuses a database newer than the code, and backs up
into <instance>/backups/ before it migrates (not for a new database; --no-backup skips)."""

from __future__ import annotations

import os

import pytest
from backup_support import POSTGRES_URL, make_backup_app
from db_support import reset_postgres
from sqlalchemy import text

from crm.backup.archive import read_manifest
from crm.core import migrate
from crm.core.db import db

FUTURE = "0999_from_a_newer_chaincrm"


@pytest.fixture
def instance_app(tmp_path):
    """An app on a database without any schema, with its instance folder in tmp_path."""
    url = POSTGRES_URL or "sqlite:///" + str(tmp_path / "db.sqlite")
    if POSTGRES_URL:
        reset_postgres(url)
    app = make_backup_app(url, str(tmp_path / "instance"))
    yield app
    with app.app_context():
        db.engine.dispose()
    if POSTGRES_URL:
        reset_postgres(url)


def _backups(app) -> list[str]:
    folder = os.path.join(app.instance_path, "backups")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def _set_revision(app, revision: str) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_a_new_database_is_upgraded_without_a_backup(instance_app):
    result = instance_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _backups(instance_app) == []


def test_upgrade_backs_up_first_and_the_backup_is_the_old_schema(instance_app):
    runner = instance_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0016"]).exit_code == 0
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    [name] = _backups(instance_app)
    assert name.startswith("chaincrm-before-upgrade-0016-") and name in result.output
    path = os.path.join(instance_app.instance_path, "backups", name)
    assert read_manifest(path).alembic_revision == "0016"
    assert runner.invoke(args=["backup", "--verify", path]).exit_code == 0
    with instance_app.app_context():
        assert migrate.current_revision() == migrate.head_revision()


def test_no_backup_skips_it_and_an_up_to_date_database_needs_none(instance_app):
    runner = instance_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0016"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade", "--no-backup"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0  # already at head
    assert _backups(instance_app) == []


def test_upgrade_refuses_a_database_newer_than_the_code(instance_app):
    runner = instance_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    _set_revision(instance_app, FUTURE)
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 1
    assert FUTURE in result.output and "newer version" in result.output
    assert "Traceback" not in result.output
    with instance_app.app_context():
        assert migrate.current_revision() == FUTURE  # untouched
    assert _backups(instance_app) == []


def test_the_demo_refuses_a_database_newer_than_the_code(instance_app, monkeypatch):
    monkeypatch.setenv("CHAINCRM_DEMO_PASSWORD", "demo-pass-123")
    runner = instance_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    _set_revision(instance_app, FUTURE)
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 1 and FUTURE in result.output and "Traceback" not in result.output
