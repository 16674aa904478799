"""Dragging a card on the project board in Chromium, with CSRF on."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_drag_without_contract_is_refused_then_moves_after_edit(project_maker, browser):
    pid = project_maker.make(
        name="年产10GWh动力电池项目",
        stage="negotiating",
        signed_on="2025-03-01",
        planned_investment_wan="120000",
    )
    card = f"[data-testid=card-{pid}]"
    page = browser.page
    browser.login("a_staff")
    browser.goto("/projects/board")
    expect(page.locator("[data-testid=count-negotiating]")).to_have_text("1")

    page.drag_and_drop(card, "[data-testid=column-signed]")
    message = page.locator("[data-testid=board-message]")
    expect(message).to_contain_text("签约须填写合同编号")
    expect(message).to_have_class("alert alert-danger")
    expect(page.locator(f"[data-testid=column-negotiating] {card}")).to_have_count(1)
    expect(page.locator(f"[data-testid=column-signed] {card}")).to_have_count(0)
    expect(page.locator("[data-testid=count-signed]")).to_have_text("0")
    expect(page.locator(".kanban-card.dragging")).to_have_count(0)

    browser.goto(f"/projects/{pid}/edit")
    page.fill("input[name=contract_no]", "QS-2025-018")
    page.click("main button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("项目已保存")

    browser.goto("/projects/board")
    page.drag_and_drop(card, "[data-testid=column-signed]")
    expect(page.locator(f"[data-testid=column-signed] {card}")).to_have_count(1)
    expect(page.locator("[data-testid=count-signed]")).to_have_text("1")
    expect(page.locator("[data-testid=count-negotiating]")).to_have_text("0")
    expect(message).to_contain_text("项目已移到“签约”")
    expect(page.locator(".kanban-card.dragging")).to_have_count(0)  # the moved card at full strength

    browser.goto(f"/projects/{pid}")
    expect(page.locator("[data-testid=project-stage]")).to_have_text("签约")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("阶段：洽谈 → 签约")


@pytest.mark.browser
def test_missing_evidence_can_be_given_on_the_board(project_maker, browser):
    pid = project_maker.make(
        name="年产5万套汽车零部件项目", stage="negotiating", planned_investment_wan="30000"
    )
    card = f"[data-testid=card-{pid}]"
    page = browser.page
    browser.login("a_staff")
    browser.goto("/projects/board")
    page.drag_and_drop(card, "[data-testid=column-signed]")
    form = page.locator("[data-testid=board-evidence-form]")
    expect(form.locator("input")).to_have_count(2)  # 签约日期 and 合同编号
    form.locator("input[name=signed_on]").fill("2026年3月1日")
    form.locator("input[name=contract_no]").fill("HT-2026-03")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"[data-testid=column-signed] {card}")).to_have_count(1)
    expect(page.locator("[data-testid=count-signed]")).to_have_text("1")
    expect(page.locator("[data-testid=board-evidence-form]")).to_have_count(0)
    browser.goto(f"/projects/{pid}")
    expect(page.locator("main")).to_contain_text("HT-2026-03")
