"""docs/nginx.conf run by a real nginx in front of a real ``chaincrm serve``.

test_nginx_conf.py reads the file; here nginx itself accepts it (``nginx -t``) and serves
with it, only the placeholders replaced: a throw-away certificate, this checkout's static
folder, local ports, and the one application process of the test as the upstream. The
application runs as in production (``CHAINCRM_ENV=production``) and trusts 127.0.0.1,
where nginx connects from; the test's client connects to nginx from 127.0.0.3, so the
address the application records shows whose ``X-Forwarded-For`` it believed.

nginx is found as ``CHAINCRM_NGINX`` (.ci/run sets it and installs nginx: a missing nginx
is then a failure) or on the PATH; without either the tests are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from live_http import HttpClient
from server_processes import ServerProcess, free_port, server_env
from sqlalchemy import select

from crm.auth.models import UserSession
from crm.core.db import db
from crm.core.resources import SOURCE_ROOT
from crm.core.tenancy import system_scope

NGINX_CONF = Path(SOURCE_ROOT) / "docs" / "nginx.conf"
NGINX = os.environ.get("CHAINCRM_NGINX") or shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
CLIENT_ADDRESS = "127.0.0.3"
SETTINGS = 'SECRET_KEY = "nginx-test-' + "k" * 40 + '"\n'

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)")


def _replace(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced; the docs' file must still hold it (else this test is stale)."""
    assert old in text, f"docs/nginx.conf no longer contains {old!r}"
    return text.replace(old, new)


def site_config(app_port: int, http_port: int, https_port: int, cert: Path, key: Path, static: Path) -> str:
    """docs/nginx.conf with its placeholders filled for this machine."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    text = _replace(text, "/etc/ssl/chaincrm/fullchain.pem", str(cert))
    text = _replace(text, "/etc/ssl/chaincrm/privkey.pem", str(key))
    text = _replace(text, "/srv/chaincrm/venv/share/chaincrm/static/", f"{static}/")
    text = re.sub(r"(?m)^\s*listen \[::\]:\d+.*;\n", "", text)  # no IPv6 needed here
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text, https_listens = re.subn(r"listen 443 ", f"listen 127.0.0.1:{https_port} ", text)
    assert https_listens == 1
    text, upstreams = re.subn(r"(?m)^\s*server \d[\d.]*:\d+ .*;\n", "", text)
    assert upstreams >= 2
    return _replace(text, "upstream chaincrm {", f"upstream chaincrm {{\n    server 127.0.0.1:{app_port};")


def main_config(folder: Path, site: Path) -> str:
    """The rest of an nginx.conf around the site: everything kept inside ``folder``."""
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's files
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temp}\n    include {site};\n}}\n"
    )


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "nginx exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx does not listen on {port}")


@pytest.fixture
def proxied(app, world, tmp_path):
    """(nginx's http port, its https port, the nginx -t output, app) with both running."""
    assert NGINX and Path(NGINX).exists(), f"CHAINCRM_NGINX={NGINX} does not exist"
    with app.app_context():
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        db.session.remove()
        db.engine.dispose()
    env = server_env(url, tmp_path, SETTINGS)
    env.update(CHAINCRM_ENV="production", CHAINCRM_TRUSTED_PROXIES="127.0.0.1")
    server = ServerProcess(env, tmp_path / "server.log", "--no-warm")
    nginx = None
    try:
        cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-keyout", str(key), "-out", str(cert)],
            check=True,
            capture_output=True,
        )  # fmt: skip
        http_port, https_port = free_port(), free_port()
        site = tmp_path / "chaincrm.conf"
        site.write_text(site_config(server.port, http_port, https_port, cert, key, Path(app.static_folder)))
        main = tmp_path / "nginx.conf"
        main.write_text(main_config(tmp_path, site))
        command = [NGINX, "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        server.wait_ready()
        nginx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        _wait_for_port(https_port, nginx)
        yield http_port, https_port, checked.stderr, app
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        server.stop()


def test_nginx_serves_the_application_with_the_documented_configuration(proxied):
    http_port, https_port, checked, app = proxied
    assert "syntax is ok" in checked and "test is successful" in checked

    # Plain HTTP only redirects to HTTPS.
    plain = HttpClient(http_port).get("/login")
    assert plain.status == 301 and plain.location.startswith("https://")

    # Over HTTPS: the login page, HSTS, and Secure cookies (production behind the proxy).
    browser = HttpClient(
        https_port, tls=True, source=CLIENT_ADDRESS, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    page = browser.get("/login")
    assert page.status == 200 and 'name="csrf_token"' in page.text
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    # The application knows the request came over HTTPS (nginx's X-Forwarded-Proto): a
    # form post then needs a same-site Referer, as browsers send. nginx's Host is $host,
    # without the port, as on the documented port 443.
    refused = browser.login("a_staff")
    assert refused.status == 400 and "来源页（Referer）" in refused.text
    assert browser.login("a_staff", headers={"Referer": "https://127.0.0.1/login"}).status == 302
    cookies = " ".join(page.headers.get_all("Set-Cookie") or [])
    assert "Secure" in cookies
    assert browser.get("/dashboard").status == 200

    # The application believed nginx's X-Forwarded-For, which is the client's address:
    # the one the client itself sent is replaced, never appended to.
    with app.app_context(), system_scope():
        addresses = set(db.session.execute(select(UserSession.remote_addr)).scalars())
    assert addresses == {CLIENT_ADDRESS}

    # Static files come from disk through nginx (with its cache header); bodies above the
    # application's limit are refused by nginx before they reach it.
    static = browser.get("/static/css/app.css")
    assert (
        static.status == 200 and "Expires" in static.headers and static.headers["Server"].startswith("nginx")
    )
    too_big = browser.request(
        "POST", "/login", b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), {"Content-Type": "text/plain"}
    )
    assert too_big.status == 413
