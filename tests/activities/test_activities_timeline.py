"""Activities and funds appear on the project's detail page timeline."""


def test_detail_timeline_shows_activities_and_funds(app, client, auth, activity_project_ids):
    pid = activity_project_ids["a"]
    auth.login("a_staff")
    client.post(
        f"/projects/{pid}/activities/new",
        data={
            "kind": "negotiation",
            "occurred_on": "2026-11-02",
            "subject": "第二轮合同洽谈",
            "next_step": "准备签约仪式",
        },
    )
    client.post(
        f"/projects/{pid}/funds/new", data={"month": "2026-10", "origin": "in_province", "amount_wan": "321"}
    )
    body = client.get(f"/projects/{pid}").get_data(as_text=True)
    assert "第二轮合同洽谈" in body and "准备签约仪式" in body
    assert "321.00" in body and "待认定" in body  # recorded, awaiting a manager's 认定
    auth.logout()
    auth.login("b_staff")
    assert client.get(f"/projects/{pid}").status_code == 404
