"""The migrations build exactly the schema of the models, and upgrades keep data."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from migration_support import NOW, QISHAN_COUNTY_ROW, fetch_all, project_row, run_sql
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError

from crm.core import migrate
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.regions.models import Region


def test_upgrade_to_head_matches_the_models(empty_app):
    with empty_app.app_context():
        migrate.upgrade("head")
        assert migrate.current_revision() == migrate.head_revision()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": migrate.for_dialect(connection.dialect.name)},
            )
            assert compare_metadata(context, db.metadata) == []


def test_migrated_audit_log_is_append_only(empty_app):
    with empty_app.app_context():
        migrate.upgrade("head")
        run_sql(
            "INSERT INTO audit_events (at, actor_name, table_name, action) "
            f"VALUES ({NOW}, 'x', 'regions', 'create')"
        )
        with pytest.raises(DatabaseError):
            run_sql("DELETE FROM audit_events")
        replace = {
            "sqlite": "REPLACE INTO audit_events (id, at, actor_name, table_name, action) "
            "SELECT id, at, 'forger', table_name, action FROM audit_events",
            "postgresql": "INSERT INTO audit_events (id, at, actor_name, table_name, action) "
            "SELECT id, at, 'forger', table_name, action FROM audit_events "
            "ON CONFLICT (id) DO UPDATE SET actor_name = 'forger'",
        }
        with pytest.raises(DatabaseError):
            run_sql(replace[db.engine.dialect.name])


def test_downgrade_to_base_and_up_again(empty_app):
    with empty_app.app_context():
        migrate.upgrade("head")
        migrate.downgrade("base")
        assert migrate.current_revision() is None
        migrate.upgrade("head")
        assert migrate.current_revision() == migrate.head_revision()


def test_demo_on_an_existing_database_upgrades_and_keeps_data(empty_app, monkeypatch):
    monkeypatch.setenv("CHAINCRM_DEMO_PASSWORD", "demo-pass-123")
    with empty_app.app_context():
        migrate.upgrade("0001")
        run_sql(
            "INSERT INTO regions (code, name, level, created_at, updated_at) "
            f"VALUES ('620000', '甘肃省', 'province', {NOW}, {NOW})"
        )
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "保留现有数据" in result.output
    with empty_app.app_context(), system_scope():
        assert migrate.current_revision() == migrate.head_revision()
        assert db.session.execute(select(Region.name)).scalars().all() == ["甘肃省"]


def test_demo_on_an_empty_database_prints_every_role(empty_app, monkeypatch):
    monkeypatch.setenv("CHAINCRM_DEMO_PASSWORD", "demo-pass-123")
    result = empty_app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    for role in ("admin", "coordinator", "manager", "staff", "leader"):
        assert role in result.output
    client = empty_app.test_client()
    response = client.post("/login", data={"username": "qishan_staff", "password": "demo-pass-123"})
    assert response.status_code == 302
    with empty_app.app_context(), system_scope():
        codes = set(db.session.execute(select(Region.code)).scalars())
    assert {"610000", "610300", "610323", "610324"} <= codes
    again = empty_app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and "保留现有数据" in again.output


def test_an_upgrade_gives_the_indexes_it_adds_their_statistics_on_sqlite(empty_app):
    """SQLite plans with an unmeasured index as if it were selective: after 0023 a
    coordinator's newest projects were read through the new index and sorted."""
    with empty_app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's statistics are per column and gathered by autovacuum")
        migrate.upgrade("0022")
        run_sql(QISHAN_COUNTY_ROW)
        run_sql(project_row(planned_investment_wan="500", name_initials="'xclxm'", code_name_initials="''"))
        migrate.analyze()
        migrate.upgrade("head")
        measured = fetch_all("SELECT idx FROM sqlite_stat1 WHERE tbl = 'projects'")
        assert ("ix_projects_county_amount",) in measured
