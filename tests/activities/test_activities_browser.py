"""An officer logs a visit with CSRF on, sees the follow-up, and subscribes to the calendar."""

from datetime import date, timedelta

import pytest


@pytest.mark.browser
def test_log_activity_then_follow_up_and_calendar(app, activity_project_ids, browser):
    today = date(2026, 11, 25)
    app.config["TODAY"] = today
    page = browser.page
    browser.login("a_staff")
    browser.goto(f"/projects/{activity_project_ids['a']}/activities/new")
    assert page.input_value("input[name=occurred_on]") == today.isoformat()
    page.select_option("select[name=kind]", "site_visit")
    page.fill("input[name=subject]", "陪同企业考察标准化厂房")
    page.fill("input[name=next_follow_up_on]", (today + timedelta(days=1)).isoformat())
    page.click("main form button[type=submit]")
    assert "跟进记录已保存" in page.locator(".alert-success").inner_text()
    assert "陪同企业考察标准化厂房" in page.content()  # the project's timeline
    browser.goto("/followups")
    assert "岐山新能源电池项目" in page.locator("[data-testid=this-week]").inner_text()
    page.click("text=生成订阅地址")
    message = page.locator(".alert-success").inner_text()
    feed = message[message.index("http") :].strip()
    response = page.request.get(feed)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()
