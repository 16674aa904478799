"""A manager undoes a ledger import from the batch list, by clicking: a staff member imports
the project ledger, the manager opens 导入批次, picks the batch and undoes it; the projects it
created are gone from the project list and the batch reads 批次已撤销."""

from __future__ import annotations

import pytest
from browser_menus import VIEWPORTS, log_out_and_in, menu, slow_machine
from ledgers import messy_projects_xlsx
from playwright.sync_api import expect

LEDGER = "项目台账.xlsx"
IMPORTED = ("钛材深加工项目", "果品冷链物流园")  # the ledger's two projects


@pytest.mark.browser
def test_a_manager_undoes_a_batch_from_the_batch_list(browser, world, tmp_path):
    page = browser.page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["desktop"])))
    slow_machine(page)
    ledger = tmp_path / LEDGER
    ledger.write_bytes(messy_projects_xlsx())

    browser.login("a_staff")
    menu(page, "数据导入")
    page.set_input_files("#file", str(ledger))
    page.get_by_role("button", name="上传并试导入").click()
    expect(page.locator("[data-testid=import-summary]")).to_contain_text("将新建 2")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("[data-testid=import-batch]")).to_contain_text(LEDGER)
    expect(page.get_by_role("button", name="撤销本批次")).to_have_count(0)  # a manager's act
    menu(page, "项目管理", "项目")
    for name in IMPORTED:
        expect(page.get_by_role("link", name=name)).to_have_count(1)

    log_out_and_in(page, "a_manager")
    menu(page, "数据导入")
    page.get_by_role("link", name="导入批次").click()
    batch_row = page.locator("[data-testid=import-batches] tbody tr", has_text=LEDGER)
    expect(batch_row).to_contain_text("批次有效")
    batch_row.get_by_role("link").first.click()
    page.once("dialog", lambda dialog: dialog.accept())  # asked to confirm: records are deleted
    page.get_by_role("button", name="撤销本批次").click()
    expect(page.locator(".alert-success")).to_contain_text("导入批次已撤销")
    expect(page.get_by_role("button", name="撤销本批次")).to_have_count(0)
    page.get_by_role("link", name="全部导入批次").click()
    expect(page.locator("[data-testid=import-batches] tbody tr", has_text=LEDGER)).to_contain_text(
        "批次已撤销"
    )
    menu(page, "项目管理", "项目")
    for name in IMPORTED:
        expect(page.get_by_role("link", name=name)).to_have_count(0)
