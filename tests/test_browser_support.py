"""Self-test of the browser test kit: a live Flask app driven by system Chromium."""

from pathlib import Path

import pytest
from browser_support import LiveServer, assert_no_external_requests, launch_chromium
from flask import Flask, request

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
def self_test_server():
    """The self-test page and its script served live (not the application: that is conftest's
    ``live_server``)."""
    server = LiveServer(make_app()).start()
    yield server
    server.stop()


@pytest.mark.browser
def test_click_in_chromium_reaches_live_server_and_external_load_is_blocked(self_test_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            blocked = assert_no_external_requests(page)
            page.goto(self_test_server.url + "/")
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


STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

FORM_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>表单</title></head><body>
<form method="post" action="/submitted" data-confirm="确定提交？">
  <select name="stage" data-autosubmit>
    <option value="lead">线索</option><option value="signed">签约</option>
  </select>
  <button type="submit" id="fallback" data-js-hide>筛选</button>
</form>
<script src="/static/js/app.js"></script>
</body></html>"""


def make_form_app():
    app = Flask(__name__, static_folder=str(STATIC_DIR))

    @app.get("/")
    def index():
        return FORM_PAGE

    @app.post("/submitted")
    def submitted():
        return f"<p id='result'>已提交 {request.form['stage']}</p>"

    return app


@pytest.mark.browser
def test_app_js_autosubmits_select_only_after_confirm():
    sync_api = pytest.importorskip("playwright.sync_api")
    with LiveServer(make_form_app()) as server, sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            answers = iter([False, True])  # first dialog: 取消, second: 确定
            dialogs = []

            def answer(dialog):
                dialogs.append(dialog.message)
                dialog.accept() if next(answers) else dialog.dismiss()

            page.on("dialog", answer)
            page.goto(server.url + "/")
            # The no-JavaScript fallback button goes away once app.js runs.
            sync_api.expect(page.locator("#fallback")).to_be_hidden()

            page.select_option("select[name=stage]", "signed")
            page.wait_for_timeout(200)
            assert page.url == server.url + "/"  # cancelled: still on the form

            page.select_option("select[name=stage]", "lead")
            sync_api.expect(page.locator("#result")).to_have_text("已提交 lead")
            assert dialogs == ["确定提交？", "确定提交？"]
        finally:
            browser.close()
