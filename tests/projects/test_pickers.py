"""Searchable pickers (issue 15 item 3): lists in pinyin order, the type-ahead's lookups
(/companies/lookup, /projects/lookup) by name part, credit code and pinyin initials,
county-scoped and never finding a confidential project by a name the viewer may not read."""

from __future__ import annotations

import re

from migration_support import NOW, fetch_all, upgrade_with_rows

from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.uscc import make_uscc

REAL, CODE = "宝鸡西北钛业基地项目", "T-7号"


def _companies(app, *names) -> dict[str, int]:
    with app.app_context(), system_scope():
        rows = [
            Company(name=name, name_key=name, uscc=make_uscc("610301", 100 + i))
            for i, name in enumerate(names)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {row.name: row.id for row in rows}


def _options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def _labels(client, path, q):
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200 and response.is_json
    return [item["label"] for item in response.get_json()["items"]]


def test_company_lookup_by_name_part_credit_code_and_initials(app, project_maker, client, auth):
    ids = _companies(app, "宝鸡钛业股份有限公司", "中国西电集团有限公司")
    auth.login("a_staff")
    assert _labels(client, "/companies/lookup", "钛业") == ["宝鸡钛业股份有限公司"]
    assert _labels(client, "/companies/lookup", "bjty") == ["宝鸡钛业股份有限公司"]
    assert _labels(client, "/companies/lookup", "BJTY") == ["宝鸡钛业股份有限公司"]
    assert _labels(client, "/companies/lookup", "zgxd") == ["中国西电集团有限公司"]
    code = make_uscc("610301", 100)
    found = client.get("/companies/lookup", query_string={"q": code[:12]}).get_json()["items"]
    assert [(item["id"], item["detail"]) for item in found] == [(ids["宝鸡钛业股份有限公司"], code)]
    assert _labels(client, "/companies/lookup", "") == []
    assert _labels(client, "/companies/lookup", "%") == []


def test_lookups_need_a_login(app, project_maker, client):
    for path in ("/companies/lookup", "/projects/lookup"):
        response = client.get(path, query_string={"q": "bj"})
        assert response.status_code in (302, 401) and not response.is_json


def test_project_form_lists_companies_in_pinyin_order_and_marks_the_picker(app, project_maker, client, auth):
    _companies(
        app, "中国西电集团有限公司", "阿里巴巴（中国）有限公司", "白水果业有限公司", "宝鸡钛业股份有限公司"
    )
    auth.login("a_staff")
    page = client.get("/projects/new").get_data(as_text=True)
    names = [name for name in _options(page, "investor_company_id") if name != "—"]
    assert names == [
        "阿里巴巴（中国）有限公司",
        "白水果业有限公司",
        "宝鸡钛业股份有限公司",
        "宁德时代新能源科技股份有限公司",
        "岐山瑞能电池有限公司",
        "无效代码公司",
        "中国西电集团有限公司",
    ]
    assert 'data-lookup="/companies/lookup"' in page


def test_company_list_reads_in_pinyin_order(app, project_maker, client, auth):
    _companies(app, "中国西电集团有限公司", "阿里巴巴（中国）有限公司")
    auth.login("a_leader")
    page = client.get("/companies").get_data(as_text=True)
    assert page.index("阿里巴巴（中国）有限公司") < page.index("宁德时代新能源科技股份有限公司")
    assert page.index("宁德时代新能源科技股份有限公司") < page.index("中国西电集团有限公司")


def test_project_lookup_finds_by_name_part_and_initials_with_what_tells_namesakes_apart(
    project_maker, client, auth
):
    first = project_maker.make(name="钛合金精深加工项目")
    second = project_maker.make(name="钛合金精深加工项目", investor_company_id=project_maker.local_id)
    project_maker.make(name="年产10GWh动力电池项目")
    auth.login("a_staff")
    for q in ("钛合金", "thj", "THJJSJG"):
        items = client.get("/projects/lookup", query_string={"q": q}).get_json()["items"]
        assert sorted(item["id"] for item in items) == sorted([first, second]), q
    details = {item["id"]: item["detail"] for item in items}
    assert details[first] == f"编号 {first} · 线索 · 宁德时代新能源科技股份有限公司"
    assert details[second] == f"编号 {second} · 线索 · 岐山瑞能电池有限公司"


def test_project_lookup_stays_in_the_county(project_maker, client, auth):
    project_maker.make(name="扶风钛材项目", as_user="b_staff")
    auth.login("a_staff")
    assert _labels(client, "/projects/lookup", "钛材") == []
    assert _labels(client, "/projects/lookup", "fftc") == []
    auth.logout()
    auth.login("b_staff")
    assert _labels(client, "/projects/lookup", "fftc") == ["扶风钛材项目"]


def test_project_lookup_never_finds_a_confidential_project_by_its_real_name(project_maker, client, auth):
    pid = project_maker.make(name=REAL, code_name=CODE, as_user="a_staff")
    auth.login("a_staff2")  # neither the owner nor a manager
    for q in ("西北钛业", "bjxbty", "xbty"):
        assert _labels(client, "/projects/lookup", q) == [], q
    found = client.get("/projects/lookup", query_string={"q": "T-7"}).get_json()["items"]
    assert [item["label"] for item in found] == [CODE]
    assert "宁德时代" not in found[0]["detail"]  # the investor would tell what it is
    assert REAL not in client.get("/projects/lookup", query_string={"q": "t7"}).get_data(as_text=True)
    auth.logout()
    for username in ("a_staff", "a_manager"):  # the owner and the county's manager
        auth.login(username)
        items = client.get("/projects/lookup", query_string={"q": "bjxbty"}).get_json()["items"]
        assert [(item["id"], item["label"]) for item in items] == [(pid, REAL)], username
        auth.logout()


def test_referral_form_lists_projects_in_pinyin_order_and_tells_namesakes_apart(project_maker, client, auth):
    first = project_maker.make(name="钛合金精深加工项目")
    second = project_maker.make(name="钛合金精深加工项目")
    project_maker.make(name="扶风苹果深加工项目")
    project_maker.make(name="阿胶饮品项目")
    project_maker.make(name=REAL, code_name=CODE)
    auth.login("a_staff2")
    page = client.get("/rewards/referrals/new").get_data(as_text=True)
    assert _options(page, "project_id")[1:] == [
        "阿胶饮品项目",
        "扶风苹果深加工项目",
        CODE,  # in its code name's place
        f"钛合金精深加工项目（编号 {first}）",
        f"钛合金精深加工项目（编号 {second}）",
    ]
    assert 'data-lookup="/projects/lookup"' in page


def test_migration_fills_the_pinyin_of_existing_rows(empty_app):
    with empty_app.app_context():
        upgrade_with_rows(
            "0016",
            "INSERT INTO companies (name, name_key, tags, version, created_at, updated_at) "
            f"VALUES ('宝鸡钛业股份有限公司', '宝鸡钛业', '[]', 1, {NOW}, {NOW})",
        )
        [(name_pinyin, name_initials)] = fetch_all("SELECT name_pinyin, name_initials FROM companies")
        assert name_initials == "bjtygfyxgs" and name_pinyin.startswith("bao000ji0000tai000ye0000")


def test_a_company_page_lists_its_contacts_in_pinyin_order(app, project_maker, client, auth):
    from crm.companies.services import create_contact

    with app.app_context(), system_scope():
        company = db.session.get(Company, project_maker.investor_id)
        for name in ("张伟", "李娜", "王芳"):
            create_contact(company, {"name": name}, county_id=project_maker.world.county_a)
        db.session.commit()
    auth.login("a_staff")
    page = client.get(f"/companies/{project_maker.investor_id}").get_data(as_text=True)
    assert page.index("李娜") < page.index("王芳") < page.index("张伟")
