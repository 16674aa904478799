from datetime import date

from api_support import assert_documented, assert_not_found

BODY = {"month": "2026-03", "origin": "in_province", "amount_wan": "800", "evidence_ref": "验资报告 2026-17"}


def test_create_list_patch_delete_and_duplicate_409(app, api, signed_project_ids):
    app.config["TODAY"] = date(2026, 11, 23)
    pid = signed_project_ids["a"]
    created = api.post(f"/api/v1/projects/{pid}/funds", as_user="a_staff", json=BODY)
    assert created.status_code == 201
    item = created.get_json()
    assert (item["month"], item["origin"], item["amount_wan"]) == ("2026-03-01", "in_province", "800.00")
    duplicate = api.post(f"/api/v1/projects/{pid}/funds", as_user="a_staff2", json=dict(BODY, amount_wan=5))
    assert duplicate.status_code == 409
    problem = duplicate.get_json()
    assert f"#{item['id']}" in problem["detail"] and problem["current"]["id"] == item["id"]
    listing = api.get(f"/api/v1/projects/{pid}/funds", as_user="a_leader").get_json()
    assert listing["total"] == 1
    patched = api.patch(
        f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"amount_wan": 900.5, "version": 1}
    )
    assert patched.status_code == 200 and patched.get_json()["amount_wan"] == "900.50"
    assert (
        api.patch(
            f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"amount_wan": 1, "version": 1}
        ).status_code
        == 409
    )
    assert (
        api.delete(f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"version": 1}).status_code == 409
    )
    assert (
        api.delete(f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"version": 2}).status_code == 204
    )
    assert api.get(f"/api/v1/funds/{item['id']}", as_user="a_staff").status_code == 404


def test_bad_input_is_422_and_writes_nothing(api, signed_project_ids):
    pid = signed_project_ids["a"]
    for body, field in (
        (dict(BODY, amount_wan="0"), "amount_wan"),
        (dict(BODY, amount_wan=-3), "amount_wan"),
        (dict(BODY, amount_wan="lots"), "amount_wan"),
        (dict(BODY, amount_wan=True), "amount_wan"),
        (dict(BODY, month="March"), "month"),
        (dict(BODY, month=202603), "month"),
        (dict(BODY, origin="moon"), "origin"),
    ):
        response = api.post(f"/api/v1/projects/{pid}/funds", as_user="a_staff", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"], body
    assert api.get(f"/api/v1/projects/{pid}/funds", as_user="a_staff").get_json()["total"] == 0


def test_other_county_is_404_and_readers_are_403(api, signed_project_ids):
    pid_b = signed_project_ids["b"]
    item = api.post(f"/api/v1/projects/{pid_b}/funds", as_user="b_staff", json=BODY).get_json()
    assert_not_found(api, "a_staff", f"/api/v1/projects/{pid_b}/funds", ("get", "post"), BODY)
    assert_not_found(
        api, "a_staff", f"/api/v1/funds/{item['id']}", ("get", "patch", "delete"), {"version": 1}
    )
    assert api.post(f"/api/v1/projects/{pid_b}/funds", as_user="b_leader", json=BODY).status_code == 403
    assert api.patch(f"/api/v1/funds/{item['id']}", as_user="city", json={"version": 1}).status_code == 403
    assert api.delete(f"/api/v1/funds/{item['id']}", as_user="b_leader").status_code == 403


def test_openapi_lists_the_paths(client):
    assert_documented(
        client,
        {
            "/projects/{project_id}/funds": {"get", "post"},
            "/funds/{record_id}": {"get", "patch", "delete"},
            "/dashboard": {"get"},
        },
    )


def test_county_wide_ledger_filters_by_standing_and_keeps_to_the_county(app, api, signed_project_ids):
    """The county's funds ledger through the API: filtered by year, month, standing and
    project; another county's records never in it; a confidential project's code name."""
    from crm.core.db import db
    from crm.core.tenancy import system_scope
    from crm.projects.models import Project

    app.config["TODAY"] = date(2026, 11, 23)
    a, b = signed_project_ids["a"], signed_project_ids["b"]
    with app.app_context(), system_scope():
        db.session.get(Project, a).code_name = "代号乙"
        db.session.commit()
    made = [
        api.post(f"/api/v1/projects/{pid}/funds", as_user=user, json=dict(BODY, **extra)).get_json()
        for pid, user, extra in (
            (a, "a_staff", {}),
            (a, "a_staff", {"month": "2026-05", "exclusion": "bank_loan"}),
            (b, "b_staff", {}),
        )
    ]
    confirm = api.post(
        f"/api/v1/funds/{made[0]['id']}/confirm", as_user="a_manager", json={"version": made[0]["version"]}
    )
    assert confirm.status_code == 200

    def ledger(user, query=""):
        response = api.get(f"/api/v1/funds{query}", as_user=user)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    own = ledger("a_leader")
    assert [(i["month"], i["standing"]) for i in own["items"]] == [
        ("2026-05-01", "excluded"),
        ("2026-03-01", "counted"),
    ]
    assert {i["project_name"] for i in own["items"]} == {"代号乙"}
    assert {i["project_name"] for i in ledger("a_manager")["items"]} == {"岐山电池项目"}
    assert [i["id"] for i in ledger("a_leader", "?standing=counted")["items"]] == [made[0]["id"]]
    assert ledger("a_leader", "?month=2026-05")["total"] == 1
    assert ledger("a_leader", "?year=2025")["total"] == 0
    assert ledger("a_leader", f"?project_id={b}")["total"] == 0
    assert [i["id"] for i in ledger("b_manager")["items"]] == [made[2]["id"]]
    assert ledger("b_manager", "?standing=pending")["total"] == 1
    assert ledger("city")["total"] == 3
    for query in ("?month=2026-13", "?standing=maybe", "?year=1999"):
        refused = api.get(f"/api/v1/funds{query}", as_user="a_manager")
        assert refused.status_code == 400 and refused.mimetype == "application/problem+json", query
    no_year_zero = api.get("/api/v1/funds?month=0000-01", as_user="a_manager")
    assert no_year_zero.status_code == 422
    assert no_year_zero.get_json()["errors"]["month"] == ["月份不存在：0000-01"]


def test_openapi_lists_the_ledger(client):
    assert_documented(client, {"/funds": {"get"}}, {"FundsLedgerRow"})


def test_staff_cannot_delete_confirmed_money_by_editing_it_first(app, api, signed_project_ids):
    """A confirmed record is deleted only by a manager. An edit withdraws the 认定, but the
    record was confirmed: staff may still not delete it (an outside audit did, in two steps)."""
    app.config["TODAY"] = date(2026, 11, 23)
    pid = signed_project_ids["a"]
    item = api.post(f"/api/v1/projects/{pid}/funds", as_user="a_staff", json=BODY).get_json()
    unconfirmed = api.post(
        f"/api/v1/projects/{pid}/funds", as_user="a_staff", json=dict(BODY, month="2026-04")
    )
    confirmed = api.post(f"/api/v1/funds/{item['id']}/confirm", as_user="a_manager", json={"version": 1})
    assert confirmed.status_code == 200
    version = confirmed.get_json()["version"]
    assert (
        api.delete(f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"version": version}).status_code
        == 403
    )
    edited = api.patch(
        f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"amount_wan": "1234", "version": version}
    )
    assert edited.status_code == 200 and edited.get_json()["standing"] == "pending"
    refused = api.delete(
        f"/api/v1/funds/{item['id']}", as_user="a_staff", json={"version": edited.get_json()["version"]}
    )
    assert refused.status_code == 403 and "局长" in refused.get_json()["detail"]
    # Money never confirmed is the staff's to delete; the manager deletes either.
    assert api.delete(f"/api/v1/funds/{unconfirmed.get_json()['id']}", as_user="a_staff").status_code == 204
    assert api.delete(f"/api/v1/funds/{item['id']}", as_user="a_manager").status_code == 204
