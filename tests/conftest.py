"""Shared fixtures: ``app``, ``client``, ``runner``, ``auth``, ``logged_in_client``, ``world`` and ``api``.

Tests run on SQLite by default and on PostgreSQL when CHAINCRM_TEST_DATABASE_URL is set.
Do not send requests from inside ``with app.app_context():`` — the request would share
that context's session; set data up in a context, close it, then use the client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from clock_support import PINNED_NOW
from db_support import prepare_postgres, sqlite_copy_of_template
from passwords import PASSWORD  # the fixture users' password

from crm import create_app
from crm.core.db import db

POSTGRES_URL = os.environ.get("CHAINCRM_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database_url():
    """PostgreSQL when CHAINCRM_TEST_DATABASE_URL is set, else None (SQLite per test)."""
    return POSTGRES_URL


def make_app(url: str, now=PINNED_NOW):
    # The clock starts at a fixed instant (clock_support): a test passes on any calendar day.
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret", "NOW": now})


@pytest.fixture(scope="session")
def sqlite_template_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("schema")


@pytest.fixture
def app(database_url, tmp_path, sqlite_template_dir):
    if database_url:
        app = make_app(database_url)
        prepare_postgres(app, db)
    else:
        target = tmp_path / "test.sqlite"
        sqlite_copy_of_template(sqlite_template_dir, target, make_app, db)
        app = make_app("sqlite:///" + str(target))
    # Evidence files (the demo's too) go to the test's own folder, never the shared instance.
    app.config["FILES_DIR"] = str(tmp_path / "files")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def empty_app(database_url, tmp_path):
    """An app on a database without any schema, for tests that run the migrations themselves."""
    from db_support import reset_postgres

    url = database_url or "sqlite:///" + str(tmp_path / "empty.sqlite")
    if database_url:
        reset_postgres(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "NOW": PINNED_NOW})
    app.config["FILES_DIR"] = str(tmp_path / "files")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class World:
    """Two counties under one city, and a user of every role in each."""

    ids: dict[str, int] = field(default_factory=dict)  # region code / username -> id
    county_a: int = 0
    county_b: int = 0
    city: int = 0
    province: int = 0

    def county_of(self, username: str) -> int:
        """The county of a county user: ``a_*`` users work in county A, ``b_*`` in county B."""
        return {"a_": self.county_a, "b_": self.county_b}[username[:2]]


@pytest.fixture
def world(app) -> World:
    from crm.auth.services import create_user
    from crm.core.tenancy import system_scope
    from crm.regions.services import create_region

    w = World()
    with app.app_context(), system_scope():
        province = create_region("610000", "陕西省", "province")
        city = create_region("610300", "宝鸡市", "city", "610000")
        other_city = create_region("610100", "西安市", "city", "610000")
        a = create_region("610323", "岐山县", "county", "610300")
        b = create_region("610324", "扶风县", "county", "610300")
        c = create_region("610122", "蓝田县", "county", "610100")
        w.province, w.city, w.county_a, w.county_b = province.id, city.id, a.id, b.id
        w.ids.update(
            {
                "610000": province.id,
                "610300": city.id,
                "610100": other_city.id,
                "610323": a.id,
                "610324": b.id,
                "610122": c.id,
            }
        )
        users = [
            ("admin", "admin", province),
            ("prov", "coordinator", province),
            ("city", "coordinator", city),
            ("xian", "coordinator", other_city),
            ("a_manager", "manager", a),
            ("a_staff", "staff", a),
            ("a_staff2", "staff", a),
            ("a_leader", "leader", a),
            ("b_manager", "manager", b),
            ("b_staff", "staff", b),
            ("b_leader", "leader", b),
            ("c_staff", "staff", c),
        ]
        for username, role, region in users:
            w.ids[username] = create_user(username, PASSWORD, role, region).id
        db.session.commit()
    return w


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def logged_in_client(app):
    """``logged_in_client("b_staff")``: a session of its own beside ``client``'s (another
    browser, another user): a new test client, logged in as that user."""

    def log_in(username: str):
        other = app.test_client()
        AuthActions(other).login(username)
        return other

    return log_in


class ApiClient:
    """The test client with a bearer token per user."""

    def __init__(self, app, client):
        self._app, self._client, self._tokens = app, client, {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            from sqlalchemy import select

            from crm.auth.models import User
            from crm.auth.services import issue_api_token
            from crm.core.tenancy import system_scope

            with self._app.app_context(), system_scope():
                user = db.session.execute(select(User).where(User.username == username)).scalar_one()
                self._tokens[username] = issue_api_token(user)
                db.session.commit()
        return self._tokens[username]

    def _headers(self, username, headers):
        merged = {"Authorization": f"Bearer {self.token(username)}"} if username else {}
        merged.update(headers or {})
        return merged

    def get(self, path, as_user=None, headers=None, **kw):
        return self._client.get(path, headers=self._headers(as_user, headers), **kw)

    def post(self, path, as_user=None, headers=None, **kw):
        return self._client.post(path, headers=self._headers(as_user, headers), **kw)

    def patch(self, path, as_user=None, headers=None, **kw):
        return self._client.patch(path, headers=self._headers(as_user, headers), **kw)

    def delete(self, path, as_user=None, headers=None, **kw):
        return self._client.delete(path, headers=self._headers(as_user, headers), **kw)

    def version(self, record_path: str, as_user: str) -> int:
        """The ``version`` of the record at ``record_path`` as ``as_user`` reads it now: what
        a client carries in a change or an action it makes after reading the record."""
        return self.get(record_path, as_user=as_user).get_json()["version"]

    def act(self, record_path: str, verb: str, as_user: str, /, **body):
        """POST ``record_path``/``verb`` (approve, transitions, …) as ``as_user`` with ``body`` and
        the version that user reads now (:meth:`version`); the response."""
        body["version"] = self.version(record_path, as_user)
        return self.post(f"{record_path}/{verb}", as_user=as_user, json=body)


@pytest.fixture
def api(app, client):
    return ApiClient(app, client)


@pytest.fixture
def browser(app):
    """Chromium on the app served live, CSRF on: ``browser.login("a_staff")``,
    ``browser.goto("/projects")``, ``browser.page`` (Playwright). Fails the test if a page
    asked for anything outside the server."""
    from browser_support import BrowserSession

    app.config["WTF_CSRF_ENABLED"] = True
    with BrowserSession(app) as session:
        yield session
    assert session.blocked == [], f"pages tried to load from outside: {session.blocked}"


@pytest.fixture
def demo_app(app, monkeypatch):
    """The app with the whole demo dataset loaded (passwords: demo_support.DEMO_PASSWORD)."""
    from demo_support import load_whole_demo

    load_whole_demo(app, monkeypatch)
    return app


@pytest.fixture
def live_server(app):
    """The app served by waitress on 127.0.0.1 with CSRF on, as in production:
    ``live_server.client().login("a_staff")`` (see ``live_http``)."""
    from live_http import LiveServer

    app.config["WTF_CSRF_ENABLED"] = True
    with LiveServer(app) as server:
        yield server
