"""The chain gap graph in headless Chromium: log in, open the graph, click a gap
segment, create a lead from its target firm with 新建招商线索, see it become targeted."""

from __future__ import annotations

import pytest
from chains_web_support import HOSTILE, build_small_chain, node_point
from playwright.sync_api import expect

from crm.core.db import db
from crm.core.tenancy import system_scope


@pytest.fixture
def browser_chain(app, world):
    from chains import services

    with app.app_context(), system_scope():
        chain, seg, _firms, _links = build_small_chain(world.county_a)
        # 正极材料 gets a target firm (targeted); 负极材料 is a gap with one external firm,
        # a candidate to attract.
        services.add_firm(
            seg["正极材料"], company_name="戊锂电材料有限公司", role="supporting", presence="target"
        )
        gap = services.add_segment(chain, name="负极材料", stage="upstream", importance="key")
        services.add_firm(gap, company_name="己负极科技有限公司", role="supporting", presence="external")
        ids = {"chain": chain.id, "负极材料": gap.id, **{name: s.id for name, s in seg.items()}}
        db.session.commit()
    return ids


@pytest.mark.browser
def test_click_gap_segment_and_create_lead_from_target_firm(browser_chain, browser):
    cid = browser_chain["chain"]
    page = browser.page
    page.set_viewport_size({"width": 1400, "height": 900})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser.login("a_staff")

    browser.goto(f"/chains/{cid}/graph")
    page.wait_for_function("() => window.chainGraph && window.chainGraph.drawnMs !== null")
    before = page.evaluate("chainNetwork.getPositions()")
    page.wait_for_timeout(300)
    assert page.evaluate("chainNetwork.getPositions()") == before  # still: no physics

    # Hostile company name: canvas label and tooltip are text; nothing ran.
    x, y = node_point(page, f"f:{browser_chain['隔膜']}:0")
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tooltip = page.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible()
    assert tooltip.inner_text().splitlines()[0] == HOSTILE
    assert page.locator("div.vis-tooltip script, #chain-graph script").count() == 0

    # Click the gap segment 负极材料 on the canvas.
    sid = browser_chain["负极材料"]
    page.mouse.click(*node_point(page, f"s:{sid}"))
    panel = page.locator("#segment-panel [data-testid=segment-panel]")
    expect(panel).to_have_attribute("data-segment", str(sid))
    expect(panel).to_have_attribute("data-status", "gap")
    expect(panel).to_contain_text("己负极科技有限公司")

    # The accessible list beside the graph opens the same panel (正极材料: a target).
    page.click(f"#segment-list a[data-segment='{browser_chain['正极材料']}']")
    expect(panel).to_have_attribute("data-segment", str(browser_chain["正极材料"]))
    expect(panel).to_have_attribute("data-status", "targeted")

    # Back on the gap: 新建招商线索 from its firm.
    page.mouse.click(*node_point(page, f"s:{sid}"))
    expect(panel).to_have_attribute("data-segment", str(sid))
    expect(panel).to_have_attribute("data-status", "gap")
    panel.locator("li", has_text="己负极科技有限公司").locator("button", has_text="新建招商线索").click()
    page.wait_for_url(f"**/chains/{cid}/graph?segment={sid}")
    expect(page.locator(".alert-success")).to_contain_text("已新建招商线索：己负极科技有限公司（负极材料）")
    expect(panel).to_have_attribute("data-status", "targeted")
    expect(panel.locator("[data-testid=segment-projects]")).to_contain_text("己负极科技有限公司（负极材料）")
    expect(panel).to_contain_text("已有在跟项目")

    # Re-open the graph: the node itself is now drawn as targeted.
    browser.goto(f"/chains/{cid}/graph")
    page.wait_for_function("() => window.chainGraph && window.chainGraph.drawnMs !== null")
    assert page.evaluate(f"chainNetwork.body.data.nodes.get('s:{sid}').status") == "targeted"

    # Filters hide firms and statuses.
    page.uncheck("#chain-filters input[name=firms]")
    assert (
        page.evaluate("chainNetwork.body.data.nodes.get().filter(n => n.kind === 'firm' && !n.hidden).length")
        == 0
    )
    page.uncheck("#chain-filters input[name=status][value=strong]")
    hidden = page.evaluate(f"chainNetwork.body.data.nodes.get('s:{browser_chain['电芯']}').hidden")
    assert hidden is True

    # PNG export: a download of the canvas.
    with page.expect_download() as download:
        page.click("#chain-png")
    assert download.value.suggested_filename.endswith(".png")

    assert dialogs == [] and errors == []


@pytest.mark.browser
def test_aim_an_existing_project_from_the_panel_by_typing(browser_chain, app, world, browser):
    """关联已有项目 in the segment panel is a type-ahead (pinyin initials or a name part),
    not a list of every project: choose one, submit, and it is listed under 在跟项目."""
    from crm.auth.models import User
    from crm.projects import services as project_services

    with app.app_context(), system_scope():
        staff = db.session.execute(db.select(User).filter_by(username="a_staff")).scalar_one()
        project_services.create_project({"name": "隔膜扩产项目"}, staff, county_id=world.county_a)
        project_services.create_project({"name": "整车配套项目"}, staff, county_id=world.county_a)
        db.session.commit()
    cid, sid = browser_chain["chain"], browser_chain["隔膜"]
    page = browser.page
    page.set_viewport_size({"width": 1400, "height": 900})
    browser.login("a_staff")
    browser.goto(f"/chains/{cid}/graph")
    page.wait_for_function("() => window.chainGraph && window.chainGraph.drawnMs !== null")
    page.click(f"#segment-list a[data-segment='{sid}']")
    panel = page.locator("#segment-panel [data-testid=segment-panel]")
    expect(panel).to_have_attribute("data-segment", str(sid))

    box = panel.get_by_role("combobox", name="关联已有项目")
    expect(box).to_have_attribute("placeholder", "输入项目名称（代号）或拼音首字母")
    box.fill("gmkc")
    suggestion = panel.get_by_role("option", name="隔膜扩产项目")
    expect(suggestion).to_be_visible()
    expect(panel.get_by_role("option", name="整车配套项目")).to_have_count(0)
    suggestion.click()
    expect(box).to_have_value("隔膜扩产项目")
    panel.get_by_role("button", name="关联已有项目").click()
    page.wait_for_url(f"**/chains/{cid}/graph?segment={sid}")
    expect(page.locator(".alert-success")).to_contain_text("已关联项目：隔膜扩产项目")
    expect(panel.locator("[data-testid=segment-projects]")).to_contain_text("隔膜扩产项目")
