"""Evidence files by clicking, from the pages where the records are: a payment voucher on a
funds record (the project's funds page) and a review opinion on a commitment's 合法性审核
(the commitment's page), each downloaded back byte for byte; and a colleague who is not the
confidential project's owner is offered no 附件 link on it, and typing the URL gets the
refusal page.

The records are the ``records`` fixture (tests/files/conftest.py); the confidential project's
funds record is added here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from browser_menus import VIEWPORTS, log_out_and_in, menu, section_heading, slow_machine
from files_support import PDF, PNG, upload_and_download
from playwright.sync_api import expect

from crm.core.db import db

PROJECT = "岐山电池项目"
CLAUSE = "工业用地按基准地价 70% 出让"
SECRET_CODE_NAME = "蓝海项目"
SECRET_NAME = "宁德时代储能基地"


@pytest.fixture
def secret_funds(app, world, records) -> int:
    """A funds record of the confidential project (owned by a_staff)."""
    from crm.core.tenancy import system_scope
    from crm.funds.models import FundsRecord

    with app.app_context(), system_scope():
        record = FundsRecord(
            county_id=world.county_a,
            project_id=records["secret"],
            month=date(2026, 11, 1),
            origin="out_of_province",
            amount_wan=Decimal("2000"),
        )
        db.session.add(record)
        db.session.commit()
        return record.id


@pytest.mark.browser
def test_files_on_a_funds_record_and_a_review_then_a_refusal(browser, records, secret_funds, tmp_path):
    page = browser.page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS["desktop"])))
    slow_machine(page)
    browser.login("a_staff")

    # 1. The project's funds, from its page: the March record's 附件, a payment voucher.
    menu(page, "项目管理", "项目")
    page.get_by_role("link", name=PROJECT).click()
    project_url = page.url
    section_heading(page, "到位资金").get_by_role("link", name="全部").click()
    page.get_by_test_id(f"funds-files-{records['funds']}").click()
    expect(page.locator("h1")).to_contain_text(f"{PROJECT} · 2026-03")
    upload_and_download(
        page, "拨付凭证", "2026年3月拨付凭证.pdf", "application/pdf", PDF, tmp_path / "voucher.pdf"
    )

    # 2. The commitment's page, from the project's: the review opinion on its legality review.
    page.locator("h1").get_by_role("link").click()  # the record's page: the project's funds
    page.locator("h1").get_by_role("link", name=PROJECT).click()
    expect(page).to_have_url(project_url)
    page.locator("[data-testid=hub-commitments]").get_by_role("link", name=CLAUSE).click()
    page.get_by_test_id(f"review-files-{records['commitment_review']}").click()
    expect(page.locator("h1")).to_contain_text("审查记录")
    upload_and_download(page, "评审意见", "合法性审核意见书.png", "image/png", PNG, tmp_path / "opinion.png")
    page.locator("h1").get_by_role("link").click()  # back to the commitment
    expect(page.locator("[data-testid=clause]")).to_have_text(CLAUSE)

    # 3. A colleague opens the confidential project (by its code name) and its funds: the
    # files there are for its owner and the manager only, so no page offers them; the URL
    # itself, typed in, answers with the refusal page.
    log_out_and_in(page, "a_staff2")
    menu(page, "项目管理", "项目")
    page.get_by_role("link", name=SECRET_CODE_NAME).click()
    expect(page.locator("h1")).to_contain_text(SECRET_CODE_NAME)
    expect(page.get_by_test_id("attachments-panel-project")).to_have_count(0)
    section_heading(page, "到位资金").get_by_role("link", name="全部").click()
    expect(page.get_by_test_id(f"funds-row-{secret_funds}")).to_be_visible()
    expect(page.get_by_test_id(f"funds-files-{secret_funds}")).to_have_count(0)
    expect(page.get_by_role("link", name="附件")).to_have_count(0)
    browser.goto(f"/files/for/funds/{secret_funds}")
    refusal = page.get_by_test_id("permission-refusal")
    expect(refusal).to_contain_text("保密项目的附件只有负责人和局长可以查看")
    expect(page.locator("h1")).to_contain_text("403")
    expect(page.locator("body")).not_to_contain_text(SECRET_NAME)
