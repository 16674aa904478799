"""Confidential projects on the whole demo, for every demo user (docs/design.md "Cross-cutting
rules"): a crawl of every page, export, notice, calendar feed and API answer
(tests/crawl_support.py) never shows a real name to anyone but the project's owner and its
county's managers, and they do find it everywhere the demo puts one (so the check cannot
pass by hiding names from everyone)."""

from __future__ import annotations

from crawl_support import DEMO_USERS, confidential_name_leaks


def test_real_names_reach_only_the_owner_and_the_county_managers(demo_app, api):
    report = confidential_name_leaks(demo_app, api)
    assert report.leaks == []
    assert report.missing == []
    assert set(report.pages) == set(DEMO_USERS)
    # Every user but the administrator reads the county pages: a crawl that stopped early
    # (a login that failed, a broken start page) must not pass for a clean one.
    assert all(report.pages[user] > 150 for user in DEMO_USERS if user != "admin"), report.pages
    assert all(report.checked_names[user] for user in DEMO_USERS), report.checked_names
