"""The company list sorts by name, credit code and last change, either way, and keeps its
filters in the sort links and the pager."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import update

from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope


def order_of(client, query):
    html = client.get(f"/companies?{query}").get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(i) for i in re.findall(r'href="/companies/(\d+)"', body)]


def make_three(app, company_maker, fresh_uscc):
    # Names and changes in different orders; one company without a code.
    b = company_maker.company("乙材料有限公司", fresh_uscc())  # code 1
    c = company_maker.company("丙装备有限公司", fresh_uscc())  # code 2
    a = company_maker.company("甲科技有限公司")  # no code
    with app.app_context(), system_scope():
        for company_id, moment in (
            (b, datetime(2026, 1, 3)),
            (c, datetime(2026, 1, 1)),
            (a, datetime(2026, 1, 2)),
        ):
            db.session.execute(update(Company).where(Company.id == company_id).values(updated_at=moment))
        db.session.commit()
        names = {i: db.session.get(Company, i).name for i in (a, b, c)}
        codes = {i: db.session.get(Company, i).uscc for i in (b, c)}
    return a, b, c, names, codes


def test_the_list_sorts_by_each_column_both_ways(app, client, auth, company_maker, fresh_uscc):
    a, b, c, names, codes = make_three(app, company_maker, fresh_uscc)
    auth.login("a_staff")
    by_name = [c, a, b]  # 丙 bing, 甲 jia, 乙 yi: in pinyin order, as Chinese readers expect
    assert sorted((a, b, c), key=lambda i: names[i]) != by_name  # not code point order
    assert order_of(client, "") == by_name  # by name by default
    assert order_of(client, "sort=name&dir=asc") == by_name
    assert order_of(client, "sort=name&dir=desc") == by_name[::-1]
    by_code = sorted((b, c), key=codes.get)
    assert order_of(client, "sort=uscc&dir=asc") == by_code + [a]  # no code last
    assert order_of(client, "sort=uscc&dir=desc") == by_code[::-1] + [a]  # last either way
    assert order_of(client, "sort=updated") == [b, a, c]  # newest first by default
    assert order_of(client, "sort=updated&dir=asc") == [c, a, b]
    assert order_of(client, "sort=nonsense&dir=sideways") == by_name


def test_sort_links_keep_the_filters_and_toggle(app, client, auth, company_maker, fresh_uscc):
    make_three(app, company_maker, fresh_uscc)
    auth.login("a_staff")
    html = client.get("/companies?q=有限&tag=上市公司&sort=uscc&dir=asc&page=2").get_data(as_text=True)
    links = {
        key: parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        for href, key in re.findall(r'<a href="([^"]+)" class="link-dark" data-sort="(\w+)"', html)
    }
    assert set(links) == {"name", "uscc", "updated"}
    for args in links.values():
        assert args["q"] == ["有限"] and args["tag"] == ["上市公司"] and args["page"] == ["1"]
    assert links["uscc"]["dir"] == ["desc"]  # the current column turns around
    assert links["name"]["dir"] == ["asc"] and links["updated"]["dir"] == ["desc"]
    # The search form sends the order along with a new search.
    assert 'name="sort" value="uscc"' in html and 'name="dir" value="asc"' in html


def test_the_pager_keeps_sort_and_filters(app, client, auth, company_maker, fresh_uscc):
    app.config["PER_PAGE"] = 1
    make_three(app, company_maker, fresh_uscc)
    auth.login("a_staff")
    html = client.get("/companies?q=有限&sort=updated&dir=asc").get_data(as_text=True)
    pager = html.split('data-testid="pager"', 1)[1]
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'class="page-link" href="([^"]+)"', pager)]
    assert hrefs
    for href in hrefs:
        args = parse_qs(urlsplit(href).query)
        assert args["q"] == ["有限"] and args["sort"] == ["updated"] and args["dir"] == ["asc"]
