"""Moving around the app in a browser as a user does: the navigation menus (folded behind
the toggler on a phone), logging out and in as someone else. Shared by the browser tests
that walk a workflow by clicking."""

from __future__ import annotations

import re

from passwords import PASSWORD
from playwright.sync_api import expect

__all__ = ["VIEWPORTS", "log_out_and_in", "menu", "open_navbar", "section_heading", "slow_machine"]

VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


def slow_machine(page) -> None:
    """Timeouts for a loaded CI machine: Playwright's default for actions, and room for pages
    that compute a report or a list."""
    page.set_default_timeout(30_000)
    expect.set_options(timeout=15_000)


def open_navbar(page) -> None:
    """Below Bootstrap's lg breakpoint the navigation is folded behind the toggler. (Decided
    by the viewport, not by the toggler's visibility, which reads wrong before the CSS loads.)"""
    if page.viewport_size["width"] < 992:
        page.wait_for_load_state("load")  # Bootstrap's script, which unfolds the menu, has run
        page.locator("button.navbar-toggler").click()
        expect(page.locator("#main-nav.collapse.show")).to_be_visible()  # unfolded, not mid-slide


def menu(page, top: str, item: str | None = None) -> None:
    """Open a navigation menu as a user does: on a phone, the navbar toggler first. ``item``
    is the menu entry's whole text (项目 is not 项目看板)."""
    open_navbar(page)
    # A dropdown opens by Bootstrap's script: a click before the page's load event (a busy
    # machine) would fall on a menu that does not open yet.
    page.wait_for_load_state("load")
    page.locator("#main-nav .nav-link", has_text=re.compile(f"^\\s*{re.escape(top)}\\s*$")).first.click()
    if item:
        page.locator("#main-nav .dropdown-item", has_text=re.compile(f"^\\s*{re.escape(item)}\\s*$")).click()


def log_out_and_in(page, username: str) -> None:
    """退出 from the navigation, then log in as ``username`` on the login page it lands on."""
    open_navbar(page)
    page.locator("#main-nav button[type=submit]", has_text="退出").click()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("[data-testid=whoami]")).to_contain_text(username)


def section_heading(page, title: str):
    """A project-page section's heading row: its title (the whole text) and its 全部 link."""
    return page.locator(
        "div.d-flex", has=page.locator("h2", has_text=re.compile(f"^\\s*{re.escape(title)}\\s*$"))
    )
