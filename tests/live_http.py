"""Attacks from outside: the application served by waitress (the production server) on
127.0.0.1, and a plain HTTP client that sends exactly the bytes a test gives it.

The test client of Flask parses and normalises URLs before the application sees them;
an attacker's request does not go through it. Tests of security findings use
``live_server`` (a fixture in ``conftest.py``) and ``HttpClient`` instead::

    client = live_server.client()
    client.login("a_staff")
    reply = client.get("/lang/en?next=/%09/evil.example")
    assert reply.status == 302 and reply.location == "/"
"""

from __future__ import annotations

import http.client
import json as jsonlib
import re
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

from passwords import PASSWORD
from waitress import create_server

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    def json(self):
        return jsonlib.loads(self.body)


class HttpClient:
    """One browser's worth of state (cookies) against a live server, no redirects followed.

    ``headers`` are sent with every request (e.g. ``X-Forwarded-For``). ``tls`` speaks
    HTTPS (any certificate accepted: the tests' own); ``source`` is the local address the
    connection comes from (any of 127.0.0.0/8 on Linux).
    """

    def __init__(self, port: int, headers: dict | None = None, tls: bool = False, source: str | None = None):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.headers = dict(headers or {})
        self.tls = tls
        self.source = (source, 0) if source else None

    def _connection(self) -> http.client.HTTPConnection:
        if self.tls:
            return http.client.HTTPSConnection(
                "127.0.0.1",
                self.port,
                timeout=30,
                context=ssl._create_unverified_context(),
                source_address=self.source,
            )
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=self.source)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        connection = self._connection()
        sent = dict(self.headers)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        try:
            # skip_accept_encoding and a raw path: the bytes reach the server as given.
            connection.putrequest(method, path, skip_accept_encoding=True)
            for key, value in sent.items():
                connection.putheader(key, value)
            connection.putheader("Content-Length", str(len(body or b"")))
            connection.endheaders(body or b"")
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header and "expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return reply

    def get(self, path: str, headers: dict | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict | None = None, headers: dict | None = None) -> Reply:
        """A form post; the CSRF token is taken from the page the form is on (``path``)
        unless ``data`` carries one."""
        data = dict(data or {})
        if "csrf_token" not in data:
            token = self.csrf_token(path)
            if token:
                data["csrf_token"] = token
        body = urlencode(data, doseq=True).encode()
        merged = {"Content-Type": "application/x-www-form-urlencoded"}
        merged.update(headers or {})
        return self.request("POST", path, body, merged)

    def post_json(self, path: str, payload, headers: dict | None = None, method: str = "POST") -> Reply:
        body = payload if isinstance(payload, bytes) else jsonlib.dumps(payload).encode()
        merged = {"Content-Type": "application/json"}
        merged.update(headers or {})
        return self.request(method, path, body, merged)

    def csrf_token(self, path: str) -> str | None:
        """The CSRF token of the form on ``path`` (or of the login page)."""
        reply = self.get(path)
        found = CSRF_FIELD.search(reply.text) if reply.status == 200 else None
        if found is None:
            found = CSRF_FIELD.search(self.get("/login").text)
        return found.group(1) if found else None

    def login(self, username: str, password: str = PASSWORD, headers: dict | None = None) -> Reply:
        reply = self.post("/login", {"username": username, "password": password}, headers=headers)
        return reply


class LiveServer:
    """``app`` served by waitress on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app):
        self.app = app
        # As `chaincrm serve`: proxy headers reach the application, which judges them.
        self._server = create_server(
            app, host="127.0.0.1", port=0, threads=4, clear_untrusted_proxy_headers=False
        )
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="chaincrm-waitress", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        # Closed from inside waitress's loop (closing from this thread races its select):
        # with every channel closed the loop has nothing left to wait for and returns.
        def close_all():
            for channel in list(self._server._map.values()):
                channel.close()

        try:
            self._server.trigger.pull_trigger(close_all)
        except OSError:  # the server already closed itself (and its trigger) after an error
            close_all()
        self._thread.join(10)
        self._server.task_dispatcher.shutdown()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def client(self, headers: dict | None = None) -> HttpClient:
        return HttpClient(self.port, headers)

    def logged_in(self, username: str) -> HttpClient:
        """A new client (its own cookies) that has logged in as ``username``."""
        client = self.client()
        client.login(username)
        return client
