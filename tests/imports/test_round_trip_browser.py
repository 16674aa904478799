"""In Chromium: county A's manager downloads the project, funds and 跟进记录 exports by clicking
on the project list, the funds page and the 跟进记录 list; county B's staff, whose county is
empty, imports those very files on the import page (dry run, then 确认导入) and finds the same
projects on the project list, the same money awaiting 认定 and the same follow-ups — and the
database holds the same records. County A's 企业名录, downloaded from 企业库, reads back as
the same shared companies."""

from __future__ import annotations

import re

import pytest
from browser_menus import log_out_and_in, menu, slow_machine
from exported_county import PROJECTS, activities_of, funds_of, projects_of, seed_county_a
from playwright.sync_api import expect


def _download(page, link_name: str, folder) -> str:
    """Click the export link and keep the file under the name the server gave it."""
    with page.expect_download() as started:
        page.get_by_role("link", name=link_name, exact=True).first.click()
    download = started.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return str(path)


def _import(page, kind: str, path: str, rows: int, unmap: tuple[str, ...] = ()) -> None:
    """Upload ``path`` as ``kind`` on 数据导入, leave the ``unmap`` columns out, commit."""
    menu(page, "数据导入")
    page.select_option("#kind", kind)
    page.set_input_files("#file", path)
    page.get_by_role("button", name="上传并试导入").click()
    if unmap:
        for header in unmap:
            row = page.locator("[data-testid=import-review] tr", has=page.get_by_text(header, exact=True))
            row.locator("select").select_option("")
        page.get_by_role("button", name="按此映射重新试导入").click()
    expect(page.locator("[data-testid=import-clean]")).to_be_visible()
    expect(page.locator("[data-testid=import-summary]")).to_contain_text(f"将新建 {rows}")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("[data-testid=import-batch]")).to_contain_text(path.rsplit("/", 1)[-1])


@pytest.mark.browser
def test_project_funds_and_follow_up_exports_import_back_into_an_empty_county(app, world, browser, tmp_path):
    seed_county_a(app, world)
    page = browser.page
    slow_machine(page)

    browser.login("a_manager")
    menu(page, "项目管理", "项目")
    projects_file = _download(page, "导出 Excel", tmp_path)
    assert projects_file.endswith(".xlsx")
    menu(page, "项目管理", "到位资金")
    funds_file = _download(page, "导出 Excel", tmp_path)
    menu(page, "项目管理", "跟进记录")
    activities_file = _download(page, "导出 CSV（GB18030）", tmp_path)
    menu(page, "项目管理", "企业库")
    companies_file = _download(page, "导出 Excel", tmp_path)

    log_out_and_in(page, "b_staff")
    menu(page, "项目管理", "项目")
    expect(page.locator("[data-testid=project-list] tbody a")).to_have_count(0)  # an empty county
    # 负责人 names county A's officer, who is nobody in county B: the importer leaves it out.
    _import(page, "projects", projects_file, rows=len(PROJECTS), unmap=("负责人",))
    _import(page, "funds", funds_file, rows=3)
    _import(page, "activities", activities_file, rows=2)

    menu(page, "项目管理", "项目")
    # The confidential project reads by its code name here too (b_staff is not its owner).
    for shown, stage, amount in PROJECTS.values():
        row = page.locator("[data-testid=project-list] tbody tr", has=page.get_by_role("link", name=shown))
        expect(row).to_have_count(1)
        expect(row.locator(".badge")).to_have_text(stage)
        if amount:
            expect(row.locator("td.num")).to_have_text(amount)
    browser.goto("/funds/pending")  # imported money awaits the county manager's 认定
    pending = page.locator("[data-testid=funds-pending-list] tbody tr")
    expect(pending).to_have_count(3)
    june = pending.filter(has_text="PZ-0601")
    expect(june).to_contain_text(re.compile(r"2026-06\s*签约项目\s*省外\s*1,500\.50"))
    menu(page, "项目管理", "跟进记录")
    expect(page.locator("tbody tr", has_text="签约项目")).to_have_count(2)
    expect(page.locator("tbody tr", has_text="投资方来县考察园区标准化厂房")).to_contain_text("考察")

    # Companies are shared: in this installation each row of A's 企业名录 is found again, the
    # same company, and skipped — none is made twice (tests/imports/test_export_round_trip.py
    # imports the 名录 into an installation without them).
    menu(page, "数据导入")
    page.select_option("#kind", "companies")
    page.set_input_files("#file", companies_file)
    page.get_by_role("button", name="上传并试导入").click()
    expect(page.locator("[data-testid=import-summary]")).to_contain_text("共 3 行：将新建 0，更新 0，跳过 3")
    expect(page.locator("[data-testid=import-duplicates] tbody tr")).to_have_count(3)

    with app.app_context():
        assert projects_of(world.county_b) == projects_of(world.county_a)
        assert funds_of(world.county_b) == funds_of(world.county_a)
        assert activities_of(world.county_b) == activities_of(world.county_a)
