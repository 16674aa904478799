"""Finding 8: the audit log cannot be rewritten, neither by REPLACE on SQLite nor, on
PostgreSQL, by the role the server runs as (which does not own the table)."""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.core.tenancy import system_scope

POSTGRES_URL = os.environ.get("CHAINCRM_TEST_DATABASE_URL")
APP_ROLE, APP_ROLE_PASSWORD = "chaincrm_app", "chaincrm_app"  # created by .ci/run

REWRITES = {
    "sqlite": [
        "INSERT OR REPLACE INTO audit_events (id, at, actor_name, table_name, action) "
        "VALUES (:id, CURRENT_TIMESTAMP, 'forger', 'projects', 'update')",
        "REPLACE INTO audit_events (id, at, actor_name, table_name, action) "
        "VALUES (:id, CURRENT_TIMESTAMP, 'forger', 'projects', 'update')",
        "INSERT INTO audit_events (id, at, actor_name, table_name, action) "
        "VALUES (:id, CURRENT_TIMESTAMP, 'forger', 'projects', 'update') "
        "ON CONFLICT (id) DO UPDATE SET actor_name = 'forger'",
    ],
    "postgresql": [
        "INSERT INTO audit_events (id, at, actor_name, table_name, action) "
        "VALUES (:id, now(), 'forger', 'projects', 'update') "
        "ON CONFLICT (id) DO UPDATE SET actor_name = 'forger'",
    ],
}


def _first_event(app) -> tuple[int, str]:
    with app.app_context(), system_scope():
        row = db.session.execute(select(AuditEvent.id, AuditEvent.actor_name).order_by(AuditEvent.id)).first()
    assert row is not None, "the fixture should have left audit rows"
    return row.id, row.actor_name


def test_an_existing_audit_row_cannot_be_replaced(app, world):
    event_id, actor = _first_event(app)
    with app.app_context():
        for statement in REWRITES[db.engine.dialect.name]:
            with pytest.raises(DBAPIError, match="append-only"):
                with db.engine.begin() as connection:
                    connection.execute(text(statement), {"id": event_id})
    assert _first_event(app) == (event_id, actor)


def test_new_rows_are_still_appended(app, world):
    with app.app_context():
        with db.engine.begin() as connection:
            before = connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, actor_name, table_name, action) "
                    "VALUES (CURRENT_TIMESTAMP, 'x', 'regions', 'create')"
                )
            )
            assert connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one() == before + 1


def _app_role_url() -> str:
    return (
        make_url(POSTGRES_URL)
        .set(username=APP_ROLE, password=APP_ROLE_PASSWORD)
        .render_as_string(hide_password=False)
    )


@pytest.mark.skipif(not POSTGRES_URL, reason="database roles are a PostgreSQL matter")
def test_the_server_runs_as_a_role_that_cannot_rewrite_the_audit_log(app, world, runner):
    from clock_support import PINNED_NOW
    from live_http import LiveServer

    from crm import create_app

    result = runner.invoke(args=["db", "grant-app-role", APP_ROLE])
    assert result.exit_code == 0, result.output
    served = create_app(
        {"TESTING": True, "DATABASE_URL": _app_role_url(), "SECRET_KEY": "test-secret", "NOW": PINNED_NOW}
    )
    served.config["WTF_CSRF_ENABLED"] = True
    server = LiveServer(served).start()
    try:
        client = server.client()
        assert client.login("a_staff").status == 302
        reply = client.post(
            "/projects/new",
            {"name": "以应用角色新建的项目", "kind": "new", "source_channel": "other", "capital_origin": ""},
        )
        assert reply.status == 302, re.findall(
            r"invalid-feedback[^>]*>([^<]+)|alert-danger[^>]*>([^<]+)", reply.text
        )
    finally:
        server.stop()
        with served.app_context():
            db.engine.dispose()
    engine = create_engine(_app_role_url())
    try:
        with engine.connect() as connection:
            written = connection.execute(
                text(
                    "SELECT count(*) FROM audit_events WHERE table_name = 'projects' AND actor_name = 'a_staff'"
                )
            ).scalar_one()
        assert written == 1
        for statement in (
            "UPDATE audit_events SET actor_name = 'forger'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "ALTER TABLE audit_events DISABLE TRIGGER USER",
            "DROP TRIGGER audit_events_no_change ON audit_events",
            "UPDATE alembic_version SET version_num = 'x'",
        ):
            with pytest.raises(DBAPIError, match="permission denied|must be owner|does not exist"):
                with engine.begin() as connection:
                    connection.execute(text(statement))
    finally:
        engine.dispose()
