"""Finding 9: weak passwords, password changes without the current one, and API tokens
that never expired, had no name and could not be listed or revoked.
"""

from datetime import timedelta

import pytest
from migration_support import NOW, upgrade_with_rows
from passwords import PASSWORD
from sqlalchemy import select

from crm.auth.models import ApiToken, User
from crm.auth.tokens import UNNAMED, hash_token
from crm.core.db import db, utcnow
from crm.core.tenancy import system_scope

STRONG = "willow-kite-harbor-3"
OWN = "/account/password"


def _password_works(live_server, username, password) -> bool:
    return live_server.client().login(username, password).status == 302


@pytest.mark.parametrize(
    "weak",
    [
        "password123",
        "12345678",
        "88888888",
        "woaini1314",
        "a123456789",
        "1qaz2wsx",
        "Password123",
        "19880808",
        "zzzzzzzzzz",
        "my-a_staff-pass",
    ],
)
def test_common_and_username_passwords_are_refused(world, live_server, weak):
    client = live_server.logged_in("a_staff")
    reply = client.post(OWN, {"current_password": PASSWORD, "password": weak, "confirm": weak})
    assert reply.status == 200
    assert "该密码过于常见" in reply.text or "密码不能包含用户名" in reply.text
    assert _password_works(live_server, "a_staff", PASSWORD)


@pytest.mark.parametrize("current", [None, "", "wrong-current-pass"])
def test_own_password_needs_the_current_one(world, live_server, current):
    """A stolen session (or an unlocked desk) cannot lock the owner out."""
    client = live_server.logged_in("a_staff")
    form = {"password": STRONG, "confirm": STRONG}
    if current is not None:
        form["current_password"] = current
    reply = client.post(OWN, form)
    assert reply.status == 200 and ("当前密码" in reply.text)
    assert _password_works(live_server, "a_staff", PASSWORD)
    assert not _password_works(live_server, "a_staff", STRONG)


def test_guessing_the_current_password_is_throttled(world, live_server):
    client = live_server.logged_in("a_staff")
    statuses = [
        client.post(
            OWN, {"current_password": f"guess-number-{i}", "password": STRONG, "confirm": STRONG}
        ).status
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert (
        client.post(OWN, {"current_password": PASSWORD, "password": STRONG, "confirm": STRONG}).status == 429
    )


def test_a_manager_cannot_give_a_common_password(world, live_server, app):
    manager = live_server.logged_in("a_manager")
    reply = manager.post(
        "/admin/users/new",
        {
            "username": "weakling",
            "role": "staff",
            "password": "88888888",
            "region": str(world.county_a),
            "is_active": "y",
        },
    )
    assert reply.status == 422 and "该密码过于常见" in reply.text
    reset = manager.post(
        f"/admin/users/{world.ids['a_staff']}/password", {"password": "woaini1314", "confirm": "woaini1314"}
    )
    assert reset.status == 422
    assert _password_works(live_server, "a_staff", PASSWORD)


def test_the_cli_refuses_a_common_password(runner, world, monkeypatch):
    monkeypatch.setenv("CHAINCRM_PASSWORD", "password123")
    result = runner.invoke(args=["users", "create", "x_staff", "--region", "610323", "--role", "staff"])
    assert result.exit_code != 0 and "该密码过于常见" in result.output


def _me(live_server, token):
    return live_server.client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def _token_row(app, token) -> ApiToken:
    with app.app_context(), system_scope():
        row = db.session.execute(
            select(ApiToken).where(ApiToken.token_hash == hash_token(token))
        ).scalar_one()
        db.session.expunge(row)
        return row


def _app_now(app):
    """The application's clock (pinned in tests), which the token's expiry was set by."""
    with app.app_context():
        return utcnow()


def test_cli_tokens_are_named_listed_expiring_and_revocable(runner, world, live_server, app):
    made = runner.invoke(args=["users", "token", "a_staff", "--name", "报表同步", "--expires", "90d"])
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    row = _token_row(app, token)
    assert row.name == "报表同步"
    assert timedelta(days=89) < row.expires_at - _app_now(app) <= timedelta(days=90)
    assert _me(live_server, token).status == 200
    assert _token_row(app, token).last_used_at is not None

    listing = runner.invoke(args=["users", "tokens", "a_staff"])
    assert listing.exit_code == 0, listing.output
    header, line = listing.output.strip().splitlines()
    assert header.split("\t") == ["id", "name", "created", "last used", "expires", "status"]
    assert line.split("\t")[0] == str(row.id) and "报表同步" in line and line.endswith("active")

    revoked = runner.invoke(args=["users", "revoke-token", str(row.id)])
    assert revoked.exit_code == 0, revoked.output
    assert _me(live_server, token).status == 401
    assert runner.invoke(args=["users", "tokens", "a_staff"]).output.strip().endswith("revoked")


def test_tokens_have_a_default_expiry_and_take_a_date(runner, world, app, client, auth):
    default = runner.invoke(args=["users", "token", "a_staff"]).output.strip()
    row = _token_row(app, default)
    assert row.name == UNNAMED
    assert (
        timedelta(days=364) < row.expires_at - _app_now(app) <= timedelta(days=app.config["API_TOKEN_DAYS"])
    )
    dated = runner.invoke(args=["users", "token", "a_staff", "--expires", "2027-06-30"]).output.strip()
    # Valid through 30 June in the bureau's zone: until 1 July 00:00 +08:00, 16:00 UTC the day before.
    assert _token_row(app, dated).expires_at.isoformat() == "2027-06-30T16:00:00"
    # Shown as the bureau reads it, in the CLI and on the page: the first minute of 1 July.
    listing = runner.invoke(args=["users", "tokens", "a_staff"]).output
    assert "\t2027-07-01 00:00\tactive" in listing and "2027-06-30 16:00" not in listing
    auth.login("a_staff")
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "2027-07-01 00:00" in page and "2027-06-30 16:00" not in page and "UTC" not in page
    for bad in ("soon", "0d", "2020-01-01", "99999d"):
        result = runner.invoke(args=["users", "token", "a_staff", "--expires", bad])
        assert result.exit_code != 0 and "有效期" in result.output, bad


def test_an_expired_token_stops_working(runner, world, live_server, app):
    token = runner.invoke(args=["users", "token", "a_staff", "--expires", "1d"]).output.strip()
    assert _me(live_server, token).status == 200
    app.config["NOW"] = app.config["NOW"] + timedelta(days=1, minutes=1)
    reply = _me(live_server, token)
    assert reply.status == 401 and reply.headers["Content-Type"].startswith("application/problem+json")


def test_a_disabled_users_tokens_stop_working(runner, world, live_server):
    token = runner.invoke(args=["users", "token", "a_staff"]).output.strip()
    assert _me(live_server, token).status == 200
    manager = live_server.logged_in("a_manager")
    disabled = manager.post(
        f"/admin/users/{world.ids['a_staff']}/edit",
        {"display_name": "a_staff", "role": "staff", "region": str(world.county_a), "version": "1"},
    )
    assert disabled.status == 302
    assert _me(live_server, token).status == 401


def test_users_see_and_revoke_their_own_tokens_only(runner, world, live_server, app):
    mine = runner.invoke(args=["users", "token", "a_staff", "--name", "我的脚本"]).output.strip()
    theirs = runner.invoke(args=["users", "token", "b_staff", "--name", "别人的脚本"]).output.strip()
    mine_id, theirs_id = _token_row(app, mine).id, _token_row(app, theirs).id
    client = live_server.logged_in("a_staff")
    page = client.get("/account/tokens")
    assert page.status == 200 and "我的脚本" in page.text and "别人的脚本" not in page.text
    token = client.csrf_token("/account/tokens")
    assert client.post(f"/account/tokens/{theirs_id}/revoke", {"csrf_token": token}).status == 404
    assert _me(live_server, theirs).status == 200
    assert client.post(f"/account/tokens/{mine_id}/revoke", {"csrf_token": token}).status == 302
    assert _me(live_server, mine).status == 401
    assert "已吊销" in client.get("/account/tokens").text


def test_upgrade_keeps_existing_tokens_working_with_a_name_and_an_expiry(empty_app):
    with empty_app.app_context():
        old_tokens = [
            (
                "INSERT INTO api_tokens (id, user_id, token_hash, revoked, created_at, updated_at) "
                f"VALUES (:id, 1, :hash, :revoked, {NOW}, {NOW})",
                {"id": token_id, "hash": hash_token(f"old-token-{token_id}"), "revoked": revoked},
            )
            for token_id, revoked in ((1, False), (2, True))
        ]
        upgrade_with_rows(
            "0010",
            "INSERT INTO regions (id, code, name, level, created_at, updated_at) "
            f"VALUES (1, '610000', '陕西省', 'province', {NOW}, {NOW})",
            (
                "INSERT INTO users (id, username, display_name, password_hash, role, region_id, is_active_user, "
                "session_epoch, version, created_at, updated_at) VALUES (1, 'old', 'old', 'x', 'coordinator', 1, "
                f":yes, 3, 1, {NOW}, {NOW})",
                {"yes": True},
            ),
            *old_tokens,
        )
        from crm.auth.tokens import user_for_token

        with system_scope():
            tokens = {t.id: t for t in db.session.execute(select(ApiToken)).scalars()}
            assert {t.name for t in tokens.values()} == {UNNAMED}
            assert tokens[1].revoked_at is None and tokens[2].revoked_at is not None
            assert timedelta(days=364) < tokens[1].expires_at - utcnow() < timedelta(days=366)
            assert user_for_token("old-token-1").username == "old"
            assert user_for_token("old-token-2") is None
            assert db.session.get(User, 1).username == "old"
