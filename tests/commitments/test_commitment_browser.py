"""A manager approves a draft commitment and records a fulfillment, in Chromium."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from browser_support import LiveServer, assert_no_external_requests, launch_chromium
from crm.audit.models import AuditEvent
from crm.commitments.models import Commitment
from crm.core.db import db
from crm.core.tenancy import system_scope


@pytest.mark.browser
def test_manager_approves_draft_and_records_fulfillment(app, cm):
    sync_api = pytest.importorskip("playwright.sync_api")
    app.config["WTF_CSRF_ENABLED"] = True  # the real forms, tokens and all
    with LiveServer(app) as server, sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            blocked = assert_no_external_requests(page)
            page.goto(server.url + "/login")
            page.fill("input[name=username]", "a_manager")
            page.fill("input[name=password]", "password123")
            page.click("button[type=submit]")
            page.goto(server.url + "/commitments")
            page.click(f"tr[data-commitment-id='{cm['draft_a']}'] a[href*='/commitments/']")
            expect = sync_api.expect
            expect(page.get_by_test_id("status")).to_have_text("草稿")

            page.get_by_test_id("approve-form").get_by_role("button", name="批准").click()
            expect(page.get_by_test_id("status")).to_have_text("已批准")
            expect(page.locator(".alert-success")).to_contain_text("承诺已批准")

            form = page.get_by_test_id("fulfillment-form")
            form.locator("input[name=fulfilled_on]").fill(cm.today.strftime("%Y年%m月%d日"))
            form.locator("input[name=amount_wan]").fill("120")
            form.locator("input[name=evidence]").fill("财政拨付凭证 2025-001")
            form.get_by_role("button", name="登记兑现").click()
            expect(page.get_by_test_id("status")).to_have_text("部分兑现")
            expect(page.get_by_test_id("fulfilled")).to_have_text("120.00")
            expect(page.get_by_test_id("outstanding")).to_have_text("180.00")
            expect(page.locator("table")).to_contain_text("财政拨付凭证 2025-001")
            assert blocked == []
        finally:
            browser.close()
    with app.app_context(), system_scope():
        commitment = db.session.get(Commitment, cm["draft_a"])
        assert commitment.status == "partially_fulfilled" and commitment.approved_by.username == "a_manager"
        tables = db.session.execute(select(AuditEvent.table_name).where(
            AuditEvent.actor_name == "a_manager",
            AuditEvent.table_name.in_(("commitments", "fulfillments")))).scalars().all()
        assert sorted(set(tables)) == ["commitments", "fulfillments"]  # approval and fulfillment
