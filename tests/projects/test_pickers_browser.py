"""The company type-ahead on the project form, in Chromium with CSRF on: typing pinyin
initials, choosing a suggestion and saving posts the company's id as the select did."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project
from crm.util.uscc import make_uscc


@pytest.mark.browser
def test_choose_the_investor_by_pinyin_initials_and_save(app, project_maker, browser):
    with app.app_context(), system_scope():
        company = Company(name="宝鸡钛业股份有限公司", name_key="宝鸡钛业", uscc=make_uscc("610301", 77))
        db.session.add(company)
        db.session.commit()
        company_id, uscc = company.id, company.uscc
    page = browser.page
    browser.login("a_staff")
    browser.goto("/projects/new")
    expect(page.locator("select[name=investor_company_id]")).to_have_count(0)  # upgraded
    page.fill("input[name=name]", "钛材精深加工项目")
    picker = page.locator("#investor_company_id")
    picker.fill("bjty")
    suggestion = page.locator("#investor_company_id-suggestions [role=option]")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("宝鸡钛业股份有限公司")
    expect(suggestion).to_contain_text(uscc)
    suggestion.click()
    expect(picker).to_have_value("宝鸡钛业股份有限公司")
    expect(page.locator("input[type=hidden][name=investor_company_id]")).to_have_value(str(company_id))
    page.click("main button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("项目已创建")
    with app.app_context(), system_scope():
        project = db.session.execute(select(Project).where(Project.name == "钛材精深加工项目")).scalar_one()
        assert project.investor_company_id == company_id


@pytest.mark.browser
def test_the_referral_form_tells_two_projects_of_one_name_apart(project_maker, browser):
    first = project_maker.make(name="钛合金精深加工项目")
    second = project_maker.make(name="钛合金精深加工项目", investor_company_id=project_maker.local_id)
    page = browser.page
    browser.login("a_staff")
    browser.goto("/rewards/referrals/new")
    picker = page.locator("#project_id")
    picker.fill("thj")
    options = page.locator("#project_id-suggestions [role=option]")
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text(f"编号 {first} · 线索 · 宁德时代新能源科技股份有限公司")
    expect(options.nth(1)).to_contain_text(f"编号 {second} · 线索 · 岐山瑞能电池有限公司")
    picker.press("ArrowDown")
    picker.press("ArrowDown")
    picker.press("Enter")  # chooses; does not submit
    expect(page.locator("input[type=hidden][name=project_id]")).to_have_value(str(second))
    expect(picker).to_have_value("钛合金精深加工项目")
    expect(page).to_have_url(browser.url("/rewards/referrals/new"))
