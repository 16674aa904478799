"""An officer attaches a signed contract (PDF) on a project's page and downloads it, in Chromium."""

from __future__ import annotations

import pytest
from files_support import PDF
from playwright.sync_api import expect


@pytest.mark.browser
def test_attach_a_pdf_on_the_project_page_and_download_it(app, records, browser, tmp_path):
    page = browser.page
    browser.login("a_staff")
    browser.goto(f"/projects/{records['project']}")
    panel = page.get_by_test_id("attachments-panel-project")
    panel.locator("select[name=kind]").select_option(label="合同")
    panel.locator("input[type=file]").set_input_files(
        files=[{"name": "岐山电池项目投资协议.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    panel.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("附件已上传")
    panel = page.get_by_test_id("attachments-panel-project")  # back on the project's page
    expect(panel).to_contain_text("岐山电池项目投资协议.pdf")
    expect(panel).to_contain_text("合同")

    with page.expect_download() as started:
        panel.get_by_role("link", name="岐山电池项目投资协议.pdf").click()
    download = started.value
    assert download.suggested_filename == "岐山电池项目投资协议.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF
