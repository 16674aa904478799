"""The fixed-layout page in headless Chromium: still on arrival, hostile names as text,
vis-network served locally."""

import shutil

import pytest
from browser_support import LiveServer, assert_no_external_requests, launch_chromium, static_app

from chains.build import FirmRow, build_chain_graph
from chains.render import fixed_layout_html, vis_network_asset_paths

HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


@pytest.mark.browser
def test_fixed_page_is_still_and_shows_hostile_names_as_text(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    G = build_chain_graph(
        [
            {"id": 1, "name": "正极", "stage": "upstream", "importance": "key"},
            {"id": 2, "name": HOSTILE, "stage": "midstream", "importance": "core"},
        ],
        [{"supplier_id": 1, "consumer_id": 2}],
        [FirmRow(2, HOSTILE, "leader", "local")],
    )
    for name, source in vis_network_asset_paths().items():
        shutil.copyfile(source, tmp_path / name)
    (tmp_path / "chain.html").write_text(
        fixed_layout_html(G, js_url="/vis-network.min.js", css_url="/vis-network.css"), "utf-8"
    )

    with LiveServer(static_app(tmp_path)) as server, sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            blocked = assert_no_external_requests(page)
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(server.url + "/chain.html")
            page.wait_for_function("window.chainGraph && window.chainGraph.firstDrawMs !== null")

            before = page.evaluate("chainGraph.network.getPositions()")
            page.wait_for_timeout(500)
            assert page.evaluate("chainGraph.network.getPositions()") == before  # no physics

            # Hover the hostile firm: its tooltip shows the characters, nothing runs.
            x, y = page.evaluate("""() => {
                const net = chainGraph.network;
                const p = net.canvasToDOM(net.getPositions(["f:2:0"])["f:2:0"]);
                const box = document.getElementById("chain-graph").getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""")
            page.mouse.move(x - 30, y - 30)
            page.mouse.move(x, y, steps=5)
            tooltip = page.locator("div.vis-tooltip")
            sync_api.expect(tooltip).to_be_visible()
            assert tooltip.inner_text().splitlines()[0] == HOSTILE
            assert page.locator("div.vis-tooltip img, div.vis-tooltip script").count() == 0
            assert page.locator("img").count() == 0
            assert dialogs == []
            assert blocked == []
        finally:
            browser.close()
