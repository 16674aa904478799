"""Finding 5: five typos by one officer locked every user behind the same address.

Throttling (crm/auth/throttle.py) counts per (account, address): the pair that has been
failing waits (exponentially), nobody else does. ``X-Forwarded-For`` counts only from a
proxy in ``TRUSTED_PROXIES`` (crm/core/proxies.py). Testing settings: 3 free failures, then
a 60 s wait.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.core.tenancy import system_scope

ATTACKER, OWNER, OFFICE = "203.0.113.66", "198.51.100.7", "192.0.2.10"  # documentation ranges


def _fail(client, username: str, times: int, headers=None) -> list[int]:
    return [client.login(username, "wrong-password-1", headers=headers).status for _ in range(times)]


def _later(app, seconds: int) -> None:
    app.config["NOW"] = app.config["NOW"] + timedelta(seconds=seconds)


def test_one_officers_typos_lock_nobody_else_behind_the_same_address(world, live_server, app):
    officer, colleague = live_server.client(), live_server.client()
    assert _fail(officer, "a_staff", 3) == [200, 200, 200]
    assert colleague.login("a_staff2").status == 302  # same address, another account
    assert live_server.client().login("a_manager").status == 302
    # The officer who typed wrong waits; with the wait over, the right password opens.
    waiting = officer.login("a_staff")
    assert waiting.status == 429 and int(waiting.headers["Retry-After"]) > 0
    assert "登录失败次数过多" in waiting.text
    _later(app, 120)
    assert officer.login("a_staff").status == 302


def test_the_wait_doubles_with_each_further_failure(world, live_server, app):
    client = live_server.client()
    _fail(client, "a_staff", 3)
    first_wait = int(client.login("a_staff").headers["Retry-After"])
    _later(app, first_wait + 5)
    assert _fail(client, "a_staff", 1) == [200]  # the wait was over: checked, and wrong again
    second_wait = int(client.login("a_staff").headers["Retry-After"])
    assert second_wait > first_wait * 1.5


def test_forwarded_for_is_ignored_without_a_trusted_proxy(world, live_server, app):
    app.config["TRUSTED_PROXIES"] = ()
    client = live_server.client()
    statuses = [
        client.login("a_staff", "wrong-password-1", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status
        for i in range(1, 5)
    ]
    assert statuses == [200, 200, 200, 429]  # a fresh header every time does not make a fresh address
    with app.app_context(), system_scope():
        addresses = list(
            db.session.execute(select(AuditEvent.after).where(AuditEvent.table_name == "logins")).scalars()
        )
    assert {row["address"] for row in addresses} == {"127.0.0.1"}


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(world, live_server, app):
    app.config["TRUSTED_PROXIES"] = ("127.0.0.1",)  # the reverse proxy the server sits behind
    attacker = live_server.client(headers={"X-Forwarded-For": ATTACKER})
    statuses = _fail(attacker, "a_staff", 8)
    assert statuses[:3] == [200, 200, 200] and set(statuses[3:]) == {429}
    # Even the right password waits from the attacker's address.
    assert attacker.login("a_staff").status == 429
    owner = live_server.client(headers={"X-Forwarded-For": OWNER})
    assert owner.login("a_staff").status == 302
    # The owner's login does not wipe the attacker's count.
    assert attacker.login("a_staff").status == 429


def test_a_proxy_chain_is_read_from_the_right(world, live_server, app):
    app.config["TRUSTED_PROXIES"] = ("127.0.0.0/8", "10.9.0.0/16")
    # The client wrote "192.0.2.1" itself; our outer proxy 10.9.0.5 saw the attacker.
    spoofing = live_server.client(headers={"X-Forwarded-For": f"192.0.2.1, {ATTACKER}, 10.9.0.5"})
    _fail(spoofing, "a_staff", 3)
    assert live_server.client(headers={"X-Forwarded-For": ATTACKER}).login("a_staff").status == 429
    assert live_server.client(headers={"X-Forwarded-For": "192.0.2.1"}).login("a_staff").status == 302


def test_a_spraying_address_is_slowed_but_its_other_users_log_in(world, live_server, app):
    app.config.update(TRUSTED_PROXIES=("127.0.0.1",), LOGIN_ADDRESS_MAX_FAILURES=6)
    sprayer = live_server.client(headers={"X-Forwarded-For": OFFICE})
    victims = ["a_staff", "a_staff2", "a_leader", "b_staff", "b_leader", "city"]
    assert [sprayer.login(name, "Spring2026!").status for name in victims] == [200] * 6
    # Now each account it has tried waits after one failure instead of three ...
    assert sprayer.login("a_staff", "Summer2026!").status == 429
    assert sprayer.login("nobody-at-all", "x-wrong-pass").status == 200
    assert sprayer.login("nobody-at-all", "x-wrong-pass").status == 429
    # ... while a colleague behind the same office address logs in with the right password.
    assert live_server.client(headers={"X-Forwarded-For": OFFICE}).login("a_manager").status == 302


def test_an_account_under_attack_from_many_addresses(world, live_server, app):
    app.config.update(TRUSTED_PROXIES=("127.0.0.1",), LOGIN_ACCOUNT_MAX_FAILURES=6)
    for i in range(3):
        _fail(live_server.client(headers={"X-Forwarded-For": f"203.0.113.{i + 1}"}), "a_staff", 2)
    # Each further address gets one guess before it waits ...
    fresh = live_server.client(headers={"X-Forwarded-For": "203.0.113.200"})
    assert _fail(fresh, "a_staff", 2) == [200, 429]
    # ... and the owner, from an address that has not been failing, is not refused.
    assert live_server.client(headers={"X-Forwarded-For": OWNER}).login("a_staff").status == 302


@pytest.mark.parametrize("username", ["a_staff", "no_such_user"])
def test_unknown_and_real_accounts_are_throttled_alike(world, live_server, username):
    assert _fail(live_server.client(), username, 4) == [200, 200, 200, 429]


def test_a_name_longer_than_any_account_or_with_nul_is_just_a_failure(world, live_server):
    client = live_server.client()
    assert client.login("a_staff" + "x" * 200).status == 200
    assert client.login("a_staff\x00").status in (200, 422)  # 422: the input guard refuses NUL
    assert client.get("/account/password").status == 302
