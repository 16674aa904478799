"""A manager computes eligibility, makes a draft list, finalizes it and opens the 公示 page, in Chromium."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.rewards.models import RewardList


@pytest.mark.browser
def test_manager_finalizes_a_list_and_prints_the_notice(reward_builder, browser):
    pid = reward_builder.project("年产10GWh动力电池项目", funds=[(date(2025, 11, 1), 6000)])
    reward_builder.referral(pid, name="周原商会", kind="unit")
    reward_builder.project("无备案项目", funds=[(date(2025, 11, 1), 100)])
    rule = reward_builder.rule(name="岐山县招商引资奖励办法", cap_wan="10")
    page = browser.page
    page.on("dialog", lambda dialog: dialog.accept())
    browser.login("a_manager")
    browser.goto(f"/rewards/rules/{rule}")
    page.fill("input[name=period]", "2025Q4")
    page.get_by_role("button", name="测算").click()
    expect(page.get_by_test_id("eligible-lines")).to_contain_text("封顶")
    expect(page.get_by_test_id("ineligible-lines")).to_contain_text("无有效引荐备案")
    page.get_by_role("button", name="生成名单草稿").click()
    expect(page.get_by_test_id("list-status")).to_have_text("草稿")
    page.get_by_role("button", name="定稿", exact=True).click()
    expect(page.get_by_test_id("list-status")).to_have_text("已定稿")
    expect(page.get_by_role("button", name="定稿", exact=True)).to_have_count(0)
    page.get_by_role("link", name="公示页").click()
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("岐山县招商引资奖励名单公示")
    expect(notice).to_contain_text("周原商会")
    expect(notice).not_to_contain_text("无备案项目")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()

    with reward_builder.ctx() as session:
        finalized = session.execute(select(RewardList)).scalar_one()
        assert finalized.status == "finalized" and finalized.total_reward_wan == 10
