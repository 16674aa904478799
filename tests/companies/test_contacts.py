"""Contacts belong to one county: CRUD from the company page, invisible to other counties."""

from __future__ import annotations

from record_support import audit_rows
from sqlalchemy import select

from crm.companies.models import Contact
from crm.core.db import db
from crm.core.tenancy import system_scope


def contact_form(**values):
    return {
        "name": "李总",
        "title": "总经理",
        "phone": "138 0000 1234",
        "email": "",
        "wechat": "",
        "note": "",
        **values,
    }


def test_staff_adds_edits_and_deletes_a_contact(client, auth, company_maker, app, world):
    company = company_maker.company("秦岭药业有限公司")
    auth.login("a_staff")
    created = client.post(f"/companies/{company}/contacts/new", data=contact_form())
    assert created.status_code == 302
    with app.app_context(), system_scope():
        contact = db.session.execute(select(Contact)).scalar_one()
        contact_id = contact.id
        assert contact.county_id == world.county_a and contact.created_by_id == world.ids["a_staff"]
    page = client.get(f"/companies/{company}").get_data(as_text=True)
    assert "李总" in page and "138 0000 1234" in page
    edited = client.post(f"/contacts/{contact_id}/edit", data=contact_form(title="董事长", version="1"))
    assert edited.status_code == 302 and company_maker.get(Contact, contact_id)["title"] == "董事长"
    assert client.post(f"/contacts/{contact_id}/delete").status_code == 302
    assert company_maker.count(Contact) == 0
    with app.app_context(), system_scope():
        actions = [event.action for event in audit_rows("contacts")]
    assert actions == ["create", "update", "delete"]


def test_bad_contact_input_is_refused_kept_and_not_written(client, auth, company_maker):
    company = company_maker.company("秦岭药业有限公司")
    auth.login("a_staff")
    response = client.post(
        f"/companies/{company}/contacts/new",
        data=contact_form(name="", email="not-an-email", phone="电话号码", title="副总"),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写联系人姓名" in body and "邮箱格式不正确" in body and "电话只能包含数字" in body
    assert 'value="not-an-email"' in body and 'value="副总"' in body
    assert company_maker.count(Contact) == 0


def test_other_countys_contacts_are_invisible_and_404_everywhere(client, auth, company_maker, api, world):
    company = company_maker.company("秦岭药业有限公司")
    theirs = company_maker.contact(company, world.county_b, name="扶风的秘密联系人")
    auth.login("a_staff")
    assert "扶风的秘密联系人" not in client.get(f"/companies/{company}").get_data(as_text=True)
    assert client.get(f"/contacts/{theirs}/edit").status_code == 404
    assert client.post(f"/contacts/{theirs}/edit", data=contact_form(version="1")).status_code == 404
    assert client.post(f"/contacts/{theirs}/delete").status_code == 404
    assert api.get(f"/api/v1/contacts/{theirs}", as_user="a_staff").status_code == 404
    assert (
        api.patch(
            f"/api/v1/contacts/{theirs}", as_user="a_staff", json={"name": "x", "version": 1}
        ).status_code
        == 404
    )
    assert api.delete(f"/api/v1/contacts/{theirs}", as_user="a_staff").status_code == 404
    listing = api.get(f"/api/v1/companies/{company}/contacts", as_user="a_staff").get_json()
    assert listing["total"] == 0
    assert api.get("/api/v1/contacts", as_user="a_staff").get_json()["total"] == 0
    assert [c["id"] for c in api.get("/api/v1/contacts", as_user="b_staff").get_json()["items"]] == [theirs]
    assert company_maker.get(Contact, theirs)["name"] == "扶风的秘密联系人"
    # Their own county and its coordinator do see it.
    assert api.get(f"/api/v1/contacts/{theirs}", as_user="b_leader").status_code == 200
    assert api.get(f"/api/v1/companies/{company}/contacts", as_user="city").get_json()["total"] == 1
    assert api.get(f"/api/v1/contacts/{theirs}", as_user="xian").status_code == 404


def test_contact_write_roles(client, auth, company_maker, api, world):
    company = company_maker.company("秦岭药业有限公司")
    ours = company_maker.contact(company, world.county_a)
    auth.login("a_leader")
    assert client.get(f"/companies/{company}").status_code == 200
    assert client.get(f"/contacts/{ours}/edit").status_code == 403
    assert client.post(f"/contacts/{ours}/delete").status_code == 403
    assert client.post(f"/companies/{company}/contacts/new", data=contact_form()).status_code == 403
    assert (
        api.post(f"/api/v1/companies/{company}/contacts", as_user="a_leader", json={"name": "x"}).status_code
        == 403
    )
    assert api.delete(f"/api/v1/contacts/{ours}", as_user="city").status_code == 403
    assert api.get(f"/api/v1/contacts/{ours}", as_user="admin").status_code == 403
    assert company_maker.count(Contact) == 1


def test_concurrent_contact_edit_is_refused(client, auth, company_maker, app, world, api):
    company = company_maker.company("秦岭药业有限公司")
    contact = company_maker.contact(company, world.county_a, title="经理")
    first = api.patch(f"/api/v1/contacts/{contact}", as_user="a_staff2", json={"title": "总监", "version": 1})
    assert first.status_code == 200 and first.get_json()["version"] == 2
    auth.login("a_staff")
    second = client.post(
        f"/contacts/{contact}/edit", data=contact_form(name="王经理", title="副总", version="1")
    )
    body = second.get_data(as_text=True)
    assert second.status_code == 409 and "总监" in body and 'value="副总"' in body
    stale = api.patch(f"/api/v1/contacts/{contact}", as_user="a_staff", json={"title": "副总", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["current"]["title"] == "总监"
    assert company_maker.get(Contact, contact)["title"] == "总监"
