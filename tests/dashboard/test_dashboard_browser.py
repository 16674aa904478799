"""The dashboard's charts draw in a real browser under the CSP, with nothing loaded from outside."""
from datetime import date

import pytest
from playwright.sync_api import sync_playwright

from browser_support import LiveServer, assert_no_external_requests, launch_chromium
from dashboard_fixtures import dash_world  # noqa: F401 - fixture


@pytest.mark.browser
def test_charts_draw_without_csp_errors(app, dash_world):
    app.config["TODAY"] = date(2026, 3, 31)
    with LiveServer(app) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            blocked = assert_no_external_requests(page)
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(server.url + "/login")
            page.fill("input[name=username]", "a_manager")
            page.fill("input[name=password]", "password123")
            page.click("button[type=submit]")
            page.goto(server.url + "/dashboard")
            assert page.locator("[data-testid=funds-ytd]").inner_text() == "5,250.00"
            drawn = page.evaluate("""() => ['chart-months', 'chart-origins', 'chart-funnel']
                .map(id => !!window.Chart.getChart(document.getElementById(id)))""")
            assert drawn == [True, True, True]
            assert problems == [] and blocked == []
        finally:
            browser.close()
