"""Issue 15's daily work, walked by clicking in a real browser at a desk and on a phone:
company → project (moved to 签约) → follow-up → funds in place → commitment draft → referral →
the two reviews → approval by another person (the manager) → 认定 of the funds → reward list
showing the project's eligible line.

Only the first page is opened by URL; everything after is a click from the page the user is
on. The policy and the reward rule are set up through services (a bureau's standing rules,
not part of the daily walk)."""

from datetime import date
from decimal import Decimal

import pytest
from browser_menus import VIEWPORTS, log_out_and_in, menu, slow_machine
from playwright.sync_api import expect

from crm.core.db import db

COMPANY = "岐山秦川新材料有限公司"
PROJECT = "秦川新材料年产万吨项目"
POLICY = "岐山县固定资产投资补助政策"
RULE = "岐山县2026年引荐奖励办法"


@pytest.fixture
def standing_rules(app, world):
    from record_support import add_reward_rule

    from crm.auth.models import User
    from crm.commitments.policies import create_policy
    from crm.core.tenancy import system_scope
    from crm.regions.models import Region

    with app.app_context(), system_scope():
        manager = db.session.get(User, world.ids["a_manager"])
        county = db.session.get(Region, world.county_a)
        create_policy(
            manager,
            county,
            name=POLICY,
            kind="fixed_asset_subsidy",
            legal_basis="岐政发〔2026〕1号",
            max_amount_wan=Decimal("500"),
            max_ratio_pct=None,
            valid_from=date(2026, 1, 1),
            valid_to=date(2027, 12, 31),
            fair_review="passed",
        )
        add_reward_rule(world.county_a, name=RULE, year=2026)
        db.session.commit()


def save_back_to(page, url: str, fields: dict[str, str]) -> None:
    """Fill the form's ``fields`` (exact label: value), 保存, and land back on ``url``."""
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(url)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
def test_daily_workflow_by_clicking(browser, world, standing_rules, viewport):
    page = browser.page
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    slow_machine(page)
    browser.login("a_staff")

    # 1. Company, then a project for it from the company page.
    menu(page, "项目管理", "企业库")
    page.get_by_role("link", name="新建企业").click()
    page.get_by_label("企业名称").fill(COMPANY)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text(COMPANY)

    page.get_by_role("link", name="新建项目").click()
    expect(page.get_by_label("投资方企业")).to_have_value(COMPANY)  # a type-ahead picker
    page.get_by_label("项目名称").fill(PROJECT)
    page.get_by_label("计划投资（万元）").fill("20000")
    page.get_by_label("签约日期").fill("2026-11-02")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text(PROJECT)
    project_url = page.url

    # The contract is signed: 变更阶段 to 签约 (the reward rule's milestone).
    page.get_by_role("link", name="变更阶段").click()
    stage_form = page.locator("[data-testid=stage-form]")
    stage_form.get_by_label("移到阶段").select_option(label="签约")
    expect(stage_form.get_by_label("签约日期")).to_have_value("2026-11-02")
    stage_form.get_by_label("合同编号").fill("岐招合〔2026〕88号")
    stage_form.get_by_role("button", name="确认变更").click()
    expect(page).to_have_url(project_url)
    expect(page.locator("[data-testid=project-stage]")).to_have_text("签约")

    # 2. From the project page: follow-up, funds, commitment draft, referral.
    page.get_by_role("link", name="添加跟进").click()
    save_back_to(page, project_url, {"跟进日期": "2026-12-03", "主题": "与投资方洽谈用地和厂房需求"})
    expect(page.locator("body")).to_contain_text("与投资方洽谈用地和厂房需求")

    page.get_by_role("link", name="登记到位资金").click()
    save_back_to(
        page, project_url, {"月份": "2026-11", "到位金额（万元）": "3000", "凭证编号": "JZD-2026-118"}
    )
    expect(page.locator("body")).to_contain_text("3,000")

    page.get_by_role("link", name="起草承诺").click()
    policy = page.get_by_label("依据政策")
    policy.select_option(policy.locator("option", has_text=POLICY).get_attribute("value"))
    save_back_to(
        page,
        project_url,
        {"承诺条款": "厂房建成后给予一次性设备补助", "承诺金额（万元）": "200", "兑现期限": "2027-06-30"},
    )
    expect(page.locator("[data-testid=hub-commitments]")).to_contain_text("厂房建成后给予一次性设备补助")

    page.get_by_role("link", name="登记引荐备案").click()
    expect(page.get_by_label("项目", exact=True)).to_have_value(PROJECT)  # a type-ahead picker
    page.get_by_label("投资方已书面确认引荐关系").check()
    referral = {
        "引荐人（单位）": "王引荐",
        "备案登记日期": "2026-10-20",
        "投资方确认日期": "2026-11-05",
        "确认材料（文号或存档位置）": "引荐确认函 2026-07",
    }
    save_back_to(page, project_url, referral)
    expect(page.locator("body")).to_contain_text("王引荐")

    # 3. The two reviews, recorded on the draft's page by its drafter (the bureau files the
    # review opinions it received), then approval by another person: the manager.
    page.locator("[data-testid=hub-commitments] a", has_text="厂房建成后给予一次性设备补助").click()
    expect(page.locator("[data-testid=clause]")).to_have_text("厂房建成后给予一次性设备补助")
    reviews = (
        ("公平竞争审查", "县市场监管局 李审查", "岐市监竞审〔2026〕12号"),
        ("合法性审核", "县司法局 赵审核", "岐司审〔2026〕30号"),
    )
    for kind, reviewer, document_no in reviews:
        form = page.locator("[data-testid=review-form]")
        kind_select = form.get_by_label("审查类型")
        kind_select.select_option(kind_select.locator("option", has_text=kind).get_attribute("value"))
        form.get_by_label("审查机构及审查人").fill(reviewer)
        form.get_by_label("审查日期").fill("2026-12-02")
        form.get_by_label("审查意见书文号").fill(document_no)
        form.get_by_label("审查结论").select_option(label="通过")
        form.get_by_role("button", name="登记").click()
        expect(page.locator("[data-testid=reviews]")).to_contain_text(document_no)
    expect(page.locator("[data-testid=approve-form]")).to_have_count(0)  # staff cannot approve

    log_out_and_in(page, "a_manager")
    menu(page, "承诺与奖励", "承诺兑现")
    page.get_by_role("link", name="厂房建成后给予一次性设备补助").click()
    expect(page.locator("[data-testid=review-problem]")).to_have_count(0)
    page.locator("[data-testid=approve-form]").get_by_role("button", name="批准").click()
    expect(page.locator("[data-testid=decisions] tr[data-decision=approved]")).to_have_count(1)
    expect(page.locator("[data-testid=approve-form]")).to_have_count(0)

    # The manager 认定 the funds the staff member registered (only 认定 funds count).
    menu(page, "项目管理", "到位资金")
    page.get_by_role("link", name="待认定").click()
    pending = page.locator("tr", has_text=PROJECT)
    pending.get_by_role("button", name="认定").click()
    expect(page.locator("tr", has_text=PROJECT).get_by_role("button", name="认定")).to_have_count(0)

    # 4. The reward list for 2026, computed from the rule: the project has its line.
    menu(page, "承诺与奖励", "引荐奖励")
    page.get_by_role("link", name="生成名单").click()
    rule = page.get_by_label("奖励办法")
    rule.select_option(rule.locator("option", has_text=RULE).get_attribute("value"))
    page.get_by_label("期间", exact=False).fill("2026")
    page.get_by_role("button", name="计算并生成草稿").click()
    expect(page.locator("h1")).to_contain_text(RULE)
    # Signed in 2026, referral filed before signing, 3000 万元 in place: an eligible line.
    line = page.locator("[data-testid=eligible-lines] tbody tr", has_text=PROJECT)
    expect(line).to_have_count(1)
    expect(line).to_contain_text("王引荐")
    expect(line).to_contain_text("3000.00")
    expect(page.locator("[data-testid=ineligible-lines]")).not_to_contain_text(PROJECT)
