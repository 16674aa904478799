"""Make the README's screenshots from the demo: dashboard, chain gap graph, project board.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Builds the demo in a temporary SQLite database with the clock pinned (so the figures do
not move with the calendar), serves it on 127.0.0.1 at a free port in a thread, logs in as
岐山县's bureau head (qishan_manager) through the real login form in headless Chromium
(Debian's ``/usr/bin/chromium``, or ``CHAINCRM_CHROMIUM``) and saves 1366×768 PNGs.
Needs the test extra (``pip install -e '.[test]'``) for Playwright. Nothing is written
outside the temporary directory and the output folder.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import shutil
import sys
import tempfile
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The day the screenshots show: the tests' pinned Friday morning (tests/clock_support.py).
PINNED_NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "screenshot-" + secrets.token_hex(8)
USERNAME = "qishan_manager"
VIEWPORT = {"width": 1366, "height": 768}
CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in CI, where the sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def fail(message: str) -> None:
    print(f"screenshots: {message}", file=sys.stderr)
    sys.exit(1)


def check_requirements() -> str:
    chromium = os.environ.get("CHAINCRM_CHROMIUM", "/usr/bin/chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        fail("Playwright is not installed: .venv/bin/pip install -e '.[test]'")
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        fail(f"Chromium not found at {chromium}: apt-get install chromium (or set CHAINCRM_CHROMIUM)")
    return chromium


def build_demo_app(workdir: str):
    """The app on a fresh SQLite database in ``workdir`` with the demo loaded."""
    os.environ["CHAINCRM_INSTANCE_PATH"] = workdir
    os.environ["CHAINCRM_DEMO_PASSWORD"] = PASSWORD
    os.environ.pop("CHAINCRM_DATABASE_URL", None)
    sys.path.insert(0, ROOT)
    from crm.app import create_app
    from crm.core import migrate
    from crm.core.db import db
    from crm.demo import load_demo

    app = create_app(
        {
            "DATABASE_URL": "sqlite:///" + os.path.join(workdir, "demo.sqlite"),
            "SECRET_KEY": secrets.token_urlsafe(32),
            "NOW": PINNED_NOW,
        }
    )
    with app.app_context():
        migrate.upgrade("head")
        if load_demo() is None:
            fail("the temporary database was not empty")
        db.session.remove()
    return app


def first_chain_id(app) -> int:
    """岐山县's first chain by id (the demo gives each county chains from templates)."""
    from sqlalchemy import select

    from chains.models import Chain
    from crm.core.db import db
    from crm.core.tenancy import system_scope
    from crm.regions.models import Region

    with app.app_context(), system_scope():
        county = db.session.execute(select(Region.id).where(Region.code == "610323")).scalar_one()
        chain_id = db.session.execute(
            select(Chain.id).where(Chain.county_id == county).order_by(Chain.id).limit(1)
        ).scalar_one_or_none()
        db.session.remove()
    if chain_id is None:
        fail("the demo has no chain for 岐山县")
    return chain_id


def shoot(base: str, chromium: str, chain_id: int, out: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(headless=True, executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
            page.goto(base + "/login")
            page.fill("input[name=username]", USERNAME)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            if "/login" in page.url:
                fail(f"login as {USERNAME} failed")

            def save(path: str, name: str, ready=None) -> None:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                if ready:
                    ready()
                target = os.path.join(out, name)
                page.screenshot(path=target, full_page=False)
                saved.append(target)

            def graph_drawn() -> None:
                # As tests/chains_web/test_chains_graph_browser.py: drawn, and no physics left.
                page.wait_for_function("() => window.chainGraph && window.chainGraph.drawnMs !== null")
                page.wait_for_timeout(500)

            save("/dashboard", "dashboard.png")
            save(f"/chains/{chain_id}/graph", "gap-graph.png", graph_drawn)
            save("/projects/board", "board.png")
        finally:
            browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    args = parser.parse_args()
    chromium = check_requirements()
    os.makedirs(args.out, exist_ok=True)

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    workdir = tempfile.mkdtemp(prefix="chaincrm-shots-")
    server = None
    try:
        app = build_demo_app(workdir)
        chain_id = first_chain_id(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        saved = shoot(f"http://127.0.0.1:{server.server_port}", chromium, chain_id, args.out)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
    for path in saved:
        print(f"{os.path.relpath(path)}  {os.path.getsize(path) // 1024} KB")


if __name__ == "__main__":
    main()
