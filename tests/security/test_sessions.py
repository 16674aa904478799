"""Finding 3: logout did not end the session; a copied cookie went on working.

Sessions are rows of ``user_sessions`` (crm/auth/sessions.py). The attacks: a cookie copied
before logout, used after it, on this server process and on another one sharing the
database; a password change, a change of role or region and disabling end sessions too.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from passwords import PASSWORD
from server_processes import free_port
from sqlalchemy import select

from crm.auth.models import User, UserSession
from crm.core.db import db
from crm.core.tenancy import system_scope

PAGE = "/account/password"  # any page that needs a login
SECOND_SERVER = """
import sys
from datetime import datetime
from waitress import serve
from crm import create_app
url, now, port = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True, "DATABASE_URL": url,
                  "SECRET_KEY": "test-secret", "NOW": now, "SQL_COUNT_HEADER": True})
serve(app, host="127.0.0.1", port=port, threads=2, clear_untrusted_proxy_headers=False)
"""


@pytest.fixture
def second_process(app, live_server):
    """The same application in another operating-system process on the same database:
    nothing kept in one process's memory can make the tests pass."""
    from live_http import HttpClient

    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SECOND_SERVER,
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["NOW"].isoformat(),
            str(port),
        ],
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(200):
            try:
                HttpClient(port).get("/login")
                break
            except OSError:
                assert process.poll() is None, process.stdout.read()
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=10)


def _log_out(client):
    # The logout button's form is on every page; its CSRF token is the page's.
    return client.post("/logout", {"csrf_token": client.csrf_token(PAGE)})


def _copy_of(live_server, client, port=None):
    from live_http import HttpClient

    thief = HttpClient(port or live_server.port)
    thief.cookies = dict(client.cookies)
    return thief


def test_a_cookie_copied_before_logout_is_dead_after_it(world, live_server):
    victim = live_server.client()
    assert victim.login("a_staff").status == 302
    thief = _copy_of(live_server, victim)
    assert thief.get(PAGE).status == 200
    assert _log_out(victim).status == 302
    assert thief.get(PAGE).status == 302
    assert thief.get(PAGE).location.startswith("/login")
    assert thief.get("/projects").status == 302


def test_logout_on_one_process_ends_the_session_on_another(world, live_server, second_process):
    victim = live_server.logged_in("a_staff")
    elsewhere = _copy_of(live_server, victim, second_process)
    assert elsewhere.get(PAGE).status == 200  # one login, valid on both processes
    assert _log_out(elsewhere).status == 302
    assert victim.get(PAGE).status == 302
    assert _copy_of(live_server, victim, second_process).get(PAGE).status == 302


def test_password_change_on_one_process_ends_other_sessions_on_another(world, live_server, second_process):
    from live_http import HttpClient

    laptop = live_server.logged_in("a_staff")
    phone = HttpClient(second_process)
    phone.login("a_staff")
    assert phone.get(PAGE).status == 200
    changed = laptop.post(
        PAGE, {"current_password": PASSWORD, "password": "hill-cloud-tea-9", "confirm": "hill-cloud-tea-9"}
    )
    assert changed.status == 302
    assert laptop.get(PAGE).status == 200  # the session that changed it goes on
    assert phone.get(PAGE).status == 302
    assert _copy_of(live_server, laptop, second_process).get(PAGE).status == 200


def test_session_lookup_costs_one_statement(world, live_server, second_process):
    from live_http import HttpClient

    client = HttpClient(second_process)
    client.login("a_staff")
    reply = client.get(PAGE)
    assert reply.status == 200
    assert reply.headers["X-SQL-Statements"] == "1"  # the session row joined with its user


def _a_staff_form(world, **overrides) -> dict:
    """The user form of a_staff as it stands (an active staff member of county A), with ``overrides``."""
    form = {
        "display_name": "a_staff",
        "role": "staff",
        "region": str(world.county_a),
        "version": "1",
        "is_active": "y",
    }
    return {**form, **overrides}


@pytest.mark.parametrize("change", ["role", "region", "disable"])
def test_role_region_change_and_disabling_end_every_session(world, live_server, change):
    victim = live_server.logged_in("a_staff")
    assert victim.get(PAGE).status == 200
    admin = live_server.logged_in("admin")
    form = _a_staff_form(world)
    if change == "role":
        form["role"] = "leader"
    elif change == "region":
        form["region"] = str(world.county_b)
    else:
        del form["is_active"]
    assert admin.post(f"/admin/users/{world.ids['a_staff']}/edit", form).status == 302
    assert victim.get(PAGE).status == 302


def test_a_name_change_keeps_the_session(world, live_server):
    victim = live_server.logged_in("a_staff")
    manager = live_server.logged_in("a_manager")
    form = _a_staff_form(world, display_name="张三")
    assert manager.post(f"/admin/users/{world.ids['a_staff']}/edit", form).status == 302
    assert victim.get(PAGE).status == 200


def test_a_password_reset_by_the_manager_ends_every_session(world, live_server):
    victim = live_server.logged_in("a_staff")
    manager = live_server.logged_in("a_manager")
    reset = manager.post(
        f"/admin/users/{world.ids['a_staff']}/password",
        {"password": "hill-cloud-tea-9", "confirm": "hill-cloud-tea-9"},
    )
    assert reset.status == 302
    assert victim.get(PAGE).status == 302


def test_a_session_expires_on_the_server_whatever_the_cookie_says(world, live_server, app):
    victim = live_server.logged_in("a_staff")
    assert victim.get(PAGE).status == 200
    app.config["NOW"] = app.config["NOW"] + app.config["PERMANENT_SESSION_LIFETIME"] + timedelta(minutes=1)
    assert victim.get(PAGE).status == 302


def test_the_database_keeps_only_a_hash_and_when_it_was_last_seen(world, live_server, app):
    client = live_server.logged_in("a_staff")
    cookie = client.cookies["session"]
    with app.app_context(), system_scope():
        row = db.session.execute(
            select(UserSession).join(User).where(User.username == "a_staff")
        ).scalar_one()
        created, hashed = row.created_at, row.secret_hash
    assert len(hashed) == 64 and hashed not in cookie
    app.config["NOW"] = app.config["NOW"] + timedelta(minutes=6)
    assert client.get(PAGE).status == 200
    with app.app_context(), system_scope():
        seen = db.session.execute(select(UserSession.last_seen_at)).scalar_one()
    assert seen > created + timedelta(minutes=5)
