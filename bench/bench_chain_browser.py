"""Browser benchmark of the chain gap graph page: drawn and still after navigation.

A chain of 200 segments and 2,000 firms (the synthetic chain of ``bench_chains.py``) is
imported into a fresh SQLite database through the chain services; headless Chromium
logs in and opens ``/chains/<id>/graph``. Measured:

- the server: import of the chain, and generating the graph page from the database;
- the browser: ms from navigation start until vis-network has drawn the first frame
  (the layout is computed on the server and physics is off, so the graph is still from
  that frame on; the script checks that positions do not change afterwards) — goal
  ≤ 1,000 ms (issue 19);
- beside it, the same nodes and edges with pyvis's default options (physics on), served
  with the same local vis-network files: ms until vis-network reports "stabilized" and
  positions stop changing, or "not still after 30 s".

Prints figures only. Run: ``.venv/bin/python bench/bench_chain_browser.py [--repeat N]``;
``--code DIR`` measures another checkout's chaincrm (bench/bench_issue19.py compares two).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _code_root() -> Path:
    """The checkout whose chaincrm is measured: ``--code DIR`` (an older commit unpacked by
    bench/bench_issue19.py, for before/after in one run) or this one."""
    if "--code" in sys.argv:
        return Path(sys.argv[sys.argv.index("--code") + 1]).resolve()
    return HERE.parent


sys.path[:0] = [str(HERE), str(_code_root()), str(HERE.parent / "tests")]

from bench_chains import synthetic_graph  # noqa: E402
from browser_support import LiveServer, launch_chromium, static_app  # noqa: E402

STILL_TIMEOUT_MS = 30_000
PASSWORD = "qinling-panda-route-73"  # passes the password rules (crm/auth/passwords.py)


def build_app(folder: Path):
    from chains import services
    from chains.build import document_from_graph
    from chains.documents import dump_chain_document
    from crm import create_app
    from crm.auth.services import create_user
    from crm.core.db import db
    from crm.core.tenancy import system_scope
    from crm.regions.services import create_region

    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}", "SECRET_KEY": "bench"}
    )
    with app.app_context(), system_scope():
        db.create_all()
        create_region("610000", "陕西省", "province")
        create_region("610300", "宝鸡市", "city", "610000")
        county = create_region("610323", "岐山县", "county", "610300")
        create_user("bench", PASSWORD, "leader", county)
        data = dump_chain_document(document_from_graph(synthetic_graph(), "基准合成产业链")).encode()
        started = time.perf_counter()
        chain = services.import_chain(data, county_id=county.id)
        db.session.commit()
        import_ms = (time.perf_counter() - started) * 1000
        chain_id = chain.id
        G = services.chain_graph(chain)
    return app, chain_id, G, import_ms


def time_page_generation(app, chain_id: int, repeat: int) -> list[float]:
    """ms per request of the graph page, the first one (nothing kept yet) first."""
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": PASSWORD})
    client.get("/chains/")  # templates compiled and the session warm: the graph alone is timed
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(f"/chains/{chain_id}/graph")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def positions_still(page, wait_ms: int = 500) -> bool:
    before = page.evaluate("chainNetwork.getPositions()")
    page.wait_for_timeout(wait_ms)
    return page.evaluate("chainNetwork.getPositions()") == before


def time_fixed_graph(browser, base: str, chain_id: int, repeat: int) -> tuple[list[float], bool]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("input[name=username]", "bench")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    times, still = [], True
    for _ in range(repeat):
        page.goto("about:blank")  # the previous graph's teardown is not this navigation's cost
        page.goto(f"{base}/chains/{chain_id}/graph", wait_until="commit")
        page.wait_for_function(
            "() => window.chainGraph && window.chainGraph.drawnMs !== null",
            timeout=STILL_TIMEOUT_MS,
            polling="raf",
        )
        times.append(page.evaluate("chainGraph.drawnMs"))  # ms since navigation start
        if os.environ.get("BENCH_DEBUG"):
            print(
                page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                return {responseStart: n.responseStart, responseEnd: n.responseEnd,
                        domInteractive: n.domInteractive, dcl: n.domContentLoadedEventEnd,
                        script: chainGraph.scriptMs, parsed: chainGraph.parsedMs,
                        drawn: chainGraph.drawnMs, size: n.transferSize}; }""")
            )
        still = still and positions_still(page)
    context.close()
    return times, still


def time_pyvis_default(browser, base: str) -> str:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base + "/pyvis_default.html", wait_until="commit")
    try:
        page.wait_for_function(
            "() => window.chainGraph && window.chainGraph.stableMs !== null",
            timeout=STILL_TIMEOUT_MS,
            polling="raf",
        )
    except Exception:  # playwright TimeoutError
        page.close()
        return f"not still after {STILL_TIMEOUT_MS / 1000:.0f} s"
    stable_ms = page.evaluate("performance.now()")
    page.evaluate("window.chainNetwork = chainGraph.network")
    still = positions_still(page)
    page.close()
    return f"{stable_ms:8.0f} ms" + ("" if still else " (stabilized, but positions still changing)")


def time_first_asset_lookup() -> float:
    """ms a fresh process takes to find vis-network's files: the first request for the
    graph's script pays it (``import pyvis`` imports IPython where pyvis is imported)."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "import chains.render as r; t = time.perf_counter(); r.vis_network_asset_paths();"
        "print((time.perf_counter() - t) * 1000)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(_code_root())], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", help="measure the chaincrm of this checkout (default: this one)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-pyvis", action="store_true", help="skip the pyvis default options page")
    args = parser.parse_args()
    figures: dict = {"code": str(_code_root())}
    figures["asset_lookup_ms"] = time_first_asset_lookup()
    print(f"finding vis-network in a fresh process {figures['asset_lookup_ms']:8.0f} ms")
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from playwright.sync_api import sync_playwright

    from chains.analysis import segment_statuses
    from chains.render import pyvis_default_html, vis_network_asset_paths

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app, chain_id, G, import_ms = build_app(folder)
        firms = sum(len(d["firms"]) for _, d in G.nodes(data=True))
        print(
            f"chain in the database: {G.number_of_nodes()} segments, {G.number_of_edges()} links, {firms} firms"
        )
        print(f"import (services.import_chain)      {import_ms:8.0f} ms")
        generation = time_page_generation(app, chain_id, max(args.repeat, 5))
        figures.update(generation_first_ms=generation[0], generation_rest_ms=generation[1:])
        print(
            f"graph page generated: first {generation[0]:6.0f} ms, then median"
            f" {statistics.median(generation[1:]):6.0f} ms   min {min(generation):6.0f} ms   (goal <= 150 ms)"
        )

        pages = folder / "pages"
        pages.mkdir()
        for name, source in vis_network_asset_paths().items():
            shutil.copyfile(source, pages / name)
        (pages / "pyvis_default.html").write_text(
            pyvis_default_html(
                G, segment_statuses(G), js_url="/vis-network.min.js", css_url="/vis-network.css"
            ),
            "utf-8",
        )

        with (
            LiveServer(app) as server,
            LiveServer(static_app(pages)) as static,
            sync_playwright() as playwright,
        ):
            browser = launch_chromium(playwright)
            try:
                times, still = time_fixed_graph(browser, server.url, chain_id, args.repeat)
                figures.update(drawn_ms=times, still=still)
                print(
                    f"fixed layout, physics off: drawn    median {statistics.median(times):6.0f} ms"
                    f"   min {min(times):6.0f} ms   max {max(times):6.0f} ms after navigation"
                    f"   (goal <= 1000 ms); still afterwards: {'yes' if still else 'NO'}"
                )
                if not args.no_pyvis:
                    figures["pyvis_default"] = time_pyvis_default(browser, static.url)
                    print(f"pyvis default options, physics on:  still after {figures['pyvis_default']}")
            finally:
                browser.close()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), "utf-8")


if __name__ == "__main__":
    main()
