"""First run (issue 15 item 10): a demo password the policy refuses ends with one line and
writes nothing; a lost password is set again with `chaincrm users set-password`."""

import pytest
from passwords import PASSWORD
from sqlalchemy import inspect, select

from crm.audit.models import AuditEvent
from crm.auth.models import User
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.demo import demo_usernames, load_demo

NEW = "willow-kite-harbor-3"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "密码至少 8 位"),
        ("password123", "该密码过于常见"),
        ("qishan_leader-2026", "不可用于账号 qishan_leader：密码不能包含用户名"),
    ],
)
def test_demo_refuses_a_weak_password_in_one_line_before_writing(empty_app, monkeypatch, password, reason):
    monkeypatch.setenv("CHAINCRM_DEMO_PASSWORD", password)
    result = empty_app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "CHAINCRM_DEMO_PASSWORD" in lines[0] and reason in lines[0], result.output
    assert "Traceback" not in result.output
    with empty_app.app_context():
        assert inspect(db.engine).get_table_names() == []  # not even the schema


def test_the_demo_checks_the_password_against_every_account_it_creates(empty_app, monkeypatch):
    monkeypatch.setenv("CHAINCRM_DEMO_PASSWORD", "demo-pass-123")
    from crm.core import migrate

    with empty_app.app_context():
        migrate.upgrade("head")
        accounts = load_demo()
    assert [username for username, *_ in accounts] == demo_usernames()


def _audited_password_changes(app, user_id) -> int:
    with app.app_context(), system_scope():
        rows = db.session.execute(
            select(AuditEvent).where(
                AuditEvent.table_name == "users",
                AuditEvent.record_id == user_id,
                AuditEvent.action == "update",
            )
        ).scalars()
        return sum(1 for row in rows if "password_hash" in (row.after or {}))


def test_set_password_from_environment_ends_sessions_and_is_audited(
    runner, app, world, client, auth, monkeypatch
):
    assert auth.login("a_staff").status_code == 302
    assert client.get("/account/password").status_code == 200
    before = _audited_password_changes(app, world.ids["a_staff"])
    monkeypatch.setenv("CHAINCRM_PASSWORD", NEW)
    result = runner.invoke(args=["users", "set-password", "a_staff"])
    assert result.exit_code == 0, result.output
    assert NEW not in result.output
    with app.app_context(), system_scope():
        user = db.session.get(User, world.ids["a_staff"])
        assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert _audited_password_changes(app, world.ids["a_staff"]) == before + 1
    assert "/login" in client.get("/account/password").headers["Location"]  # its session ended


def test_set_password_prompts_twice_hidden(runner, app, world, monkeypatch):
    monkeypatch.delenv("CHAINCRM_PASSWORD", raising=False)
    result = runner.invoke(args=["users", "set-password", "a_leader"], input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") == 1 and "Repeat" in result.output and NEW not in result.output
    with app.app_context(), system_scope():
        assert db.session.get(User, world.ids["a_leader"]).check_password(NEW)


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("nobody", NEW, "用户 nobody 不存在"),
        ("a_staff", "short", "密码至少 8 位"),
        ("a_staff", "woaini1314", "该密码过于常见"),
        ("a_staff", "a_staff-2026x", "密码不能包含用户名"),
    ],
)
def test_set_password_refuses_in_one_line(runner, app, world, monkeypatch, username, password, message):
    monkeypatch.setenv("CHAINCRM_PASSWORD", password)
    result = runner.invoke(args=["users", "set-password", username])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    with app.app_context(), system_scope():
        assert db.session.get(User, world.ids["a_staff"]).check_password(PASSWORD)


def test_the_earlier_name_still_works_but_is_not_listed(runner, app, world, monkeypatch):
    monkeypatch.setenv("CHAINCRM_PASSWORD", NEW)
    assert "set-password" in runner.invoke(args=["users", "--help"]).output
    assert "  password " not in runner.invoke(args=["users", "--help"]).output
    result = runner.invoke(args=["users", "password", "a_staff"])
    assert result.exit_code == 0, result.output
    with app.app_context(), system_scope():
        assert db.session.get(User, world.ids["a_staff"]).check_password(NEW)
