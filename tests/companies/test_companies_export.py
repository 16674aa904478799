"""The 企业名录 export (/companies/export): the companies the county knows — registered by
it, its projects' investors and local companies, its contacts' companies — never another
county's; credit codes as text; the list's search applied; CSV in UTF-8 or GB18030."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from record_support import owned_project, save_records
from sqlalchemy import update

from crm.companies.models import Company
from crm.core.db import db
from crm.core.tenancy import system_scope


def _known_by(app, company_id: int, county_id: int) -> None:
    with app.app_context(), system_scope():
        db.session.execute(
            update(Company).where(Company.id == company_id).values(created_by_county_id=county_id)
        )
        db.session.commit()


def _seed(app, world, company_maker, fresh_uscc):
    ids = {
        "registered": company_maker.company("岐山钛业有限公司", fresh_uscc(), headquarters="宝鸡市"),
        "investor": company_maker.company("西安整车制造有限公司"),
        "contact": company_maker.company("秦岭药业有限公司"),
        "other": company_maker.company("扶风物流有限公司", fresh_uscc()),
        "nobody": company_maker.company("无人知晓有限公司"),
    }
    _known_by(app, ids["registered"], world.county_a)
    _known_by(app, ids["other"], world.county_b)
    save_records(
        app,
        {
            "p": owned_project(
                world, "a_staff", "整车项目", "negotiating", investor_company_id=ids["investor"]
            ),
            "q": owned_project(world, "b_staff", "物流项目", "lead", investor_company_id=ids["other"]),
        },
    )
    company_maker.contact(ids["contact"], world.county_a)
    return ids


def _rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_the_countys_companies_and_only_those(app, world, client, auth, company_maker, fresh_uscc):
    _seed(app, world, company_maker, fresh_uscc)
    auth.login("a_staff")
    reply = client.get("/companies/export?format=xlsx")
    assert reply.status_code == 200 and "attachment" in reply.headers["Content-Disposition"]
    header, *rows = _rows(reply.data)
    assert header[:3] == ("企业名称", "统一社会信用代码", "行业代码")
    names = {row[0] for row in rows}
    assert names == {"岐山钛业有限公司", "西安整车制造有限公司", "秦岭药业有限公司"}
    code = load_workbook(io.BytesIO(reply.data)).active["B2"]  # 岐山钛业 first, in pinyin order
    assert (code.data_type, code.number_format, len(code.value)) == ("s", "@", 18)  # stays text

    auth.logout()
    auth.login("b_staff")
    text = client.get("/companies/export?format=csv").data.decode("utf-8-sig")
    assert "扶风物流有限公司" in text
    assert all(name not in text for name in names | {"无人知晓有限公司"})


def test_the_search_applies_and_gb18030_decodes(app, world, client, auth, company_maker, fresh_uscc):
    _seed(app, world, company_maker, fresh_uscc)
    auth.login("a_manager")
    reply = client.get("/companies/export?format=csv&encoding=gb18030&q=钛业")
    assert reply.headers["Content-Type"] == "text/csv; charset=GB18030"
    lines = reply.data.decode("gb18030").splitlines()
    assert len(lines) == 2 and lines[1].startswith("岐山钛业有限公司,") and "宝鸡市" in lines[1]


def test_a_coordinator_exports_the_counties_below(app, world, client, auth, company_maker, fresh_uscc):
    _seed(app, world, company_maker, fresh_uscc)
    auth.login("city")
    text = client.get("/companies/export?format=csv").data.decode("utf-8-sig")
    assert "扶风物流有限公司" in text and "岐山钛业有限公司" in text and "无人知晓有限公司" not in text
    auth.logout()
    auth.login("xian")  # another city's coordinator: none of these counties
    text = client.get("/companies/export?format=csv").data.decode("utf-8-sig")
    assert text.splitlines()[1:] == []


def test_the_list_links_its_exports(client, auth, world):
    auth.login("a_staff")
    page = client.get("/companies?q=钛").get_data(as_text=True)
    assert "/companies/export?format=xlsx" in page and "encoding=gb18030" in page


def test_the_countys_contacts_and_only_those(app, world, client, auth, company_maker, fresh_uscc):
    ids = _seed(app, world, company_maker, fresh_uscc)
    company_maker.contact(ids["other"], world.county_b, name="赵经理", phone="0917-1234567")
    auth.login("a_staff")
    header, *rows = _rows(client.get("/contacts/export").data)
    assert header[:3] == ("企业名称", "统一社会信用代码", "联系人")
    assert [(row[0], row[2]) for row in rows] == [("秦岭药业有限公司", "王经理")]
    auth.logout()
    auth.login("b_staff")
    text = client.get("/contacts/export?format=csv").data.decode("utf-8-sig")
    assert "赵经理" in text and "0917-1234567" in text and "王经理" not in text
