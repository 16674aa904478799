"""The shared pager (``pager`` in templates/_macros.html): previous/next, the pages around
the current one with ellipses, and every query argument of the page kept in its links."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from flask import render_template_string

PAGER = '{% from "_macros.html" import pager %}{{ pager(page, per_page, total, "companies.index") }}'


def render(app, path, page, total, per_page=10):
    with app.test_request_context(path):
        return render_template_string(PAGER, page=page, per_page=per_page, total=total)


def items(html):
    """The pager's items in order: link texts, "…" and disabled items as ``(text)``."""
    found = []
    for li in re.findall(r"<li class=\"page-item([^\"]*)\"[^>]*>(.*?)</li>", html, re.S):
        classes, body = li
        text = re.sub(r"<[^>]+>", "", body).strip()
        if "disabled" in classes:
            text = f"({text})"
        elif "active" in classes:
            text = f"[{text}]"
        found.append(text)
    return found


def links(html):
    return {
        re.sub(r"<[^>]+>", "", text).strip(): href.replace("&amp;", "&")
        for href, text in re.findall(r'<a class="page-link" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    }


def test_the_pages_around_the_current_one_with_ellipses(app):
    html = render(app, "/companies?page=6", page=6, total=200)
    assert items(html) == ["‹ 上一页", "1", "(…)", "4", "5", "[6]", "7", "8", "(…)", "20", "下一页 ›"]


def test_previous_and_next_are_disabled_at_the_ends(app):
    first = items(render(app, "/companies", page=1, total=200))
    assert first[0] == "(‹ 上一页)" and first[-1] == "下一页 ›"
    assert first[1:-1] == ["[1]", "2", "3", "(…)", "20"]
    last = items(render(app, "/companies?page=20", page=20, total=200))
    assert last[0] == "‹ 上一页" and last[-1] == "(下一页 ›)"
    assert last[1:-1] == ["1", "(…)", "18", "19", "[20]"]


def test_a_single_page_has_no_pager(app):
    assert "pagination" not in render(app, "/companies", page=1, total=10)


def test_links_keep_every_query_argument(app):
    html = render(app, "/companies?q=%E5%AE%9D%E9%B8%A1&tag=x&sort=uscc&dir=desc&k=1&k=2&page=6", 6, 200)
    found = links(html)
    assert set(found) >= {"‹ 上一页", "1", "4", "8", "20", "下一页 ›"}
    for href in found.values():
        parts = urlsplit(href)
        assert parts.path == "/companies"
        args = parse_qs(parts.query)
        assert args["q"] == ["宝鸡"] and args["tag"] == ["x"], href
        assert args["sort"] == ["uscc"] and args["dir"] == ["desc"], href
        assert args["k"] == ["1", "2"], href
    assert parse_qs(urlsplit(found["‹ 上一页"]).query)["page"] == ["5"]
    assert parse_qs(urlsplit(found["下一页 ›"]).query)["page"] == ["7"]
    assert parse_qs(urlsplit(found["20"]).query)["page"] == ["20"]


def test_a_page_past_the_end_leads_back(app):
    html = render(app, "/companies?page=50", page=50, total=200)
    assert parse_qs(urlsplit(links(html)["‹ 上一页"]).query)["page"] == ["20"]
    assert "下一页 ›" not in links(html)
