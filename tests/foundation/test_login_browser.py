"""Logging in and out in a real browser, with CSRF on and nothing loaded from outside."""

import pytest
from passwords import PASSWORD


@pytest.mark.browser
def test_login_wrong_password_then_right_then_logout(browser, world):
    page = browser.page
    browser.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", "a_manager")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").inner_text() == "用户名或密码错误"
    assert page.input_value("input[name=username]") == "a_manager"
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert "a_manager" in page.locator("[data-testid=whoami]").inner_text()
    assert page.locator("nav >> text=用户管理").count() == 1
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("text=中文")
    page.click("nav button[type=submit]")
    assert "/login" in page.url
    browser.goto("/admin/users")
    assert "/login" in page.url
