"""Leaders read on phones: the pages they use at 390 px wide, without sideways scrolling,
and the board moving a card by its stage menu (no drag, as on a touch screen)."""

from __future__ import annotations

import pytest
from demo_support import DEMO_PASSWORD
from playwright.sync_api import expect
from sqlalchemy import select

from crm.core.tenancy import system_scope
from crm.projects.models import Project

PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth"


def _a_project_id(app) -> int:
    with app.app_context(), system_scope():
        from crm.core.db import db
        from crm.regions.models import Region

        county = db.session.execute(select(Region).where(Region.code == "610323")).scalar_one()
        return db.session.execute(
            select(Project.id).where(Project.county_id == county.id).order_by(Project.id).limit(1)
        ).scalar_one()


@pytest.mark.browser
def test_leader_pages_fit_a_phone(demo_app, browser):
    page = browser.page
    page.set_viewport_size(PHONE)
    project = f"/projects/{_a_project_id(demo_app)}"
    # The county leader, then the city's coordinator (a county column, the county ranking).
    readers = {
        "qishan_leader": ["/dashboard", "/chains/", "/projects", project, "/projects/board"],
        "city": ["/dashboard", "/chains/", "/projects"],
    }
    too_wide = {}
    for username, pages in readers.items():
        page.context.clear_cookies()
        browser.login(username, DEMO_PASSWORD)
        for path in pages:
            response = browser.goto(path)
            assert response.status == 200, (username, path)
            width = page.evaluate(NO_SIDEWAYS_SCROLL)
            if width > PHONE["width"]:
                too_wide[(username, path)] = width
            if path == "/projects":
                cards = page.locator("[data-testid=project-cards] [data-testid=project-card]")
                expect(cards.first).to_be_visible()
                expect(page.locator("[data-testid=project-list]")).to_be_hidden()
    assert too_wide == {}, f"pages that scroll sideways: {too_wide}"
    # The menu opens: Bootstrap's script is served by the app.
    page.click(".navbar-toggler")
    expect(page.locator("#main-nav")).to_be_visible()


@pytest.mark.browser
def test_board_moves_a_card_by_its_stage_menu_on_a_phone(project_maker, browser):
    pid = project_maker.make(name="年产5万套汽车零部件项目", stage="visited")
    card = f"[data-testid=card-{pid}]"
    page = browser.page
    page.set_viewport_size(PHONE)
    browser.login("a_staff")
    browser.goto("/projects/board")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= PHONE["width"]
    menu = page.locator(f"[data-testid=stage-menu-{pid}]")
    # A stage that needs evidence asks for it as a drag does: in place, with the stage form linked.
    menu.locator("select").select_option("signed")
    menu.locator("button").click()
    expect(page.locator("[data-testid=board-evidence-form]")).to_be_visible()
    expect(page.locator("[data-testid=board-message] a")).to_have_attribute(
        "href", f"/projects/{pid}/stage?to=signed"
    )
    expect(page.locator(f"[data-testid=column-visited] {card}")).to_have_count(1)

    menu.locator("select").select_option("negotiating")
    menu.locator("button").click()
    expect(page.locator(f"[data-testid=column-negotiating] {card}")).to_have_count(1)
    expect(page.locator("[data-testid=count-negotiating]")).to_have_text("1")
    expect(page.locator("[data-testid=board-message]")).to_contain_text("项目已移到“洽谈”")
    # The menu now offers every stage but the one the card is in.
    expect(menu.locator("option[value=negotiating]")).to_be_disabled()
    expect(menu.locator("option[value=visited]")).to_be_enabled()
