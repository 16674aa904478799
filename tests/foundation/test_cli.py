import pytest
from record_support import user_named
from sqlalchemy import select

from crm.auth.models import ApiToken
from crm.auth.services import hash_token
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.regions.models import Region


def test_regions_create_checks_codes_and_parents(runner, app):
    ok = runner.invoke(args=["regions", "create", "610000", "陕西省", "--level", "province"])
    assert ok.exit_code == 0, ok.output
    ok = runner.invoke(
        args=["regions", "create", "610300", "宝鸡市", "--level", "city", "--parent", "610000"]
    )
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(
        args=["regions", "create", "61032", "岐山县", "--level", "county", "--parent", "610300"]
    )
    assert bad.exit_code != 0 and "6 位数字" in bad.output
    orphan = runner.invoke(args=["regions", "create", "610323", "岐山县", "--level", "county"])
    assert orphan.exit_code != 0 and "上级" in orphan.output
    wrong_level = runner.invoke(
        args=["regions", "create", "610323", "岐山县", "--level", "county", "--parent", "610000"]
    )
    assert wrong_level.exit_code != 0
    with app.app_context():
        assert sorted(db.session.execute(select(Region.code)).scalars()) == ["610000", "610300"]


def test_users_create_takes_password_from_environment(runner, app, world, monkeypatch):
    monkeypatch.setenv("CHAINCRM_PASSWORD", "from-env-123")
    result = runner.invoke(args=["users", "create", "new_staff", "--region", "610323", "--role", "staff"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = user_named("new_staff")
        assert user.check_password("from-env-123") and user.region_id == world.county_a


def test_users_create_prompts_hidden_when_no_environment(runner, world, monkeypatch):
    monkeypatch.delenv("CHAINCRM_PASSWORD", raising=False)
    result = runner.invoke(
        args=["users", "create", "typed", "--region", "610323", "--role", "leader"],
        input="quiet-keys-41\nquiet-keys-41\n",
    )
    assert result.exit_code == 0, result.output
    assert "quiet-keys-41" not in result.output


def test_users_create_refuses_county_role_in_a_city(runner, world, monkeypatch):
    monkeypatch.setenv("CHAINCRM_PASSWORD", "from-env-123")
    result = runner.invoke(args=["users", "create", "x", "--region", "610300", "--role", "staff"])
    assert result.exit_code != 0 and "县" in result.output


def test_users_token_prints_token_and_stores_only_its_hash(runner, app, world, client):
    result = runner.invoke(args=["users", "token", "a_staff"])
    assert result.exit_code == 0
    token = result.output.strip()
    with app.app_context(), system_scope():
        stored = db.session.execute(select(ApiToken.token_hash)).scalars().all()
    assert token not in stored and hash_token(token) in stored
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.parametrize("secret", ["", "dev-only-not-secret"])
def test_production_refuses_default_secret(monkeypatch, secret):
    from crm import create_app

    monkeypatch.setenv("CHAINCRM_SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="secret key"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})


def test_the_command_line_says_a_refused_setting_in_one_line(monkeypatch, tmp_path):
    """``chaincrm`` in production without a secret key: one line naming the setting, exit 1,
    not a Python traceback."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "CHAINCRM_ENV": "production",
        "CHAINCRM_SECRET_KEY": "",
        "CHAINCRM_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from crm.cli import main; main()", "db", "upgrade", "--no-backup"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "CHAINCRM_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_production_starts_with_a_real_secret(monkeypatch):
    from crm import create_app

    monkeypatch.setenv("CHAINCRM_SECRET_KEY", "a-long-random-value-0123456789")
    app = create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_sqlite_file_lives_in_instance_folder(monkeypatch, tmp_path):
    from crm import create_app

    monkeypatch.delenv("CHAINCRM_DATABASE_URL", raising=False)
    monkeypatch.setenv("CHAINCRM_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(tmp_path / "chaincrm.sqlite")


def test_sqlite_connections_enforce_foreign_keys_with_wal(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_translated_messages_work_outside_a_request(app):
    from flask_babel import gettext

    with app.app_context():
        assert gettext("登录") == "登录"


def test_today_is_the_bureaus_date_unless_pinned(app):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from crm.core import clock

    with app.app_context():
        app.config["TODAY"] = app.config["NOW"] = None
        assert clock.today() == datetime.now(ZoneInfo("Asia/Shanghai")).date()
        app.config["TODAY"] = date(2025, 12, 31)
        assert clock.today() == date(2025, 12, 31)
