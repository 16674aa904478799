"""Land, walked by clicking from the page a user is on, at a desk and on a phone: a staff
member matches a signed project to a 标准地 parcel from the project's page (落地位置), finds
the parcel's indicators among the project's obligations (开工, 投产 and the four figures) and
the parcel drawn as taken on the park plan; the manager then changes the 亩均 weights and
sees a firm move from class B to class A.

The parks, parcels, project and 亩均 figures are the ``land_ids`` fixture (tests/land/conftest.py):
a bureau's standing records, not part of the walk."""

from __future__ import annotations

import pytest
from browser_menus import VIEWPORTS, log_out_and_in, menu, section_heading, slow_machine
from playwright.sync_api import expect

PROJECT = "a县电池项目"  # signed on 2026-02-01
FIRM = "a县宏达机械"  # 10 亩: 亩均税收 10, 亩均增加值 50, 劳动生产率 25, 能耗增加值 5


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_match_a_signed_project_to_standard_land_then_reweigh_the_classes(browser, land_ids, viewport):
    page = browser.page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[viewport])))
    slow_machine(page)
    browser.login("a_staff")

    # 1. The project's page, reached from the project list.
    menu(page, "项目管理", "项目")
    page.get_by_role("link", name=PROJECT).click()
    expect(page.locator("h1")).to_contain_text(PROJECT)
    project_url = page.url
    expect(page.locator("[data-testid=hub-land]")).to_contain_text("尚未匹配地块或载体")
    expect(page.locator("[data-testid=hub-obligations]")).to_contain_text("暂无企业履约事项")

    # 2. 匹配落地位置: the 标准地 parcel S-1, with the agreed dates of the land contract.
    page.get_by_role("link", name="匹配落地位置").click()
    target = page.get_by_label("落地地块或载体")
    target.select_option(target.locator("option", has_text="地块 S-1").get_attribute("value"))
    page.get_by_label("约定开工日期").fill("2026-12-20")
    page.get_by_label("约定投产日期").fill("2027-12-31")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(project_url)
    land_section = page.locator("[data-testid=hub-land]")
    expect(land_section).to_contain_text("a开发区 · 地块 S-1")
    expect(land_section).to_contain_text("标准地")
    # Signed already, so the parcel's conditions became obligations on matching.
    expect(land_section.locator("[data-testid=conditions-applied]")).to_be_visible()
    expect(land_section.get_by_role("button", name="生成标准地履约事项")).to_have_count(0)
    obligations = page.locator("[data-testid=hub-obligations]")
    expect(obligations.locator("tr", has_text="开工时限")).to_contain_text("2026-12-20")
    expect(obligations.locator("tr", has_text="投产时限")).to_contain_text("2027-12-31")
    expect(obligations.locator("tr")).to_have_count(6)

    # 3. The obligations in full: each indicator of the parcel is a target, checked at 投产.
    section_heading(page, "企业履约事项").get_by_role("link", name="全部").click()
    for kind, target_text in (
        ("投资强度", "300"),
        ("亩均产值", "500"),
        ("亩均税收", "25"),
        ("容积率", "1.2"),
    ):
        row = page.locator("tr[data-obligation-id]", has_text=kind)
        expect(row).to_contain_text(target_text)
        expect(row).to_contain_text("2027-12-31")
        expect(row).to_contain_text("调整地价")
    expect(page.locator("tr[data-obligation-id]", has_text="开工时限")).to_contain_text("收回土地")
    page.go_back()

    # 4. The parcel, then its park: the plan draws S-1 as taken, P-1 (no project) as free.
    page.locator("[data-testid=hub-land]").get_by_role("link", name="a开发区 · 地块 S-1").click()
    expect(page.locator("[data-testid=parcel-projects]")).to_contain_text(PROJECT)
    page.locator("[data-testid=parcel]").get_by_role("link", name="a开发区").click()
    plan = page.locator("[data-testid=park-plan]")
    expect(plan).to_be_visible()
    taken = plan.locator(f"a[data-parcel='{land_ids['a']['standard']}']")
    expect(taken).to_have_attribute("data-used", "yes")
    expect(taken.locator("title")).to_contain_text("已落地项目")
    expect(taken.locator("circle")).to_have_count(1)
    free = plan.locator(f"a[data-parcel='{land_ids['a']['plain']}']")
    expect(free).to_have_attribute("data-used", "no")
    expect(free.locator("circle")).to_have_count(0)
    expect(plan).to_contain_text("已落地项目")  # the legend says what the dot means

    # 5. The manager reweighs the 亩均 evaluation: energy efficiency counts most now.
    log_out_and_in(page, "a_manager")
    menu(page, "园区与用地", "亩均效益评价")
    firm = page.locator(f"tr[data-firm='{FIRM}']")
    expect(firm).to_have_attribute("data-grade", "B")  # 86.67 under the default weights
    page.get_by_role("link", name="评价规则").click()
    for label, weight in (
        ("亩均税收权重（%）", "10"),
        ("亩均增加值权重（%）", "10"),
        ("全员劳动生产率权重（%）", "10"),
        ("单位能耗增加值权重（%）", "70"),
    ):
        page.get_by_label(label).fill(weight)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("评价规则已保存")
    expect(page.locator("[data-testid=rules]")).to_contain_text("70%")
    firm = page.locator(f"tr[data-firm='{FIRM}']")
    expect(firm).to_have_attribute("data-grade", "A")  # 10%×66.67 + 10%×83.33 + 10%×83.33 + 70%×150
    expect(firm).to_contain_text("128.33")
