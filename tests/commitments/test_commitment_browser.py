"""A manager approves a draft commitment and records a fulfillment, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.commitments.models import Commitment
from crm.core.db import db
from crm.core.tenancy import system_scope


@pytest.mark.browser
def test_manager_approves_draft_and_records_fulfillment(app, drafts, browser):
    page = browser.page
    browser.login("a_manager")
    browser.goto("/commitments")
    page.click(f"tr[data-commitment-id='{drafts['draft_a']}'] a[href*='/commitments/']")
    expect(page.get_by_test_id("status")).to_have_text("草稿")

    page.get_by_test_id("approve-form").get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("status")).to_have_text("已批准")
    expect(page.locator(".alert-success")).to_contain_text("承诺已批准")

    form = page.get_by_test_id("fulfillment-form")
    form.locator("input[name=fulfilled_on]").fill(drafts.today.strftime("%Y年%m月%d日"))
    form.locator("input[name=amount_wan]").fill("120")
    form.locator("input[name=evidence]").fill("财政拨付凭证 2025-001")
    form.get_by_role("button", name="登记兑现").click()
    expect(page.get_by_test_id("status")).to_have_text("部分兑现")
    expect(page.get_by_test_id("fulfilled")).to_have_text("120.00")
    expect(page.get_by_test_id("outstanding")).to_have_text("180.00")
    expect(page.get_by_test_id("fulfillments")).to_contain_text("财政拨付凭证 2025-001")
    expect(page.get_by_test_id("decisions")).to_contain_text("a_manager")

    with app.app_context(), system_scope():
        commitment = db.session.get(Commitment, drafts["draft_a"])
        assert commitment.status == "partially_fulfilled" and commitment.approved_by.username == "a_manager"
        tables = (
            db.session.execute(
                select(AuditEvent.table_name).where(
                    AuditEvent.actor_name == "a_manager",
                    AuditEvent.table_name.in_(("commitments", "fulfillments")),
                )
            )
            .scalars()
            .all()
        )
        assert sorted(set(tables)) == ["commitments", "fulfillments"]  # approval and fulfillment
