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


@pytest.mark.browser
def test_a_menu_opens_on_the_first_click_while_the_page_is_still_loading(browser, world):
    """A user on a slow intranet clicks a menu as soon as it shows: the click must open it,
    not fall on a menu whose script has not run yet."""
    from playwright.sync_api import expect

    browser.login("a_manager")
    page = browser.page
    release = []

    def slow_bootstrap(route):
        # Hold the script back for a while, as a loaded server or a slow line would.
        page.wait_for_timeout(1500)
        release.append(route.request.url)
        route.continue_()

    page.route("**/bootstrap.bundle.min.js", slow_bootstrap)
    page.goto(browser.url("/companies"), wait_until="commit")
    toggle = page.locator("#main-nav .nav-link.dropdown-toggle").first
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert release, "the script was not held back, so the test proved nothing"
