"""The quarterly review by clicking: the city's coordinator opens 季度点评, freezes the ended
quarter, imports the core indicators, sets the year's weights and a county's class, reads the
ranking scored with them (the independent calculation's scores) and the printable 通报; a
county's staff sees its own rank and nothing of the other county."""

from __future__ import annotations

import pytest
from browser_menus import log_out_and_in, menu, slow_machine
from playwright.sync_api import expect
from review_helpers import WEIGHTS_DEVELOPMENT, expected_scores, set_targets, sheet_csv

from crm.review.indicators import INDICATORS


@pytest.mark.browser
def test_the_coordinators_quarter_by_clicking_and_a_countys_own_rank(
    browser, api, world, review_case, tmp_path
):
    set_targets(api, world)
    page = browser.page
    slow_machine(page)
    browser.login("city")
    menu(page, "季度点评")
    expect(page.locator("h1")).to_have_text("2026年第3季度推进点评")  # the last ended quarter
    page.get_by_role("button", name="冻结本季度数据").click()
    expect(page.locator(".alert-success")).to_contain_text("季度数据已冻结")

    page.get_by_role("link", name="导入核心指标").click()
    sheet = tmp_path / "indicators.csv"
    sheet.write_bytes(sheet_csv())
    page.get_by_label("文件").set_input_files(str(sheet))
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已导入 2 个县（区）的指标")

    page.get_by_role("link", name="权重与县域类型").click()
    for code, label in INDICATORS.items():
        page.get_by_label(f"重点开发区 · {label}", exact=True).fill(str(WEIGHTS_DEVELOPMENT.get(code, 0)))
    page.get_by_label("扶风县", exact=True).select_option(label="农产品主产区")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("2026年的权重和县域类型已保存")

    menu(page, "季度点评")
    expected_a, expected_b = expected_scores()
    rows = page.locator("[data-testid=ranking] tbody tr")
    expect(rows.filter(has_text="岐山县")).to_contain_text(str(expected_a))
    expect(rows.filter(has_text="扶风县")).to_contain_text("农产品主产区")
    expect(rows.filter(has_text="扶风县")).to_contain_text(str(expected_b))
    page.get_by_role("link", name="通报（打印）").click()
    report = page.get_by_test_id("report")
    expect(report.locator("h1")).to_have_text("宝鸡市 2026年第3季度招商引资推进点评通报")
    expect(report).to_contain_text("岐山县")
    expect(report).to_contain_text("扶风县")

    log_out_and_in(page, "a_staff")
    menu(page, "季度点评")
    expect(page.get_by_test_id("own-rank")).to_contain_text(
        f"本县综合得分 {expected_a}，在 2 个县（区）中排第"
    )
    expect(page.locator("main")).not_to_contain_text("扶风县")
