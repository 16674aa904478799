"""Finding 11: logins leave audit rows, authenticated answers are never cached, the
administrator's audit log holds no county business, and 405 answers say what is allowed.
"""

import json

import pytest
from passwords import PASSWORD
from record_support import audit_rows

from crm.audit.models import AuditEvent
from crm.core.db import db
from crm.core.tenancy import system_scope

TYPO = "tea-horse-road-85"  # the real password with two digits swapped


def _login_events(app) -> list[AuditEvent]:
    with app.app_context(), system_scope():
        rows = audit_rows("logins")
        db.session.expunge_all()
        return rows


def test_logins_failures_logouts_and_throttling_are_audited_without_passwords(world, live_server, app):
    client = live_server.client(headers={"User-Agent": "test-browser/1.0"})
    assert client.login("a_staff", TYPO).status == 200
    assert client.login("a_staff").status == 302
    client.post("/logout", {"csrf_token": client.csrf_token("/account/password")})
    for _ in range(3):
        client.login("nobody_known", TYPO)
    assert client.login("nobody_known", TYPO).status == 429
    events = _login_events(app)
    assert [(e.action, e.actor_name) for e in events] == [
        ("login_failed", "a_staff"),
        ("login", "a_staff"),
        ("logout", "a_staff"),
        ("login_failed", "nobody_known"),
        ("login_failed", "nobody_known"),
        ("login_failed", "nobody_known"),
        ("throttled", "nobody_known"),
    ]
    staff = [e for e in events if e.actor_name == "a_staff"]
    assert {e.record_id for e in staff} == {world.ids["a_staff"]}
    assert staff[0].actor_id is None and staff[1].actor_id == world.ids["a_staff"]
    # No county: a login changes no county's figures (their caches are keyed by its newest row).
    assert {e.county_id for e in events} == {None}
    assert {e.record_id for e in events if e.actor_name == "nobody_known"} == {None}
    assert events[0].after["address"] == "127.0.0.1" and events[0].after["user_agent"] == "test-browser/1.0"
    stored = json.dumps([[e.before, e.after, e.actor_name] for e in events], ensure_ascii=False)
    assert TYPO not in stored and PASSWORD not in stored


def test_managers_see_their_countys_logins_and_the_admin_sees_no_county_business(world, live_server, app):
    with app.app_context():
        db.session.add(
            AuditEvent(
                actor_name="a_staff",
                county_id=world.county_a,
                table_name="projects",
                record_id=1,
                action="create",
                after={"name": "某锂电池巨头西北基地"},
            )
        )
        db.session.commit()
    live_server.client().login("a_staff")
    manager = live_server.logged_in("a_manager")
    assert "某锂电池巨头西北基地" in manager.get("/audit/").text
    county_logins = manager.get("/audit/?table=logins").text
    assert "a_staff" in county_logins and "a_manager" in county_logins
    other_county = live_server.logged_in("b_manager")
    assert "a_staff" not in other_county.get("/audit/?table=logins").text
    admin = live_server.logged_in("admin")
    for path in ("/audit/", "/audit/?table=projects", "/audit/?record=1", "/audit/?actor=a_staff"):
        page = admin.get(path)
        assert page.status == 200 and "某锂电池巨头西北基地" not in page.text, path
    assert "a_manager" in admin.get("/audit/?table=logins").text


def test_authenticated_pages_and_api_answers_are_not_cached(runner, world, live_server):
    client = live_server.logged_in("a_staff")
    for path in ("/", "/projects", "/account/password", "/account/tokens", "/login"):
        reply = client.get(path)
        assert reply.headers["Cache-Control"] == "no-store", path
    token = runner.invoke(args=["users", "token", "a_staff"]).output.strip()
    api = live_server.client()
    for headers in ({"Authorization": f"Bearer {token}"}, {}):
        reply = api.get("/api/v1/me", headers=headers)
        assert reply.headers["Cache-Control"] == "no-store", reply.status
    assert "no-store" not in (api.get("/static/js/app.js").headers.get("Cache-Control") or "")


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("DELETE", "/logout", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("DELETE", "/login", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("DELETE", "/api/v1/me", {"GET", "HEAD", "OPTIONS"}),
        ("PUT", "/api/v1/openapi.json", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_method_not_allowed_says_what_is_allowed(runner, world, live_server, method, path, allowed):
    client = live_server.client()
    headers = {}
    if path == "/api/v1/me":
        headers["Authorization"] = (
            "Bearer " + runner.invoke(args=["users", "token", "a_staff"]).output.strip()
        )
    reply = client.request(method, path, headers=headers)
    assert reply.status == 405
    assert {m.strip() for m in reply.headers["Allow"].split(",")} == allowed
    if path.startswith("/api/"):
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.json()["status"] == 405
    else:  # a page in the user's words, not the framework's English
        assert "405 · 不支持的操作方式" in reply.text and "Method Not Allowed" not in reply.text


def test_a_typed_logout_address_offers_the_button_and_changes_nothing(client, auth, world):
    assert client.get("/logout").headers["Location"].endswith("/login")  # nobody logged in
    auth.login("a_staff")
    page = client.get("/logout")
    assert page.status_code == 200 and 'data-testid="logout"' in page.get_data(as_text=True)
    assert client.get("/projects").status_code == 200  # still logged in
    client.post("/logout")
    assert client.get("/projects").status_code == 302


def test_an_expired_form_says_so_in_the_users_words(app, client, auth, world):
    auth.login("a_staff")
    app.config["WTF_CSRF_ENABLED"] = True  # the form was opened before the session changed
    refused = client.post("/companies/new", data={"name": "令牌过期有限公司"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "页面已过期" in body and "本次提交未保存" in body and "CSRF" not in body
