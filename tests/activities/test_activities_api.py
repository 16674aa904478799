from datetime import date

from api_support import assert_documented, assert_not_found

from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.projects.models import Project

BODY = {
    "kind": "negotiation",
    "occurred_on": "2026-11-20",
    "subject": "投资协议条款洽谈",
    "next_follow_up_on": "2026-11-30",
}


def test_create_list_get_patch_delete(app, api, activity_project_ids):
    pid = activity_project_ids["a"]
    created = api.post(f"/api/v1/projects/{pid}/activities", as_user="a_staff", json=BODY)
    assert created.status_code == 201
    item = created.get_json()
    assert item["subject"] == "投资协议条款洽谈" and item["next_follow_up_on"] == "2026-11-30"
    assert set(item) >= {"id", "project_id", "county_id", "kind", "occurred_on", "version"}
    with app.app_context(), system_scope():
        assert db.session.get(Project, pid).next_follow_up_on == date(2026, 11, 30)
    listing = api.get(f"/api/v1/projects/{pid}/activities", as_user="a_leader").get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == item["id"]
    assert api.get(f"/api/v1/activities/{item['id']}", as_user="a_leader").get_json()["kind"] == "negotiation"
    patched = api.patch(
        f"/api/v1/activities/{item['id']}",
        as_user="a_staff",
        json={"summary": "达成一致", "version": item["version"]},
    )
    assert patched.status_code == 200 and patched.get_json()["version"] == item["version"] + 1
    stale = api.patch(
        f"/api/v1/activities/{item['id']}",
        as_user="a_staff2",
        json={"summary": "旧版本上的修改", "version": item["version"]},
    )
    assert stale.status_code == 409
    assert stale.get_json()["current"]["summary"] == "达成一致"
    missing = api.patch(f"/api/v1/activities/{item['id']}", as_user="a_staff", json={"summary": "x"})
    assert missing.status_code == 422
    assert api.delete(f"/api/v1/activities/{item['id']}", as_user="a_staff").status_code == 204
    assert api.get(f"/api/v1/activities/{item['id']}", as_user="a_staff").status_code == 404


def test_bad_input_is_422_with_field_errors(api, activity_project_ids):
    pid = activity_project_ids["a"]
    for body, field in (
        (dict(BODY, occurred_on="someday"), "occurred_on"),
        (dict(BODY, kind="lunch"), "kind"),
        (dict(BODY, subject=42), "subject"),
        (dict(BODY, occurred_on=20261120), "occurred_on"),
    ):
        response = api.post(f"/api/v1/projects/{pid}/activities", as_user="a_staff", json=body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"]
    assert api.get(f"/api/v1/projects/{pid}/activities", as_user="a_staff").get_json()["total"] == 0
    assert (
        api.post(
            f"/api/v1/projects/{pid}/activities",
            as_user="a_staff",
            data="[]",
            content_type="application/json",
        ).status_code
        == 400
    )


def test_other_county_is_404_and_leader_is_403(api, activity_project_ids):
    pid_b = activity_project_ids["b"]
    item = api.post(f"/api/v1/projects/{pid_b}/activities", as_user="b_staff", json=BODY).get_json()
    assert_not_found(api, "a_staff", f"/api/v1/projects/{pid_b}/activities", ("get", "post"), BODY)
    change = {"version": 1, "summary": "x"}
    assert_not_found(api, "a_manager", f"/api/v1/activities/{item['id']}", ("get", "patch", "delete"), change)
    assert api.post(f"/api/v1/projects/{pid_b}/activities", as_user="b_leader", json=BODY).status_code == 403
    assert (
        api.patch(
            f"/api/v1/activities/{item['id']}", as_user="b_leader", json={"version": 1, "summary": "x"}
        ).status_code
        == 403
    )
    assert api.delete(f"/api/v1/activities/{item['id']}", as_user="city").status_code == 403
    assert api.get(f"/api/v1/activities/{item['id']}", as_user="city").status_code == 200


def test_openapi_lists_the_paths(client):
    assert_documented(
        client,
        {
            "/projects/{project_id}/activities": {"get", "post"},
            "/activities/{activity_id}": {"get", "patch", "delete"},
        },
        {"Activity"},
    )


def _confidential(app, project_id: int, code_name: str) -> None:
    with app.app_context(), system_scope():
        db.session.get(Project, project_id).code_name = code_name
        db.session.commit()


def test_county_wide_list_filters_and_keeps_to_the_county(app, api, activity_project_ids):
    """The 跟进记录 list of the county through the API: its own filters, no other county's
    rows, and a confidential project under its code name for everyone but owner and managers."""
    ids = activity_project_ids
    _confidential(app, ids["a"], "代号甲")
    for pid, user, body in (
        (ids["a"], "a_staff", BODY),
        (ids["a2"], "a_staff2", dict(BODY, kind="visit", occurred_on="2026-10-02", subject="实地考察厂房")),
        (ids["b"], "b_staff", dict(BODY, subject="扶风的洽谈")),
    ):
        assert api.post(f"/api/v1/projects/{pid}/activities", as_user=user, json=body).status_code == 201

    def listing(user, query=""):
        response = api.get(f"/api/v1/activities{query}", as_user=user)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    every = listing("a_manager")
    assert every["total"] == 2 and [i["subject"] for i in every["items"]] == [
        "投资协议条款洽谈",
        "实地考察厂房",
    ]
    assert {i["project_name"] for i in every["items"]} == {"岐山新能源电池项目", "岐山食品加工项目"}
    assert {i["project_name"] for i in listing("a_staff2")["items"]} == {"代号甲", "岐山食品加工项目"}
    assert listing("b_manager")["total"] == 1
    assert listing("city")["total"] == 3
    assert [i["subject"] for i in listing("a_leader", "?kind=visit")["items"]] == ["实地考察厂房"]
    assert listing("a_leader", "?date_from=2026年11月1日")["total"] == 1
    assert listing("a_leader", f"?project_id={ids['a2']}")["total"] == 1
    assert listing("a_leader", f"?project_id={ids['b']}")["total"] == 0
    assert listing("a_leader", "?q=厂房")["items"][0]["project_id"] == ids["a2"]
    paged = listing("a_manager", "?per_page=1&page=2")
    assert (paged["total"], len(paged["items"]), paged["items"][0]["subject"]) == (2, 1, "实地考察厂房")
    for query, status in (("?date_from=someday", 422), ("?kind=lunch", 400), ("?project_id=x", 400)):
        refused = api.get(f"/api/v1/activities{query}", as_user="a_manager")
        assert refused.status_code == status and refused.mimetype == "application/problem+json", query
    assert (
        "无法识别的日期"
        in api.get("/api/v1/activities?date_to=someday", as_user="a_staff").get_json()["errors"]["date"][0]
    )


def test_openapi_lists_the_county_wide_list(client):
    assert_documented(client, {"/activities": {"get"}}, {"ActivityRow"})


def test_an_activity_dated_after_today_is_refused_on_the_page_and_the_api(
    client, auth, api, activity_project_ids
):
    """A 跟进记录 records what happened: a day after the bureau's today is refused, as the
    ledger import refuses it (the clock is pinned at 2026-12-04)."""
    pid = activity_project_ids["a"]
    refused = api.post(
        f"/api/v1/projects/{pid}/activities",
        as_user="a_staff",
        json=dict(BODY, occurred_on="2026-12-05", next_follow_up_on=None),
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["occurred_on"] == ["跟进日期不能晚于今天（2026-12-04）"]
    auth.login("a_staff")
    form = {"kind": "visit", "occurred_on": "2027年1月1日", "subject": "提前写好的考察"}
    page = client.post(f"/projects/{pid}/activities/new", data=form)
    assert page.status_code == 422 and "跟进日期不能晚于今天" in page.get_data(as_text=True)
    assert "提前写好的考察" in page.get_data(as_text=True)  # the input is kept
    today = client.post(f"/projects/{pid}/activities/new", data={**form, "occurred_on": "2026-12-04"})
    assert today.status_code == 302


def test_a_percent_or_underscore_in_the_search_is_that_character(api, activity_project_ids):
    pid = activity_project_ids["a"]
    for subject in ("完成率达到80%的考察", "普通考察"):
        body = dict(BODY, subject=subject, next_follow_up_on=None)
        assert api.post(f"/api/v1/projects/{pid}/activities", as_user="a_staff", json=body).status_code == 201
    found = api.get("/api/v1/activities?q=%25", as_user="a_staff").get_json()
    assert [item["subject"] for item in found["items"]] == ["完成率达到80%的考察"]
    assert api.get("/api/v1/activities?q=_", as_user="a_staff").get_json()["total"] == 0


def test_the_recorded_by_filter_reads_in_pinyin_order(app, client, auth, world):
    """People are listed by the pinyin of their names, not by user name."""
    import re

    from crm.auth.models import User

    with app.app_context(), system_scope():
        for username, name in (
            ("a_leader", "张县长"),
            ("a_manager", "王局长"),
            ("a_staff", "李专员"),
            ("a_staff2", "赵专员"),
        ):
            db.session.get(User, world.ids[username]).display_name = name
        db.session.commit()
    auth.login("a_manager")
    page = client.get("/activities").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="created_by"[^>]*>(.*?)</select>', page, re.S).group(1)
    names = [name for name in re.findall(r"<option[^>]*>([^<]+)</option>", select) if name.strip()][1:]
    from crm.util.pinyin import sort_key

    assert names[:4] == ["李专员", "王局长", "张县长", "赵专员"] and names == sorted(names, key=sort_key)
