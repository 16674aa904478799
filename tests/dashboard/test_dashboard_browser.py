"""The dashboard's charts draw in a real browser under the CSP, with nothing loaded from outside."""

from datetime import date

import pytest


@pytest.mark.browser
def test_charts_draw_without_csp_errors(app, dashboard_world, browser):
    app.config["TODAY"] = date(2026, 3, 31)
    page = browser.page
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    browser.login("a_manager")
    browser.goto("/dashboard")
    assert page.locator("[data-testid=funds-ytd]").inner_text() == "5,250.00 万元"
    drawn = page.evaluate("""() => ['chart-months', 'chart-origins', 'chart-funnel']
        .map(id => !!window.Chart.getChart(document.getElementById(id)))""")
    assert drawn == [True, True, True]
    assert problems == []
