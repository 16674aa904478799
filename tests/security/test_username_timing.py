"""Finding 10: a wrong password took several times longer than an unknown user, which told
an attacker which usernames exist. An unknown user is now checked against a throwaway hash
of the same method (crm/auth/passwords.py ``verify``).

The test makes hashing dominate (a costly method, as in production) and compares median
times over HTTP; the bounds are wide on purpose, the leak was a factor of several.
"""

import statistics
import time
from urllib.parse import urlencode

from record_support import user_named
from werkzeug.security import generate_password_hash

from crm.core.db import db
from crm.core.tenancy import system_scope

COSTLY_METHOD = "pbkdf2:sha256:150000"
ROUNDS = 15


def _post_login_seconds(client, username: str) -> float:
    body = urlencode(
        {"username": username, "password": "not-the-password-9", "csrf_token": client.csrf_token("/login")}
    ).encode()
    started = time.perf_counter()
    reply = client.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    elapsed = time.perf_counter() - started
    assert reply.status == 200 and "用户名或密码错误" in reply.text
    return elapsed


def test_unknown_user_and_wrong_password_take_the_same_time(world, live_server, app):
    app.config.update(
        PASSWORD_HASH_METHOD=COSTLY_METHOD,
        LOGIN_MAX_FAILURES=1000,
        LOGIN_ACCOUNT_MAX_FAILURES=1000,
        LOGIN_ADDRESS_MAX_FAILURES=1000,
    )
    with app.app_context(), system_scope():
        user = user_named("a_staff")
        user.password_hash = generate_password_hash("the-real-password-1", method=COSTLY_METHOD)
        db.session.commit()
    client = live_server.client()
    _post_login_seconds(client, "nobody_here")  # warm-up: the throwaway hash is made once
    known, unknown = [], []
    for round_number in range(ROUNDS):  # interleaved, so a slow moment hits both alike
        known.append(_post_login_seconds(client, "a_staff"))
        unknown.append(_post_login_seconds(client, f"nobody_{round_number}"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (statistics.median(known), statistics.median(unknown))
