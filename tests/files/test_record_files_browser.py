"""Evidence files by clicking on the remaining kinds of record, from the page the user is on:
a stage move's evidence (from the project page's 阶段变更证据), a commitment fulfilment's
payment voucher (from the commitment's page) and a referral's confirmation letter (from the
引荐备案 list). Each file is downloaded back byte for byte, and a user of another county who
is handed the file's URL gets 404 (so do the record's files page and its own page).

The records are the ``records`` fixture (tests/files/conftest.py)."""

from __future__ import annotations

import pytest
from browser_menus import log_out_and_in, menu, slow_machine
from files_support import PDF, PNG, ooxml, upload_and_download
from playwright.sync_api import expect

PROJECT = "岐山电池项目"
CLAUSE = "工业用地按基准地价 70% 出让"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def staff_browser(browser, records):
    """The browser session with a_staff logged in (paced for a slow machine), the records made."""
    slow_machine(browser.page)
    browser.login("a_staff")
    return browser


def open_project(page) -> None:
    menu(page, "项目管理", "项目")
    page.get_by_role("link", name=PROJECT).click()
    expect(page.locator("h1")).to_contain_text(PROJECT)


def another_county_is_refused(browser, username: str, *paths: str) -> None:
    """``username`` (of another county) opens each URL or path, as if handed it: 404, and
    nothing of the record shown."""
    log_out_and_in(browser.page, username)
    for path in paths:
        response = browser.page.goto(path) if path.startswith("http") else browser.goto(path)
        assert response.status == 404, path
        expect(browser.page.locator("h1")).to_contain_text("404")
        expect(browser.page.locator("body")).not_to_contain_text(PROJECT)


@pytest.mark.browser
def test_evidence_of_a_stage_move(staff_browser, records, tmp_path):
    page = staff_browser.page
    open_project(page)
    project_url = page.url
    moves = page.get_by_test_id("stage-move-files")
    move = moves.locator("tr", has_text="2026-02-01")
    expect(move).to_contain_text("洽谈")
    expect(move).to_contain_text("附件（0）")
    move.get_by_role("link", name="附件（0）").click()
    expect(page.locator("h1")).to_contain_text(f"{PROJECT} · 阶段变更")

    file_url = upload_and_download(
        page, "合同", "投资协议（签约）.pdf", "application/pdf", PDF, tmp_path / "a.pdf"
    )
    files_url = page.url
    page.locator("h1").get_by_role("link", name=PROJECT).click()  # back to the project
    expect(page).to_have_url(project_url)
    expect(page.get_by_test_id("stage-move-files").locator("tr", has_text="2026-02-01")).to_contain_text(
        "附件（1）"
    )

    another_county_is_refused(
        staff_browser, "b_staff", file_url, files_url, f"/projects/{records['project']}"
    )


@pytest.mark.browser
def test_payment_voucher_of_a_commitment_fulfilment(staff_browser, records, tmp_path):
    page = staff_browser.page
    open_project(page)
    page.locator("[data-testid=hub-commitments]").get_by_role("link", name=CLAUSE).click()
    expect(page.locator("[data-testid=clause]")).to_have_text(CLAUSE)
    commitment_url = page.url
    page.get_by_test_id(f"fulfillment-files-{records['fulfillment']}").click()
    expect(page.locator("h1")).to_contain_text("兑现记录 2026-03-10")

    file_url = upload_and_download(page, "拨付凭证", "兑现拨付凭证.png", "image/png", PNG, tmp_path / "v.png")
    files_url = page.url
    page.locator("h1").get_by_role("link").click()  # back to the commitment
    expect(page).to_have_url(commitment_url)

    another_county_is_refused(staff_browser, "b_manager", file_url, files_url)


@pytest.mark.browser
def test_confirmation_letter_of_a_referral(staff_browser, records, tmp_path):
    page = staff_browser.page
    menu(page, "承诺与奖励", "引荐奖励")
    page.get_by_role("link", name="引荐备案").click()
    row = page.locator("tr", has_text="张三")
    expect(row).to_contain_text(PROJECT)
    row.get_by_role("link", name="附件").click()
    expect(page.locator("h1")).to_contain_text(f"{PROJECT} · 引荐人 张三")

    letter = ooxml()
    file_url = upload_and_download(page, "确认函", "投资方确认函.docx", DOCX, letter, tmp_path / "l.docx")
    files_url = page.url
    page.locator("h1").get_by_role("link").click()  # back to the referrals
    expect(page.locator("h1")).to_contain_text("引荐备案")

    another_county_is_refused(staff_browser, "c_staff", file_url, files_url)
