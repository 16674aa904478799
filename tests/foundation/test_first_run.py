"""First run (issue 15 item 10): a demo password the policy refuses ends with one line and
writes nothing; a lost password is set again with `chaincrm users set-password`."""

import pytest
from sqlalchemy import inspect

from crm.core.db import db
from crm.demo import demo_usernames, load_demo


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
