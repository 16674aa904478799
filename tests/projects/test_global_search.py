"""The global search (/search, crm/core/search.py): companies by name or credit code,
projects by the name the user may read or by code name, contacts; never another county's
records, never a confidential project by a real name its reader may not see."""

from __future__ import annotations

import re

import pytest

from crm.companies.models import Company
from crm.companies.services import create_contact
from crm.core.db import db
from crm.core.tenancy import system_scope

REAL = "秦岭钛材深加工项目"
CODE = "青松计划"


@pytest.fixture
def search_groups(app, project_maker, world, auth, client):
    """``search_groups(username, q)`` -> {group key: [(title, url), ...]} of the search page."""
    ids = {}
    ids["public"] = project_maker.make(name="年产10GWh动力电池项目", as_user="a_staff")
    ids["secret"] = project_maker.make(name=REAL, code_name=CODE, as_user="a_staff2")
    ids["other"] = project_maker.make(name="秦岭钛材二期项目", as_user="b_staff")
    ids["other_secret"] = project_maker.make(name="扶风秘密项目", code_name="青松二号", as_user="b_staff")
    with app.app_context(), system_scope():
        investor = db.session.get(Company, project_maker.investor_id)
        ids["contact_a"] = create_contact(
            investor, {"name": "张三丰", "phone": "13800000001"}, county_id=world.county_a
        ).id
        ids["contact_latin"] = create_contact(
            investor, {"name": "David Wang", "phone": "13800000003"}, county_id=world.county_a
        ).id
        ids["contact_b"] = create_contact(
            investor, {"name": "张翠山", "phone": "13800000002"}, county_id=world.county_b
        ).id
        db.session.commit()
    current = {"user": None}

    def search(username, q):
        if current["user"] != username:
            auth.logout()
            assert auth.login(username).status_code == 302
            current["user"] = username
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        groups = {}
        for key, body in re.findall(r'<section [^>]*data-testid="search-(\w+)">(.*?)</section>', html, re.S):
            groups[key] = re.findall(r'<li class="list-group-item"><a href="([^"]+)">([^<]*)</a>', body)
        return {key: [(title, url) for url, title in hits] for key, hits in groups.items()}

    search.ids = ids
    return search


def urls(hits):
    return [url for _, url in hits]


def test_finds_a_company_by_credit_code_and_by_part_of_its_name(search_groups, project_maker, app):
    with app.app_context(), system_scope():
        uscc = db.session.get(Company, project_maker.investor_id).uscc
    by_code = search_groups("a_staff", uscc)["companies"]
    assert by_code == [("宁德时代新能源科技股份有限公司", f"/companies/{project_maker.investor_id}")]
    by_name = search_groups("a_staff", "新能源科技")["companies"]
    assert by_name == [("宁德时代新能源科技股份有限公司", f"/companies/{project_maker.investor_id}")]
    assert search_groups("a_staff", uscc[:10])["companies"] == by_code  # the start of a code
    assert search_groups("a_staff", "没有这家公司")["companies"] == []


def test_finds_own_countys_project_by_name_and_by_code_name(search_groups):
    ids = search_groups.ids
    assert urls(search_groups("a_staff", "动力电池")["projects"]) == [f"/projects/{ids['public']}"]
    # A viewer who may not read the real name finds it by its code name, shown by code name.
    assert search_groups("a_staff", "青松")["projects"] == [(CODE, f"/projects/{ids['secret']}")]
    assert search_groups("a_leader", CODE)["projects"] == [(CODE, f"/projects/{ids['secret']}")]


@pytest.mark.parametrize("username", ["a_staff", "a_leader", "city", "prov"])
def test_a_confidential_project_is_not_found_by_its_real_name_by_who_may_not_read_it(search_groups, username):
    for text in (REAL, "钛材深加工", "秦岭"):
        hits = search_groups(username, text)["projects"]
        assert f"/projects/{search_groups.ids['secret']}" not in urls(hits), (username, text)
        assert all(REAL not in title for title, _ in hits)


@pytest.mark.parametrize("username", ["a_staff2", "a_manager"])
def test_the_owner_and_the_countys_manager_find_it_by_its_real_name(search_groups, username):
    hits = search_groups(username, "钛材深加工")["projects"]
    assert hits == [(REAL, f"/projects/{search_groups.ids['secret']}")]
    by_code = search_groups(username, CODE)["projects"]  # by its code name too, shown by its name
    assert by_code == [(REAL, f"/projects/{search_groups.ids['secret']}")]


def test_another_countys_projects_and_contacts_never_appear(search_groups):
    ids = search_groups.ids
    for username in ("a_staff", "a_manager", "a_leader"):
        for text in ("秦岭", "项目", "青松", "扶风秘密", "张", "138000"):
            results = search_groups(username, text)
            assert f"/projects/{ids['other']}" not in urls(results["projects"])
            assert f"/projects/{ids['other_secret']}" not in urls(results["projects"])
            assert not any(url.endswith(f"#contact-{ids['contact_b']}") for url in urls(results["contacts"]))
    assert [t for t, _ in search_groups("a_staff", "张")["contacts"]] == ["张三丰"]
    assert search_groups("a_staff", "13800000002")["contacts"] == []
    assert [t for t, _ in search_groups("b_staff", "13800000002")["contacts"]] == ["张翠山"]
    # b's manager sees b's confidential project by name, never a's by its real name.
    assert urls(search_groups("b_manager", "秦岭")["projects"]) == [f"/projects/{ids['other']}"]
    assert search_groups("b_manager", "扶风秘密")["projects"] == [
        ("扶风秘密项目", f"/projects/{ids['other_secret']}")
    ]


def test_a_coordinator_searches_the_counties_below_by_the_names_it_may_read(search_groups):
    ids = search_groups.ids
    hits = search_groups("city", "秦岭")["projects"]
    assert urls(hits) == [f"/projects/{ids['other']}"]
    assert sorted(urls(search_groups("city", "青松")["projects"])) == sorted(
        [f"/projects/{ids['secret']}", f"/projects/{ids['other_secret']}"]
    )
    assert {t for t, _ in search_groups("city", "张")["contacts"]} == {"张三丰", "张翠山"}
    # Another city's coordinator sees none of them.
    results = search_groups("xian", "秦岭")
    assert results["projects"] == [] and results["contacts"] == []


def test_each_group_shows_a_few_and_links_to_the_filtered_list(search_groups, app, client):
    app.config["SEARCH_PER_GROUP"] = 1
    search_groups("a_manager", "项目")
    html = client.get("/search?q=项目").get_data(as_text=True)
    projects = html.split('data-testid="search-projects"', 1)[1].split("</section>", 1)[0]
    assert projects.count('class="list-group-item"') == 1
    more = re.search(r'href="([^"]+)" data-testid="search-more"', projects).group(1)
    assert more.startswith("/projects?q=")
    contacts = client.get("/search?q=138").get_data(as_text=True)
    assert "search-more" not in contacts.split('data-testid="search-contacts"', 1)[1]


def test_the_search_box_is_in_the_navigation_bar_for_readers_only(search_groups, client, auth):
    search_groups("a_staff", "x")
    assert 'data-testid="nav-search"' in client.get("/projects").get_data(as_text=True)
    auth.logout()
    assert 'data-testid="nav-search"' not in client.get("/login").get_data(as_text=True)
    assert client.get("/search?q=x").status_code == 302  # login first
    auth.login("admin")
    assert 'data-testid="nav-search"' not in client.get("/").get_data(as_text=True)
    assert client.get("/search?q=x").status_code == 403


def test_empty_and_odd_search_text(search_groups, client):
    search_groups("a_staff", "x")
    assert client.get("/search").status_code == 200
    assert client.get("/search?q=%25").status_code == 200
    assert client.get("/search?q=_").status_code == 200
    assert client.get("/search?q=" + "宝" * 500).status_code == 200


def test_a_contact_is_found_whatever_the_case_of_the_letters(search_groups):
    """``david`` finds David on PostgreSQL too (its LIKE tells the cases apart; SQLite's did not)."""
    for text in ("david", "DAVID", "wAnG"):
        assert [title for title, _url in search_groups("a_staff", text)["contacts"]] == ["David Wang"], text


def test_finds_by_pinyin_initials_but_never_by_a_hidden_real_names(search_groups, project_maker, client):
    ids = search_groups.ids
    company = ("宁德时代新能源科技股份有限公司", f"/companies/{project_maker.investor_id}")
    assert search_groups("a_staff", "ndsd")["companies"] == [company]
    assert search_groups("a_staff", "NDSDXNY")["companies"] == [company]  # any case
    # 秦岭钛材深加工项目 (qltc…) is confidential: its code name 青松计划 (qsjh) finds it for
    # everyone, its real name's initials only for who may read the real name.
    assert search_groups("a_staff", "qsjh")["projects"] == [(CODE, f"/projects/{ids['secret']}")]
    assert search_groups("a_staff", "qltc")["projects"] == []
    assert search_groups("a_staff2", "qltc")["projects"] == [(REAL, f"/projects/{ids['secret']}")]
    assert urls(search_groups("b_staff", "qltc")["projects"]) == [f"/projects/{ids['other']}"]
    # The lists the "more" links open search the same way.
    assert "宁德时代新能源科技股份有限公司" in client.get("/companies?q=ndsd").get_data(as_text=True)
    projects_page = client.get("/projects?q=qltc").get_data(as_text=True)
    assert "秦岭钛材二期项目" in projects_page and REAL not in projects_page and CODE not in projects_page
