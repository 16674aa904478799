"""Between counties, by clicking: 岐山县's manager offers the confidential titanium project to
扶风县 from its page with a 60/40 split, 扶风县's manager accepts from the inbox, the project is
扶风县's and each dashboard counts its share of the funds; and a collision alert (both
counties courting one investor) seen by both managers, each reading the other county's
project by its code name only.

The project, its investor and counted funds are the ``confidential_project`` fixture (tests/coordination)."""

from __future__ import annotations

from datetime import date

import pytest
from browser_menus import VIEWPORTS, log_out_and_in, menu, slow_machine
from coordination_support import CODE_NAME, REAL_NAME
from playwright.sync_api import expect

B_PROJECT = "扶风钛材深加工项目"
B_CODE_NAME = "FF-2026-钛材"


@pytest.mark.browser
def test_offer_accept_and_each_dashboard_counts_its_share(browser, confidential_project, world):
    page = browser.page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["desktop"])))
    slow_machine(page)
    browser.login("a_manager")
    # All the funds are 岐山县's before: 1000.01 + 333.33 (December) + 500 (June).
    expect(page.locator("[data-testid=funds-ytd]")).to_have_text("1,833.34 万元")

    # 1. 岐山县's manager offers the project from its page.
    menu(page, "项目管理", "项目")
    page.get_by_role("link", name=REAL_NAME).click()
    expect(page.locator("h1")).to_contain_text(REAL_NAME)
    page.get_by_role("link", name="推荐流转").click()
    page.get_by_label("接收县").select_option(label="扶风县")
    page.get_by_label("流转原因").select_option(label="用地")
    page.get_by_label("本县分成比例（%）").fill("60")
    page.get_by_label("分成年限（年）").fill("5")
    page.get_by_test_id("offer-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("流转已推荐")
    detail = page.locator("[data-testid=transfer-detail]")
    expect(detail).to_contain_text("岐山县 60.00% · 扶风县 40.00%")
    expect(page.locator("[data-testid=transfer-status]")).to_have_text("待接收")

    # 2. 扶风县's manager finds the offer in the inbox, reads it by its code name, accepts.
    log_out_and_in(page, "b_manager")
    expect(page.locator("[data-testid=inbox-count-transfers-offered]")).to_have_text("1")
    page.get_by_test_id("inbox-transfers-offered").click()
    offered = page.locator("[data-testid=transfer-list] tbody tr", has_text=CODE_NAME)
    expect(offered).to_contain_text("待接收")
    expect(page.locator("body")).not_to_contain_text(REAL_NAME)
    offered.get_by_role("link", name=CODE_NAME).click()
    expect(page.locator("h1")).to_contain_text(CODE_NAME)
    page.get_by_test_id("accept").click()
    expect(page.locator(".alert-success")).to_contain_text("已接收，项目已转入本县")
    expect(page.locator("[data-testid=transfer-status]")).to_have_text("已接收")

    # 3. The project is 扶风县's now: in its manager's list, by its real name.
    menu(page, "项目管理", "项目")
    page.get_by_role("link", name=REAL_NAME).click()
    expect(page.locator("h1")).to_contain_text(REAL_NAME)
    # From December (the agreement) 40% of each month's funds is 扶风县's:
    # (1000.01 + 333.33) − (600.01 + 200.00), 岐山县's part rounded half up per record.
    menu(page, "首页看板")
    expect(page.locator("[data-testid=funds-ytd]")).to_have_text("533.33 万元")

    # 4. 岐山县 keeps its 60% and the June funds; the project has left its list.
    log_out_and_in(page, "a_manager")
    expect(page.locator("[data-testid=funds-ytd]")).to_have_text("1,300.01 万元")
    menu(page, "项目管理", "项目")
    expect(page.get_by_role("link", name=REAL_NAME)).to_have_count(0)
    expect(page.get_by_role("link", name=CODE_NAME)).to_have_count(0)


@pytest.mark.browser
def test_both_managers_see_the_collision_with_the_other_countys_code_name(
    browser, confidential_project, world, new_project
):
    # 扶风县's staff open a project with the same investor (by its credit code): an alert.
    new_project(
        "b_staff",
        B_PROJECT,
        confidential_project.company_id,
        code_name=B_CODE_NAME,
        first_contact_on=date(2026, 11, 20),
        planned_investment_wan="777",
    )
    page = browser.page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["phone"])))
    slow_machine(page)

    for manager, own_name, other_name, hidden in (
        ("b_manager", B_PROJECT, CODE_NAME, REAL_NAME),
        ("a_manager", REAL_NAME, B_CODE_NAME, B_PROJECT),
    ):
        if manager == "b_manager":
            browser.login(manager)
        else:
            log_out_and_in(page, manager)
        expect(page.locator("[data-testid=inbox-count-collisions-open]")).to_have_text("1")
        page.get_by_test_id("inbox-collisions-open").click()
        row = page.locator("[data-testid=collision-list] tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"岐山县：{REAL_NAME if manager == 'a_manager' else CODE_NAME}")
        expect(row).to_contain_text(f"扶风县：{B_PROJECT if manager == 'b_manager' else B_CODE_NAME}")
        expect(row).to_contain_text("待裁定")
        row.get_by_role("link").first.click()
        collision = page.locator("[data-testid=collision-detail]")
        expect(collision).to_contain_text(own_name)
        expect(collision).to_contain_text(other_name)
        expect(page.locator("[data-testid=first-contact]")).to_have_text("岐山县")  # visited on 3 January
        body = page.locator("body")
        expect(body).not_to_contain_text(hidden)
        for amount in ("88888", "88,888", "777"):  # nor the other county's figures
            expect(body).not_to_contain_text(amount)
