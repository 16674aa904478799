"""Helpers for browser tests: Debian's Chromium under Playwright, a live WSGI server,
and a guard that proves a page loads nothing from outside this machine.

Playwright cannot download its own browser builds here, so tests drive the system
Chromium (``CHAINCRM_CHROMIUM``, default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import mimetypes
import os
import threading
from urllib.parse import urlsplit

from passwords import PASSWORD
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox",  # tests and CI run as root, where the sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def chromium_path() -> str:
    return os.environ.get("CHAINCRM_CHROMIUM", "/usr/bin/chromium")


def launch_chromium(playwright, **launch_options):
    """Launch headless system Chromium from a ``sync_playwright()`` handle."""
    options = {"headless": True, "executable_path": chromium_path(), "args": list(CHROMIUM_ARGS)}
    options.update(launch_options)
    return playwright.chromium.launch(**options)


class LiveServer:
    """Serve a WSGI app on 127.0.0.1 at a free port chosen by the OS, in a thread.

    >>> def hello(environ, start_response):
    ...     start_response("200 OK", [("Content-Type", "text/plain")])
    ...     return [b"hi"]
    >>> import urllib.request
    >>> no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    >>> with LiveServer(hello) as server:
    ...     no_proxy.open(server.url + "/").read()
    b'hi'
    """

    def __init__(self, app, host: str = "127.0.0.1"):
        self.app = app
        self.host = host
        self._server = None
        self._thread = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("LiveServer is not started")
        return self._server.server_port

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:40123``."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveServer:
        if self._server is not None:
            return self
        self._server = make_server(self.host, 0, self.app, threaded=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="chaincrm-live-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def is_local_url(url: str) -> bool:
    """True for URLs a page may load offline: this machine, or inline data.

    >>> is_local_url("http://127.0.0.1:5000/static/app.css")
    True
    >>> is_local_url("data:image/svg+xml,%3csvg%3e")
    True
    >>> is_local_url("https://cdn.jsdelivr.net/npm/bootstrap.css")
    False
    """
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS


def assert_no_external_requests(page) -> list[str]:
    """Block every request from ``page`` to another host and record its URL.

    Call before navigating; returns the (live) list of blocked URLs, so a test ends
    with ``assert blocked == []``. Aborting rather than letting the request through
    keeps tests offline and makes a stray CDN link show up as a visible failure.
    """
    blocked: list[str] = []

    def guard(route):
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    page.route("**/*", guard)
    return blocked


class BrowserSession:
    """One Chromium page on the app served live; ``login`` goes through the real form.

    Used by the ``browser`` fixture (tests/conftest.py), which opens and closes it (``with``)
    and fails the test if the page tried to load anything from outside the server.
    """

    def __init__(self, app):
        self.app = app
        self._server = LiveServer(app)
        self._playwright_cm = None
        self.browser = self.page = None
        self.blocked: list[str] = []

    def open(self) -> BrowserSession:
        from playwright.sync_api import sync_playwright

        self._server.start()
        self._playwright_cm = sync_playwright()
        playwright = self._playwright_cm.__enter__()
        self.browser = launch_chromium(playwright)
        self.page = self.browser.new_page()
        self.blocked = assert_no_external_requests(self.page)
        return self

    def close(self) -> None:
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            if self._playwright_cm is not None:
                self._playwright_cm.__exit__(None, None, None)
            self._server.stop()

    def __enter__(self) -> BrowserSession:
        return self.open()

    def __exit__(self, *exc_info) -> None:
        self.close()

    def url(self, path: str) -> str:
        return self._server.url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.click("button[type=submit]")
        if "/login" in self.page.url:
            raise AssertionError(f"login as {username} failed")


def static_app(folder):
    """A WSGI app that serves the files below ``folder`` (and 404 for anything else), for
    pages written to disk rather than served by the CRM."""

    def app(environ, start_response):
        path = folder / environ["PATH_INFO"].lstrip("/")
        if not path.is_file():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        start_response("200 OK", [("Content-Type", f"{kind}; charset=utf-8")])
        return [path.read_bytes()]

    return app
