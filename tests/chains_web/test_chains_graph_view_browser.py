"""The gap graph's view at 1366×768 in headless Chromium: labels readable after load, the
canvas keeps its size when a panel opens, zoom/fit buttons and the search box work."""

from __future__ import annotations

import pytest
from chains_web_support import build_small_chain, node_point
from playwright.sync_api import expect

from crm.core.db import db
from crm.core.tenancy import system_scope


def _open_graph(browser, chain_id: int, viewport: tuple[int, int] = (1366, 768)) -> list[str]:
    """Open a chain's graph as a_staff at ``viewport`` and wait until it is drawn; the list the
    page's script errors are collected in from then on."""
    page = browser.page
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser.login("a_staff")
    browser.goto(f"/chains/{chain_id}/graph")
    page.wait_for_function("() => window.chainGraph && window.chainGraph.drawnMs !== null")
    return errors


@pytest.mark.browser
def test_graph_view_is_readable_stable_and_searchable(battery_chains, browser):
    cid = battery_chains.chain
    page = browser.page
    errors = _open_graph(browser, cid)

    # Readable labels at the default zoom.
    assert page.evaluate("chainGraph.labelPx()") >= 12

    # The hover tooltip goes away when the pointer leaves the graph.
    node = f"s:{battery_chains.segments['整车']}"
    x, y = node_point(page, node)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tooltip = page.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible()
    page.mouse.move(x, 2)  # straight out of the canvas, no move over it in between
    expect(tooltip).to_be_hidden()

    # Opening a segment's panel leaves the canvas as it was.
    size = "(() => { const c = document.querySelector('#chain-graph canvas'); return [c.clientWidth, c.clientHeight, chainNetwork.getScale()]; })()"
    before = page.evaluate(size)
    sid = battery_chains.segments["电芯"]
    page.click(f"#segment-list a[data-segment='{sid}']")
    expect(page.locator("#segment-panel [data-testid=segment-panel]")).to_have_attribute(
        "data-segment", str(sid)
    )
    assert page.evaluate(size) == before

    # 放大 zooms in; 适应窗口 fits the whole chain again.
    scale = page.evaluate("chainNetwork.getScale()")
    page.click("#chain-zoom-in")
    zoomed = page.evaluate("chainNetwork.getScale()")
    assert zoomed > scale
    page.click("#chain-fit")
    assert page.evaluate("chainNetwork.getScale()") != zoomed
    page.click("#chain-zoom-out")
    assert page.evaluate("chainNetwork.getScale()") < zoomed

    # Search: a segment name focuses and selects that node and opens its panel.
    target = battery_chains.segments["隔膜"]
    page.fill("#chain-search-input", "隔膜")
    page.press("#chain-search-input", "Enter")
    expect(page.locator("#segment-panel [data-testid=segment-panel]")).to_have_attribute(
        "data-segment", str(target)
    )
    assert page.evaluate("chainNetwork.getSelectedNodes()") == [f"s:{target}"]
    centre = page.evaluate(
        f"(() => {{ const p = chainNetwork.getPositions(['s:{target}'])['s:{target}'];"
        " const v = chainNetwork.getViewPosition(); return Math.hypot(p.x - v.x, p.y - v.y); })()"
    )
    assert centre < 1

    # Part of a firm's name finds the firm and opens its segment's panel.
    page.fill("#chain-search-input", "乙电池材料")
    page.press("#chain-search-input", "Enter")
    firm = page.evaluate(
        "chainNetwork.body.data.nodes.get().find(n => n.kind === 'firm' && n.name.startsWith('乙电池材料')).id"
    )
    expect(page.locator("#segment-panel [data-testid=segment-panel]")).to_have_attribute(
        "data-segment", str(battery_chains.segments["电芯"])
    )
    page.wait_for_function(f"() => chainNetwork.getSelectedNodes()[0] === {firm!r}")

    # A node on the right (downstream) is panned clear of the panel that lies over it.
    car = battery_chains.segments["整车"]
    page.fill("#chain-search-input", "整车")
    page.press("#chain-search-input", "Enter")
    expect(page.locator("#segment-panel [data-testid=segment-panel]")).to_have_attribute(
        "data-segment", str(car)
    )
    # Close the panel, put the node near the right edge, then open its panel from the list.
    page.click("#segment-panel [data-panel-close]")
    expect(page.locator("#segment-panel")).to_be_hidden()
    page.evaluate(
        f"""(() => {{ const p = chainNetwork.getPositions(['s:{car}'])['s:{car}'];
        const w = document.getElementById('chain-graph').clientWidth, s = chainNetwork.getScale();
        chainNetwork.moveTo({{position: {{x: p.x - (w / 2 - 40) / s, y: p.y}}, scale: s, animation: false}}); }})()"""
    )
    page.click(f"#segment-list a[data-segment='{car}']")
    expect(page.locator("#segment-panel [data-testid=segment-panel]")).to_have_attribute(
        "data-segment", str(car)
    )
    node_x, free = page.evaluate(
        f"""(() => {{ const p = chainNetwork.canvasToDOM(chainNetwork.getPositions(['s:{car}'])['s:{car}']);
        const panel = document.getElementById('segment-panel');
        return [p.x, document.getElementById('chain-graph').clientWidth - panel.offsetWidth]; }})()"""
    )
    assert 0 <= node_x <= free
    assert errors == []


@pytest.fixture
def tall_chain(app, world) -> int:
    """The small chain plus 30 upstream segments with a firm each: too tall to fit at a
    readable size in a 1366×768 window."""
    from chains import services

    with app.app_context(), system_scope():
        chain, _seg, _firms, _links = build_small_chain(world.county_a)
        for index in range(30):
            segment = services.add_segment(
                chain, name=f"原料环节{index:02d}", stage="upstream", importance="general"
            )
            services.add_firm(
                segment, company_name=f"原料企业{index:02d}有限公司", role="supporting", presence="local"
            )
        db.session.commit()
        return chain.id


@pytest.mark.browser
def test_tall_chain_opens_zoomed_to_readable_labels(tall_chain, browser):
    page = browser.page
    _open_graph(browser, tall_chain)
    assert page.evaluate("chainGraph.labelPx()") >= 12
    # 适应窗口 shows the whole chain, labels smaller than that.
    page.click("#chain-fit")
    assert page.evaluate("chainGraph.labelPx()") < 12


@pytest.mark.browser
def test_phone_segment_panel_is_a_sheet_over_the_graph(battery_chains, browser):
    page = browser.page
    errors = _open_graph(browser, battery_chains.chain, (390, 844))
    # The search's 定位 stays one line beside its box, inside the page.
    locate = page.locator("#chain-search").get_by_role("button", name="定位").bounding_box()
    search_box = page.locator("#chain-search-input").bounding_box()
    assert locate["height"] <= search_box["height"] + 2
    assert locate["x"] + locate["width"] <= 390

    sid = battery_chains.segments["电芯"]
    page.locator(f"#segment-nav button[data-segment='{sid}']").click()
    panel = page.locator("#segment-panel")
    expect(panel.locator("[data-testid=segment-panel]")).to_have_attribute("data-segment", str(sid))
    expect(panel).to_be_visible()
    graph = page.locator("#chain-graph canvas").bounding_box()
    box = panel.bounding_box()
    # Over the graph (its lower part), not below it, and no wider than the page.
    assert box["y"] < graph["y"] + graph["height"] and box["y"] + box["height"] > graph["y"]
    assert box["y"] > graph["y"]
    assert box["height"] <= 0.6 * graph["height"] + 2
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("chainNetwork.getSelectedNodes()") == [f"s:{sid}"]

    close = panel.get_by_role("button", name="关闭")
    expect(close).to_be_visible()
    close.click()
    expect(panel).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


@pytest.mark.browser
def test_segment_list_works_from_the_keyboard(battery_chains, browser):
    page = browser.page
    errors = _open_graph(browser, battery_chains.chain)

    first = page.locator("#segment-nav button.segment-jump").first
    name = first.inner_text().strip()
    sid = first.get_attribute("data-segment")
    first.focus()
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator("#segment-panel")
    expect(panel.locator("[data-testid=segment-panel]")).to_have_attribute("data-segment", sid)
    expect(panel.locator("h2")).to_have_text(name)
    page.wait_for_function(f"() => chainNetwork.getSelectedNodes().join() === 's:{sid}'")
    expect(first).to_be_focused()

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(first).to_be_focused()

    # Tab reaches the next segment; Space opens it.
    page.keyboard.press("Tab")
    second = page.locator("#segment-nav button.segment-jump").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("Space")
    expect(panel.locator("[data-testid=segment-panel]")).to_have_attribute(
        "data-segment", second.get_attribute("data-segment")
    )
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(second).to_be_focused()
    assert errors == []


@pytest.mark.browser
def test_a_late_panel_answer_does_not_undo_what_the_user_did_since(battery_chains, browser):
    """A segment's panel that answers after the user closed the panel, or after they chose
    another segment, is dropped: the panel stays closed, or shows the segment chosen last."""
    page = browser.page
    errors = _open_graph(browser, battery_chains.chain)
    panel = page.locator("#segment-panel")
    buttons = page.locator("#segment-nav button.segment-jump")
    first, second = buttons.nth(0), buttons.nth(1)
    first_id, second_id = first.get_attribute("data-segment"), second.get_attribute("data-segment")

    held = []
    page.route(f"**/segments/{second_id}/panel", lambda route: held.append(route))
    settled = page.evaluate("() => chainGraph.panelLoadsSettled")

    # The second segment's panel is slow; the user opens the first and closes it meanwhile.
    with page.expect_request(f"**/segments/{second_id}/panel"):
        second.click()
    first.click()
    expect(panel.locator("[data-testid=segment-panel]")).to_have_attribute("data-segment", first_id)
    page.click("#segment-panel [data-panel-close]")
    expect(panel).to_be_hidden()
    assert len(held) == 1
    held.pop().continue_()
    page.wait_for_function("n => chainGraph.panelLoadsSettled === n", arg=settled + 2)
    expect(panel).to_be_hidden()

    # Chosen while the slow one is still loading, the first segment's panel is the one shown.
    with page.expect_request(f"**/segments/{second_id}/panel"):
        second.click()
    first.click()
    expect(panel.locator("[data-testid=segment-panel]")).to_have_attribute("data-segment", first_id)
    held.pop().continue_()
    page.wait_for_function("n => chainGraph.panelLoadsSettled === n", arg=settled + 4)
    expect(panel.locator("[data-testid=segment-panel]")).to_have_attribute("data-segment", first_id)
    assert errors == []
