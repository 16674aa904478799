"""Company pages: validation messages, duplicate checks, concurrent edits and roles."""

from __future__ import annotations

from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.util.uscc import uscc_check_char, validate_uscc

VALID = "91350100M000100Y43"


def form(**values):
    return {
        "name": "渭河新能源科技有限公司",
        "uscc": "",
        "industry_code": "",
        "headquarters": "",
        "size": "",
        "website": "",
        "description": "",
        **values,
    }


def test_create_company_and_see_it_in_list_and_detail(client, auth, company_maker, app):
    auth.login("a_staff")
    response = client.post(
        "/companies/new",
        data=form(
            uscc=" 9135 0100m000100y43 ",
            industry_code="c3612",
            tags=["专精特新", "上市公司"],
            size="medium",
            website="www.weihe-demo.cn",
        ),
    )
    assert response.status_code == 302
    with app.app_context(), system_scope():
        company = db.session.execute(select(Company)).scalar_one()
        assert (company.uscc, company.industry_code, company.tags) == (
            VALID,
            "3612",
            ["上市公司", "专精特新"],
        )
        assert company.name_key == "渭河新能源科技" and company.website == "http://www.weihe-demo.cn"
        audit = db.session.execute(
            select(AuditEvent).where(AuditEvent.table_name == "companies")
        ).scalar_one()
        assert audit.action == "create" and audit.actor_name == "a_staff"
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "渭河新能源科技有限公司" in detail and "3612 新能源车整车制造" in detail
    assert "渭河新能源科技有限公司" in client.get("/companies?q=渭河").get_data(as_text=True)
    assert "渭河新能源科技有限公司" in client.get("/companies?q=91350100M0").get_data(as_text=True)
    assert "渭河新能源科技有限公司" in client.get("/companies?tag=专精特新").get_data(as_text=True)
    assert "渭河新能源科技有限公司" not in client.get("/companies?tag=独角兽").get_data(as_text=True)


def test_uscc_errors_name_the_position_and_keep_input_and_write_nothing(client, auth, company_maker):
    auth.login("a_staff")
    wrong_check = client.post("/companies/new", data=form(uscc="91350100M000100Y44", headquarters="西安"))
    body = wrong_check.get_data(as_text=True)
    assert wrong_check.status_code == 422
    assert "第18位校验码应为 3" in body
    assert 'value="91350100M000100Y44"' in body and 'value="西安"' in body
    illegal = client.post("/companies/new", data=form(uscc="91110000600O37341L"))
    assert "第12位字符“O”不合法" in illegal.get_data(as_text=True)
    short = client.post("/companies/new", data=form(uscc="9111000060003734"))
    assert "长度应为18位，实际为16位" in short.get_data(as_text=True)
    assert company_maker.count(Company) == 0


def test_other_bad_fields_are_refused_with_messages(client, auth, company_maker):
    auth.login("a_staff")
    response = client.post(
        "/companies/new",
        data=form(industry_code="A36", website="javascript:alert(1)", size="huge", name="x" * 201),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "属于门类 C" in body
    assert "网址应以 http:// 或 https:// 开头" in body
    assert "不能超过 200 个字符" in body
    no_name = client.post("/companies/new", data=form(name="  ", industry_code="99"))
    assert "请填写企业名称" in no_name.get_data(as_text=True)
    assert company_maker.count(Company) == 0


def test_org_code_mismatch_is_a_warning_and_the_company_is_saved(
    client, auth, company_maker, uscc_bad_org_check, app
):
    result = validate_uscc(uscc_bad_org_check)
    assert result.ok and result.warnings
    auth.login("a_staff")
    response = client.post("/companies/new", data=form(uscc=uscc_bad_org_check), follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "第17位（组织机构代码校验码）应为" in body
    assert company_maker.count(Company) == 1


def test_same_uscc_is_refused_with_a_link_to_the_existing_company(client, auth, company_maker):
    existing = company_maker.company("宝鸡钛材有限公司", VALID)
    auth.login("b_staff")
    response = client.post("/companies/new", data=form(name="完全不同的名字", uscc=VALID, not_duplicate="y"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "已登记为「宝鸡钛材有限公司」" in body
    assert f'href="/companies/{existing}"' in body
    assert company_maker.count(Company) == 1


def test_similar_names_are_offered_and_creation_needs_the_override(client, auth, company_maker):
    existing = company_maker.company("宁德时代新能源科技股份有限公司")
    auth.login("a_staff")
    first = client.post(
        "/companies/new", data=form(name="宁德时代新能源科技（股份）有限公司", headquarters="宁德")
    )
    body = first.get_data(as_text=True)
    assert first.status_code == 422
    assert f'href="/companies/{existing}"' in body and "宁德时代新能源科技股份有限公司" in body
    assert "不是重复，仍然创建" in body and 'value="宁德"' in body
    assert company_maker.count(Company) == 1
    second = client.post(
        "/companies/new", data=form(name="宁德时代新能源科技（股份）有限公司", not_duplicate="y")
    )
    assert second.status_code == 302
    assert company_maker.count(Company) == 2


def test_concurrent_edit_second_save_is_refused_with_current_values(
    client, auth, company_maker, logged_in_client
):
    company_id = company_maker.company("秦岭药业有限公司", headquarters="西安")
    auth.login("a_staff")
    page = client.get(f"/companies/{company_id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page
    other = logged_in_client("b_staff")
    first = other.post(
        f"/companies/{company_id}/edit", data=form(name="秦岭药业有限公司", headquarters="宝鸡", version="1")
    )
    assert first.status_code == 302
    second = client.post(
        f"/companies/{company_id}/edit", data=form(name="秦岭药业有限公司", headquarters="咸阳", version="1")
    )
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "已被他人修改" in body and "宝鸡" in body  # the current value is shown
    assert 'value="咸阳"' in body  # and the user's own input kept
    assert company_maker.get(Company, company_id)["headquarters"] == "宝鸡"
    # As the box says: saving again, having read the current values, overwrites them.
    assert 'name="version" type="hidden" value="2"' in body
    third = client.post(
        f"/companies/{company_id}/edit", data=form(name="秦岭药业有限公司", headquarters="咸阳", version="2")
    )
    assert third.status_code == 302
    assert company_maker.get(Company, company_id)["headquarters"] == "咸阳"


def test_edit_validates_and_changes_name_key(client, auth, company_maker, fresh_uscc):
    taken = fresh_uscc()
    company_maker.company("甲公司", taken)
    company_id = company_maker.company("秦岭药业有限公司")
    auth.login("a_manager")
    dup = client.post(
        f"/companies/{company_id}/edit", data=form(name="秦岭药业有限公司", uscc=taken, version="1")
    )
    assert dup.status_code == 422 and "已登记为「甲公司」" in dup.get_data(as_text=True)
    ok = client.post(f"/companies/{company_id}/edit", data=form(name="秦岭制药集团有限公司", version="1"))
    assert ok.status_code == 302
    stored = company_maker.get(Company, company_id)
    assert stored["name_key"] == "秦岭制药" and stored["version"] == 2


def test_roles_read_write_and_admin(client, auth, company_maker, world):
    company_id = company_maker.company("秦岭药业有限公司")
    for reader in ("a_leader", "city"):
        auth.login(reader)
        assert client.get("/companies").status_code == 200
        assert client.get(f"/companies/{company_id}").status_code == 200
        assert client.get("/companies/new").status_code == 403
        assert client.post("/companies/new", data=form()).status_code == 403
        assert client.get(f"/companies/{company_id}/edit").status_code == 403
        assert client.get(f"/companies/{company_id}/contacts/new").status_code == 403
        auth.logout()
    auth.login("admin")
    for path in (
        "/companies",
        f"/companies/{company_id}",
        "/companies/new",
        f"/companies/{company_id}/merge",
    ):
        assert client.get(path).status_code == 403
    assert company_maker.count(Company) == 1


def test_unknown_company_is_404_and_nav_shows_entry(client, auth, company_maker):
    auth.login("a_staff")
    assert client.get("/companies/999").status_code == 404
    assert client.get("/companies/999/edit").status_code == 404
    assert client.get("/companies/999/contacts/new").status_code == 404
    assert "企业库" in client.get("/companies").get_data(as_text=True)


def test_list_paginates(client, auth, company_maker, app):
    with app.app_context(), system_scope():
        from crm.companies.services import create_company

        for i in range(30):
            create_company({"name": f"编号{i:02d}测试企业有限公司"}, confirm_not_duplicate=True)
        db.session.commit()
    auth.login("a_staff")
    first = client.get("/companies").get_data(as_text=True)
    second = client.get("/companies?page=2").get_data(as_text=True)
    assert "编号00测试企业有限公司" in first and "编号29测试企业有限公司" not in first
    assert "编号29测试企业有限公司" in second and "编号00测试企业有限公司" not in second


def test_detail_shows_only_this_countys_projects_and_contacts(client, auth, company_maker, app, world):
    from crm.projects.models import Project

    company_id = company_maker.company("秦岭药业有限公司")
    company_maker.contact(company_id, world.county_a, name="岐山联系人")
    company_maker.contact(company_id, world.county_b, name="扶风联系人")
    with app.app_context(), system_scope():
        db.session.add_all(
            [
                Project(name="岐山制剂项目", county_id=world.county_a, investor_company_id=company_id),
                Project(name="扶风原料药项目", county_id=world.county_b, local_company_id=company_id),
            ]
        )
        db.session.commit()
    auth.login("a_leader")
    page = client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "岐山制剂项目" in page and "岐山联系人" in page
    assert "扶风原料药项目" not in page and "扶风联系人" not in page


def test_an_all_zero_code_and_an_unknown_entity_type_are_refused(client, auth, company_maker, api):
    """Issue 14 item 7: a right check character is not enough (000000000000000000 has one);
    characters 1–2 must be a pair of GB 32100's table."""
    auth.login("a_staff")
    zeros = client.post("/companies/new", data=form(uscc="000000000000000000"))
    body = zeros.get_data(as_text=True)
    assert zeros.status_code == 422
    assert "第1位登记管理部门代码“0”不存在" in body and "第9–17位主体标识码（组织机构代码）不能全为 0" in body
    unknown_type = "94" + VALID[2:17]
    unknown_type += uscc_check_char(unknown_type)
    refused = api.post(
        "/api/v1/companies", as_user="a_staff", json={"name": "某某公司", "uscc": unknown_type}
    )
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert refused.json["errors"]["uscc"][0].startswith(
        "第2位机构类别代码“4”不属于登记管理部门“市场监管（工商）”"
    )
    assert company_maker.count(Company) == 0
