"""docs/nginx.conf agrees with what the application relies on: the body limit is
MAX_CONTENT_LENGTH, the forwarded headers are the ones crm/core/proxies.py believes, the
static location is the application's static URL and folder, plain HTTP only redirects,
and several application processes are listed upstream."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import request

from crm import create_app
from crm.core.access import public
from crm.core.proxies import TRUSTED_HEADERS
from crm.core.resources import SOURCE_ROOT

NGINX_CONF = Path(SOURCE_ROOT) / "docs" / "nginx.conf"
TOKEN = re.compile(r'#[^\n]*|"(?:[^"\\]|\\.)*"|[{};]|[^\s{};"#]+')
SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


@dataclass
class Directive:
    name: str
    args: list[str]
    children: list[Directive] = field(default_factory=list)

    def all(self, name: str) -> list[Directive]:
        return [child for child in self.children if child.name == name]

    def one(self, name: str) -> Directive:
        found = self.all(name)
        assert len(found) == 1, f"{self.name} {self.args}: {len(found)} × {name}"
        return found[0]

    def values(self, name: str) -> list[str]:
        return self.one(name).args


def parse(text: str) -> Directive:
    """The directives of an nginx configuration as a tree (comments dropped, quotes kept
    off): enough of nginx's grammar for the directives this file uses."""
    root = Directive("root", [])
    stack, words = [root], []
    for token in TOKEN.findall(text):
        if token.startswith("#"):
            continue
        if token == ";":
            stack[-1].children.append(Directive(words[0], words[1:]))
            words = []
        elif token == "{":
            block = Directive(words[0], words[1:])
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"unterminated directive {words}"
            stack.pop()
        else:
            words.append(token[1:-1] if token.startswith('"') else token)
    assert len(stack) == 1 and not words, "unbalanced braces"
    return root


def size(text: str) -> int:
    """nginx's size syntax: ``16m`` is 16 MiB."""
    number, unit = re.fullmatch(r"(\d+)([kmgKMG]?)", text).groups()
    return int(number) * SIZE_UNITS[unit.lower()]


@pytest.fixture(scope="module")
def nginx_conf() -> Directive:
    return parse(NGINX_CONF.read_text(encoding="utf-8"))


@public
def _seen():
    return f"{request.remote_addr} {request.scheme}"


@pytest.fixture(scope="module")
def production_app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 48,
            "DATABASE_URL": f"sqlite:///{instance}/db.sqlite",
            "TRUSTED_PROXIES": ("127.0.0.1",),
        }
    )
    app.add_url_rule("/_seen", "seen", _seen)  # what the application made of a request
    return app


def _https_server(nginx_conf: Directive) -> Directive:
    (server,) = [s for s in nginx_conf.all("server") if any("443" in d.args[0] for d in s.all("listen"))]
    return server


def test_plain_http_only_redirects_to_https(nginx_conf):
    (plain,) = [s for s in nginx_conf.all("server") if any(d.args[0] == "80" for d in s.all("listen"))]
    assert plain.values("return") == ["301", "https://$host$request_uri"]
    assert plain.all("location") == []


def test_https_with_certificate_placeholders(nginx_conf):
    server = _https_server(nginx_conf)
    assert all("ssl" in d.args for d in server.all("listen"))
    assert server.values("ssl_certificate")[0].endswith(".pem")
    assert server.values("ssl_certificate_key")[0].endswith(".pem")


def test_body_limit_is_the_applications(nginx_conf, production_app):
    assert (
        size(_https_server(nginx_conf).values("client_max_body_size")[0])
        == production_app.config["MAX_CONTENT_LENGTH"]
    )


def test_forwarded_headers_are_exactly_the_ones_the_application_believes(nginx_conf):
    (app_location,) = [loc for loc in _https_server(nginx_conf).all("location") if loc.args == ["/"]]
    headers = {d.args[0].lower(): d.args[1] for d in app_location.all("proxy_set_header")}
    forwarded = {name for name in headers if name.startswith("x-forwarded-")}
    assert forwarded == {name.lower() for name in TRUSTED_HEADERS}
    # Replaced by the proxy, never the client's own header with ours appended.
    assert headers["x-forwarded-for"] == "$remote_addr"
    assert headers["x-forwarded-proto"] == "$scheme"
    assert headers["host"] == "$host"
    assert size(app_location.values("proxy_read_timeout")[0].rstrip("s")) >= 60


def test_the_proxy_is_believed_only_when_configured(production_app):
    """With the proxy's address in TRUSTED_PROXIES its headers set the client's address and
    the scheme (so Secure cookies and https URLs); from anyone else they are ignored."""
    sent = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    client = production_app.test_client()
    via_proxy = client.get("/_seen", headers=sent, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    from_elsewhere = client.get("/_seen", headers=sent, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert via_proxy.get_data(as_text=True) == "203.0.113.9 https"
    assert from_elsewhere.get_data(as_text=True) == "198.51.100.7 http"
    assert production_app.config["SESSION_COOKIE_SECURE"] and production_app.config["REMEMBER_COOKIE_SECURE"]


def test_static_files_are_the_applications_static_folder(nginx_conf, production_app):
    (static,) = [loc for loc in _https_server(nginx_conf).all("location") if loc.args != ["/"]]
    assert static.args == [production_app.static_url_path + "/"]
    alias = static.values("alias")[0]
    assert alias.endswith("/" + Path(production_app.static_folder).name + "/")


def test_requests_from_one_address_are_rate_limited(nginx_conf):
    (app_location,) = [loc for loc in _https_server(nginx_conf).all("location") if loc.args == ["/"]]
    zone = app_location.values("limit_req")[0].removeprefix("zone=")
    assert any(f"zone={zone}:" in " ".join(d.args) for d in nginx_conf.all("limit_req_zone"))
    assert app_location.values("limit_req_status") == ["429"]


def test_several_application_processes_upstream(nginx_conf):
    (upstream,) = nginx_conf.all("upstream")
    assert len(upstream.all("server")) >= 2
    (app_location,) = [loc for loc in _https_server(nginx_conf).all("location") if loc.args == ["/"]]
    assert app_location.values("proxy_pass") == ["http://" + upstream.args[0]]
