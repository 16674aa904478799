from datetime import date
from decimal import Decimal

from page_content import conflict_box
from record_support import only_row_posted_by, rows_of
from sqlalchemy import select

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.funds.models import CountyTarget, FundsRecord

FORM = {
    "month": "2026年3月",
    "origin": "out_of_province",
    "amount_wan": "1,200.5",
    "evidence_ref": "JZ-202603-01",
}


def test_record_list_and_duplicate_refused_with_message(app, client, auth, signed_project_ids):
    app.config["TODAY"] = date(2026, 11, 23)
    pid = signed_project_ids["a"]
    auth.login("a_staff")
    assert client.post(f"/projects/{pid}/funds/new", data=FORM).status_code == 302
    [record] = rows_of(app, FundsRecord)
    assert (record.month, record.amount_wan, record.origin) == (
        date(2026, 3, 1),
        Decimal("1200.50"),
        "out_of_province",
    )
    page = client.get(f"/projects/{pid}/funds").get_data(as_text=True)
    assert "1,200.50" in page and "JZ-202603-01" in page
    again = client.post(f"/projects/{pid}/funds/new", data=dict(FORM, amount_wan="300"))
    body = again.get_data(as_text=True)
    assert again.status_code == 409
    assert f"记录 #{record.id}" in body and "不能重复上报" in body
    assert 'value="300"' in body
    assert len(rows_of(app, FundsRecord)) == 1
    county = client.get("/funds?year=2026").get_data(as_text=True)
    assert "1,200.50" in county
    month = client.get("/funds?year=2026&month=2026-03").get_data(as_text=True)
    assert "岐山电池项目" in month


def test_bad_input_keeps_text_and_writes_nothing(app, client, auth, signed_project_ids):
    pid = signed_project_ids["a"]
    auth.login("a_staff")
    for data, kept in (
        (dict(FORM, amount_wan="0"), 'value="0"'),
        (dict(FORM, amount_wan="-20"), 'value="-20"'),
        (dict(FORM, month="三月份"), 'value="三月份"'),
        (dict(FORM, amount_wan="abc"), 'value="abc"'),
    ):
        response = client.post(f"/projects/{pid}/funds/new", data=data)
        assert response.status_code == 422, data
        assert kept in response.get_data(as_text=True)
    assert rows_of(app, FundsRecord) == []


def test_edit_stale_version_and_delete(app, client, auth, signed_project_ids):
    pid = signed_project_ids["a"]
    record = only_row_posted_by(app, client, auth, "a_staff", f"/projects/{pid}/funds/new", FORM, FundsRecord)
    assert (
        client.post(f"/funds/{record.id}/edit", data=dict(FORM, amount_wan="1500", version="1")).status_code
        == 302
    )
    stale = client.post(f"/funds/{record.id}/edit", data=dict(FORM, amount_wan="9", version="1"))
    assert stale.status_code == 409 and "1500.00" in stale.get_data(as_text=True)
    assert rows_of(app, FundsRecord)[0].amount_wan == Decimal("1500.00")
    assert client.post(f"/funds/{record.id}/delete").status_code == 302
    assert rows_of(app, FundsRecord) == []


def test_other_county_404_and_leader_403(app, client, auth, signed_project_ids):
    record = only_row_posted_by(
        app, client, auth, "b_staff", f"/projects/{signed_project_ids['b']}/funds/new", FORM, FundsRecord
    )
    auth.logout()
    auth.login("a_manager")
    pid_b = signed_project_ids["b"]
    assert client.get(f"/projects/{pid_b}/funds").status_code == 404
    assert client.get(f"/projects/{pid_b}/funds/new").status_code == 404
    assert client.post(f"/projects/{pid_b}/funds/new", data=FORM).status_code == 404
    assert client.get(f"/funds/{record.id}/edit").status_code == 404
    assert client.post(f"/funds/{record.id}/delete").status_code == 404
    assert "扶风物流项目" not in client.get("/funds?year=2026&month=2026-03").get_data(as_text=True)
    auth.logout()
    auth.login("b_leader")
    assert client.get(f"/projects/{pid_b}/funds").status_code == 200
    assert client.get(f"/projects/{pid_b}/funds/new").status_code == 403
    assert client.post(f"/projects/{pid_b}/funds/new", data=FORM).status_code == 403
    assert client.post(f"/funds/{record.id}/edit", data=FORM).status_code == 403
    assert client.post(f"/funds/{record.id}/delete").status_code == 403
    assert client.post("/funds/targets", data={"year": "2026", "funds_target_wan": "100"}).status_code == 403
    assert len(rows_of(app, FundsRecord)) == 1


def test_manager_sets_annual_target_that_staff_and_leaders_read(app, client, auth, world):
    auth.login("a_staff")
    assert "尚未设置年度目标" in client.get("/funds/targets").get_data(as_text=True)
    auth.logout()
    auth.login("a_manager")
    bad = client.post("/funds/targets", data={"year": "2026", "funds_target_wan": "-1"})
    assert bad.status_code == 422
    assert (
        client.post("/funds/targets", data={"year": "2026", "funds_target_wan": "3.65亿"}).status_code == 302
    )
    with app.app_context(), system_scope():
        target = db.session.execute(select(CountyTarget)).scalar_one()
        assert (target.county_id, target.year, target.funds_target_wan) == (
            world.county_a,
            2026,
            Decimal("36500.00"),
        )
    auth.logout()
    auth.login("a_leader")
    assert 'href="/funds/targets"' in client.get("/dashboard").get_data(as_text=True)
    page = client.get("/funds/targets").get_data(as_text=True)
    assert "36,500.00" in page and "年度目标由局长设置" in page
    assert 'name="funds_target_wan"' not in page  # no form to set it
    refused = client.post("/funds/targets", data={"year": "2026", "funds_target_wan": "1"})
    assert refused.status_code == 403
    auth.logout()
    auth.login("b_leader")
    assert "36,500.00" not in client.get("/funds/targets").get_data(as_text=True)


def test_province_year_follows_each_countys_new_record(app, client, auth, signed_project_ids):
    """The province's year is added up from each county's kept sums: a record of county A,
    then one of county B, shows in the next page the coordinator opens."""
    app.config["TODAY"] = date(2026, 11, 23)
    auth.login("prov")
    assert "1,200.50" not in client.get("/funds?year=2026").get_data(as_text=True)
    auth.logout()
    auth.login("a_staff")
    assert client.post(f"/projects/{signed_project_ids['a']}/funds/new", data=FORM).status_code == 302
    auth.logout()
    auth.login("prov")
    assert "1,200.50" in client.get("/funds?year=2026").get_data(as_text=True)
    auth.logout()
    auth.login("b_staff")
    form_b = dict(FORM, amount_wan="300")
    assert client.post(f"/projects/{signed_project_ids['b']}/funds/new", data=form_b).status_code == 302
    auth.logout()
    auth.login("prov")
    assert "1,500.50" in client.get("/funds?year=2026").get_data(as_text=True)


def test_a_stale_funds_edit_shows_the_stored_values_by_label_and_name(app, client, auth, signed_project_ids):
    pid = signed_project_ids["a"]
    form = {
        "month": "2026年3月",
        "origin": "out_of_province",
        "amount_wan": "1,200.5",
        "evidence_ref": "JZ-1",
    }
    record = only_row_posted_by(app, client, auth, "a_staff", f"/projects/{pid}/funds/new", form, FundsRecord)
    saved = dict(form, origin="in_province", amount_wan="1500", version="1")
    assert client.post(f"/funds/{record.id}/edit", data=saved).status_code == 302

    stale = client.post(f"/funds/{record.id}/edit", data=dict(form, amount_wan="9", version="1"))
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409
    stored = conflict_box(body)
    assert stored["资金来源"] == "市外省内"
    assert stored["到位金额（万元）"] == "1500.00"
    assert stored["月份"] == "2026-03"
    assert "version" not in stored and "project_id" not in stored
    assert 'value="9"' in body  # what the user typed is still in the form


def test_an_edit_refused_as_a_duplicate_keeps_its_own_version(app, client, auth, signed_project_ids):
    """The same money reported twice names the other record: the form stays at its own
    version (only a stale save moves it to the stored one)."""
    app.config["TODAY"] = date(2026, 11, 23)
    pid = signed_project_ids["a"]
    auth.login("a_staff")
    assert client.post(f"/projects/{pid}/funds/new", data=FORM).status_code == 302
    april = dict(FORM, month="2026年4月", evidence_ref="JZ-202604-01")
    assert client.post(f"/projects/{pid}/funds/new", data=april).status_code == 302
    march, april_record = sorted(rows_of(app, FundsRecord), key=lambda r: r.month)
    assert (
        client.post(
            f"/funds/{april_record.id}/edit", data=dict(april, amount_wan="800", version="1")
        ).status_code
        == 302
    )
    clash = client.post(f"/funds/{april_record.id}/edit", data=dict(FORM, version="2"))
    body = clash.get_data(as_text=True)
    assert clash.status_code == 409 and f"记录 #{march.id}" in body
    assert 'name="version" type="hidden" value="2"' in body  # its own, not the March record's 1
