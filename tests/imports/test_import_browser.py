"""In Chromium: a messy ledger (GB18030 CSV with a problem row) shows its row report and
writes nothing; the merged-header workbook commits and its batch is listed."""

from __future__ import annotations

import pytest
from ledgers import messy_projects_xlsx
from playwright.sync_api import expect
from record_support import count_of

from crm.projects.models import Project

MESSY_CSV = (
    "岐山县招商项目台账（2026）\n"
    "项目名称,投资方,计划投资（万元）,签约日期,阶段\n"
    "风电装备项目,西安某某能源有限公司,1.2亿,2026年3月5日,在谈\n"
    ",,,,\n"
    "光伏组件项目,宝鸡某某光电有限公司,五千万,,线索\n"
    "总计,,1.7亿,,\n"
).encode("gb18030")


@pytest.mark.browser
def test_messy_ledger_report_then_clean_ledger_commits(app, world, browser, tmp_path):
    page = browser.page
    browser.login("a_staff")
    browser.goto("/")
    page.get_by_role("link", name="数据导入").first.click()
    messy = tmp_path / "台账.csv"
    messy.write_bytes(MESSY_CSV)
    page.set_input_files("#file", str(messy))
    page.get_by_role("button", name="上传并试导入").click()
    problems = page.locator("[data-testid=import-problems] tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("5")  # the sheet's row number
    expect(problems.first).to_contain_text("五千万")
    expect(problems.first).to_contain_text("无法识别的金额")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    assert count_of(app, Project) == 0

    clean = tmp_path / "项目台账.xlsx"
    clean.write_bytes(messy_projects_xlsx())
    browser.goto("/imports/")
    page.set_input_files("#file", str(clean))
    page.get_by_role("button", name="上传并试导入").click()
    expect(page.locator("[data-testid=import-clean]")).to_be_visible()
    expect(page.locator("[data-testid=import-summary]")).to_contain_text("将新建 2")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("[data-testid=import-batch]")).to_contain_text("项目台账.xlsx")
    assert count_of(app, Project) == 2
    browser.goto("/imports/batches")
    expect(page.locator("[data-testid=import-batches] tbody tr")).to_have_count(1)
