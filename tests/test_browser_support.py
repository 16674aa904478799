"""Self-test of the browser test kit: a live Flask app driven by system Chromium."""

import pytest
from flask import Flask

from browser_support import LiveServer, assert_no_external_requests, launch_chromium

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>自检</title>
<link rel="stylesheet" href="https://cdn.example.invalid/bootstrap.css"></head>
<body>
<p id="greeting">尚未点击</p>
<button id="press" type="button">点击</button>
<script src="/press.js"></script>
</body></html>"""

PRESS_JS = """document.getElementById("press").addEventListener("click", function () {
  fetch("/greeting").then(function (r) { return r.text(); }).then(function (text) {
    document.getElementById("greeting").textContent = text;
  });
});"""


def make_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return PAGE

    @app.get("/press.js")
    def press_js():
        return PRESS_JS, 200, {"Content-Type": "text/javascript"}

    @app.get("/greeting")
    def greeting():
        return "你好，招商局"

    return app


@pytest.fixture
def live_server():
    server = LiveServer(make_app()).start()
    yield server
    server.stop()


@pytest.mark.browser
def test_click_in_chromium_reaches_live_server_and_external_load_is_blocked(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            blocked = assert_no_external_requests(page)
            page.goto(live_server.url + "/")
            assert page.inner_text("#greeting") == "尚未点击"

            page.click("#press")
            sync_api.expect(page.locator("#greeting")).to_have_text("你好，招商局")

            # The page's CDN stylesheet was stopped and recorded, not fetched.
            assert blocked == ["https://cdn.example.invalid/bootstrap.css"]
        finally:
            browser.close()


def test_live_server_stops_and_frees_its_port():
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    server = LiveServer(make_app()).start()
    url = server.url + "/greeting"
    assert opener.open(url).read().decode() == "你好，招商局"
    server.stop()
    with pytest.raises(urllib.error.URLError):
        opener.open(url, timeout=2)
