"""Every page a county manager and a province coordinator reach in the demo also works in
English: the catalog's texts go through the same formatting as the Chinese ones, and a
translation that breaks it is a server error only English readers see."""

from __future__ import annotations

import pytest
from crawl_support import Crawl, confidential_footprint, crawl_pages
from demo_support import login


@pytest.mark.parametrize("username", ["qishan_manager", "province"])
def test_no_page_fails_in_english(demo_app, username):
    client = login(demo_app, username)
    assert client.get("/lang/en", headers={"Referer": "http://localhost/dashboard"}).status_code in (302, 303)
    crawl = Crawl(username)
    crawl_pages(demo_app, client, confidential_footprint(demo_app), crawl)
    assert len(crawl.ok()) > 100  # the crawl reached the application, not a login page
    assert [a.path for a in crawl.answers.values() if a.status >= 500] == []
    assert "Projects" in crawl.answers["/projects"].text  # and it read them in English
