"""Creating a company in a real browser: the similar-name question and the merge confirm,
with CSRF on and nothing loaded from outside."""

import pytest

from crm.companies.models import Company


@pytest.mark.browser
def test_similar_name_needs_the_tick_then_merge_asks_for_confirmation(world, company_maker, browser):
    existing = company_maker.company("宁德时代新能源科技股份有限公司", headquarters="宁德")
    page = browser.page
    browser.login("a_manager")
    page.click("nav >> text=项目管理")  # the drop-down menu holding 企业库
    page.click("nav >> text=企业库")
    page.click("text=新建企业")
    page.fill("input[name=name]", "宁德时代新能源科技（股份）有限公司")
    page.fill("input[name=industry_code]", "3841")
    page.check("input[value=上市公司]")
    page.click("main form button[type=submit]")
    candidates = page.locator("[data-testid=duplicate-candidates]")
    assert "宁德时代新能源科技股份有限公司" in candidates.inner_text()
    assert page.input_value("input[name=industry_code]") == "3841"
    assert page.is_checked("input[value=上市公司]")
    page.check("input[name=not_duplicate]")
    page.click("main form button[type=submit]")
    assert page.locator("h1").inner_text() == "宁德时代新能源科技（股份）有限公司"
    page.click("text=合并重复企业")
    page.click(f"text=#{existing} 宁德时代新能源科技股份有限公司")
    page.check("input[name=keep][value=other]")
    page.check("input[name=confirm]")
    page.once("dialog", lambda dialog: dialog.dismiss())  # the first time: cancel
    page.click("main form button.btn-danger")
    assert "/merge" in page.url
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("main form button.btn-danger")
    page.wait_for_url(f"**/companies/{existing}")
    assert "宁德" in page.locator("dl").inner_text()
    assert company_maker.count(Company) == 1
