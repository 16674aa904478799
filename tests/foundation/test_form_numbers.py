"""A number no column can hold is refused beside its field (422, input kept), on every
form: the base form's check (``crm.core.forms.unstorable_number``), seen on the pages where
an outside audit found each kind of number failing in the database or in a comparison."""

from __future__ import annotations

from datetime import date

from record_support import owned_project, save_records

HUGE = "99999999999999999999"


def test_a_huge_integer_on_the_targets_page_is_a_field_error(client, auth, world):
    auth.login("a_manager")
    response = client.post(
        "/funds/targets", data={"year": "2026", "funds_target_wan": "100", "signed_projects_target": HUGE}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "数字过大" in page and HUGE in page
    fixed = client.post(
        "/funds/targets", data={"year": "2026", "funds_target_wan": "100", "signed_projects_target": "12"}
    )
    assert fixed.status_code == 302


def test_a_huge_sort_order_of_a_chain_segment_is_a_field_error(client, auth, world):
    auth.login("a_manager")
    created = client.post("/chains/new", data={"name": "新能源汽车", "industry": "汽车"})
    assert created.status_code == 302, created.get_data(as_text=True)
    chain_url = created.headers["Location"]
    response = client.post(
        f"{chain_url}/segments/new",
        data={"name": "电池", "stage": "upstream", "importance": "core", "sort_order": HUGE},
    )
    assert response.status_code == 422 and "数字过大" in response.get_data(as_text=True)


def test_nan_as_an_obligation_target_is_a_field_error(app, client, auth, world):
    app.config["TODAY"] = date(2026, 11, 23)
    ids = save_records(
        app, {"p": owned_project(world, "a_staff", "岐山电池项目", "signed", signed_on=date(2026, 2, 1))}
    )
    auth.login("a_manager")
    form = {
        "kind": "investment_amount",
        "target_value": "NaN",
        "due_on": "2027-06-30",
        "consequence": "withhold",
    }
    response = client.post(f"/projects/{ids['p']}/obligations/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写有效的数字" in page
    too_big = client.post(f"/projects/{ids['p']}/obligations/new", data={**form, "target_value": "1e20"})
    assert too_big.status_code == 422 and "数字过大" in too_big.get_data(as_text=True)
