"""Two real server processes on one database, as a province runs them behind a reverse
proxy: one is ``chaincrm serve --workers 2`` (gunicorn, itself two processes), the other a
plain ``chaincrm serve`` (waitress). Nothing either process remembers may disagree with
what the other wrote: a write shows at once on the other's (cached) dashboard, a logout
through one ends the session on the other, and failed logins through both count together.

Runs on PostgreSQL (CHAINCRM_TEST_DATABASE_URL) and on SQLite (several processes on one
machine, WAL).
"""

from __future__ import annotations

import re
import sys

import pytest
from live_http import CSRF_FIELD, HttpClient
from passwords import PASSWORD
from server_processes import ServerProcess, server_env

from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.uscc import make_uscc

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gunicorn forks: Linux and macOS")

# Every process shares the secret key (cookies, CSRF tokens); three failures are free and
# the wait after them is long enough that no test outlives it by chance.
SETTINGS = 'SECRET_KEY = "several-processes-test"\nLOGIN_MAX_FAILURES = 3\nLOGIN_DELAY_SECONDS = 300\n'
OVERDUE_COUNT = re.compile(r'data-testid="overdue-count">(\d+)<')


@pytest.fixture
def two_servers(app, world, tmp_path):
    with app.app_context(), system_scope():
        investor = Company(
            name="宁德时代新能源科技股份有限公司", name_key="宁德时代新能源科技", uscc=make_uscc("350900", 1)
        )
        db.session.add(investor)
        db.session.commit()
        investor_id = investor.id
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        db.session.remove()
        db.engine.dispose()  # the servers alone use the database from here
    env = server_env(url, tmp_path, SETTINGS)
    servers = [
        ServerProcess(env, tmp_path / "gunicorn.log", "--workers", "2", "--threads", "2"),
        ServerProcess(env, tmp_path / "waitress.log"),
    ]
    try:
        for server in servers:
            server.wait_ready()
        yield servers, investor_id, world
    finally:
        for server in servers:
            server.stop()


def _overdue_count(client: HttpClient) -> int:
    page = client.get("/dashboard")
    assert page.status == 200, page.status
    return int(OVERDUE_COUNT.search(page.text).group(1))


def _as_client_of(server: ServerProcess, other: HttpClient) -> HttpClient:
    """A client of ``server`` holding the same cookies as ``other`` (one browser, two
    servers behind one proxy)."""
    client = HttpClient(server.port)
    client.cookies = other.cookies  # the same dict: a cookie set by either is sent to both
    return client


# One test, one pair of servers: starting them is most of the time it takes.
def test_two_server_processes_on_one_database_agree(two_servers):
    (first, second), investor_id, world = two_servers

    # --workers 2 is a pre-fork server: a master and two worker processes.
    assert len(first.wait_children(2)) == 2, first.log()
    assert "with 2 processes (gunicorn)" in first.log()
    assert second.children() == []

    # A write through one process shows at once on the other's dashboard, whose county
    # figures that process has just computed and cached.
    browser = HttpClient(first.port)
    assert browser.login("a_staff").status == 302
    through_second = _as_client_of(second, browser)
    before = _overdue_count(through_second)
    created = browser.post(
        "/projects/new",
        {
            "name": "年产5万吨再生铝项目",
            "investor_company_id": str(investor_id),
            "kind": "new",
            "source_channel": "expo",
            "owner_id": str(world.ids["a_staff"]),
            "capital_origin": "",
            "next_follow_up_on": "2020-01-06",  # long overdue
        },
    )
    assert created.status == 302, created.text
    assert _overdue_count(through_second) == before + 1
    assert "年产5万吨再生铝项目" in through_second.get("/projects").text

    # A logout through one process ends the session on the other: a copy of the cookie
    # kept elsewhere no longer works there.
    copied_cookie = dict(browser.cookies)
    token = CSRF_FIELD.search(through_second.get("/dashboard").text).group(1)
    assert through_second.post("/logout", {"csrf_token": token}).status == 302
    replay = HttpClient(first.port)
    replay.cookies = copied_cookie
    ended = replay.get("/dashboard")
    assert ended.status == 302 and "/login" in ended.location

    # Failed logins through both processes count together: three free failures
    # (LOGIN_MAX_FAILURES) spread over both, then the pair waits, even with the right
    # password, though neither process alone has seen three.
    at_first, at_second = HttpClient(first.port), HttpClient(second.port)
    for client in (at_first, at_second, at_first):
        assert client.login("b_staff", "wrong-password-1").status != 302
    assert at_second.login("b_staff", PASSWORD).status == 429
    assert at_first.login("b_staff", PASSWORD).status == 429
