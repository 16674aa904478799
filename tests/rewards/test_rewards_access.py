"""Another county's ids answer 404 everywhere (pages, API, CLI); roles without the right get 403."""

from datetime import date

import pytest
from reward_helpers import export_args

from crm.rewards.models import Referral, RewardList

NOV = date(2025, 11, 1)


@pytest.fixture
def county_b_rewards(reward_builder):
    pid = reward_builder.project("扶风项目", county="b", funds=[(NOV, 2000)])
    referral = reward_builder.referral(pid, name="扶风引荐人")
    claim = reward_builder.referral(pid, name="扶风争议")
    rule = reward_builder.rule(county="b")
    draft = reward_builder.create_list(rule)
    final = reward_builder.create_list(reward_builder.rule(county="b", name="另一办法"))
    reward_builder.finalize(final)
    return {
        "project": pid,
        "referral": referral,
        "claim": claim,
        "rule": rule,
        "draft": draft,
        "final": final,
    }


def web_routes(ids):
    r, c, rule, d, f = ids["referral"], ids["claim"], ids["rule"], ids["draft"], ids["final"]
    return [
        ("GET", f"/rewards/referrals/{r}/edit"),
        ("POST", f"/rewards/referrals/{r}/edit"),
        ("POST", f"/rewards/referrals/{r}/delete"),
        ("POST", f"/rewards/disputes/{c}/resolve"),
        ("GET", f"/rewards/rules/{rule}"),
        ("GET", f"/rewards/rules/{rule}?period=2025Q4"),
        ("GET", f"/rewards/rules/{rule}/edit"),
        ("POST", f"/rewards/rules/{rule}/edit"),
        ("GET", f"/rewards/rules/{rule}/export.xlsx?period=2025Q4"),
        ("GET", f"/rewards/rules/{rule}/export.csv?period=2025Q4"),
        ("GET", f"/rewards/lists/{d}"),
        ("POST", f"/rewards/lists/{d}/refresh"),
        ("POST", f"/rewards/lists/{d}/finalize"),
        ("POST", f"/rewards/lists/{d}/delete"),
        ("GET", f"/rewards/lists/{f}/export.xlsx"),
        ("GET", f"/rewards/lists/{f}/export.csv"),
        ("GET", f"/rewards/lists/{f}/notice"),
    ]


def test_other_county_ids_are_404_on_every_page(client, auth, reward_builder, county_b_rewards):
    auth.login("a_manager")
    for method, path in web_routes(county_b_rewards):
        response = client.open(
            path,
            method=method,
            data={"action": "replace", "rule_id": county_b_rewards["rule"], "period": "2025Q4"},
        )
        assert response.status_code == 404, (method, path)
    # Forms that take ids: another county's project or rule is a 404 too, and nothing is written.
    data = {
        "project_id": str(county_b_rewards["project"]),
        "referrer_name": "x",
        "referrer_kind": "individual",
        "registered_on": "2025-01-01",
    }
    assert client.post("/rewards/referrals/new", data=data).status_code in (404, 422)
    assert client.post(
        "/rewards/lists/new", data={"rule_id": str(county_b_rewards["rule"]), "period": "2025Q4"}
    ).status_code in (404, 422)
    assert reward_builder.referrals_of(county_b_rewards["project"]) == {
        "扶风引荐人": "active",
        "扶风争议": "disputed",
    }
    assert reward_builder.get(RewardList, county_b_rewards["draft"]).status == "draft"
    listing = client.get("/rewards/").get_data(as_text=True) + client.get("/rewards/referrals").get_data(
        as_text=True
    )
    assert "扶风" not in listing
    assert "扶风争议" not in client.get("/rewards/disputes").get_data(as_text=True)


def api_routes(ids):
    r, rule, d = ids["referral"], ids["rule"], ids["draft"]
    return [
        ("GET", f"/api/v1/reward-rules/{rule}", None),
        ("GET", f"/api/v1/reward-rules/{rule}/eligibility?period=2025", None),
        ("GET", f"/api/v1/reward-lists/{d}", None),
        ("POST", f"/api/v1/reward-lists/{d}/finalize", {}),
        ("POST", "/api/v1/reward-lists", {"rule_id": rule, "period": "2025Q4"}),
        ("GET", f"/api/v1/referrals/{r}", None),
        ("PATCH", f"/api/v1/referrals/{r}", {"version": 1}),
        ("DELETE", f"/api/v1/referrals/{r}", None),
        ("POST", f"/api/v1/referrals/{ids['claim']}/resolve", {"action": "replace"}),
        (
            "POST",
            "/api/v1/referrals",
            {
                "project_id": ids["project"],
                "referrer_name": "x",
                "referrer_kind": "unit",
                "registered_on": "2025-01-01",
            },
        ),
    ]


def test_other_county_ids_are_404_on_every_api_route(api, reward_builder, county_b_rewards):
    for method, path, body in api_routes(county_b_rewards):
        call = getattr(api, method.lower())
        response = (
            call(path, as_user="a_manager", json=body)
            if body is not None
            else call(path, as_user="a_manager")
        )
        assert response.status_code == 404, (method, path, response.get_json())
        assert response.mimetype == "application/problem+json"
    lists = api.get("/api/v1/reward-lists", as_user="a_manager").get_json()
    assert lists["total"] == 0
    assert reward_builder.referrals_of(county_b_rewards["project"]) == {
        "扶风引荐人": "active",
        "扶风争议": "disputed",
    }


def test_cli_refuses_a_rule_of_another_county(runner, reward_builder, county_b_rewards, tmp_path):
    out = tmp_path / "x.xlsx"
    result = runner.invoke(args=export_args(county_b_rewards["rule"], out))
    assert result.exit_code != 0
    assert f"奖励办法 #{county_b_rewards['rule']} 不存在或不属于 岐山县" in result.output
    assert not out.exists()


def test_staff_and_leaders_cannot_finalize(client, auth, api, reward_builder):
    rule = reward_builder.rule()
    list_id = reward_builder.create_list(rule)
    auth.login("a_staff")
    assert client.post(f"/rewards/lists/{list_id}/finalize", data={}).status_code == 403
    auth.logout()
    auth.login("a_leader")
    assert client.post(f"/rewards/lists/{list_id}/finalize", data={}).status_code == 403
    assert client.post(f"/rewards/lists/{list_id}/refresh", data={}).status_code == 403
    url = f"/api/v1/reward-lists/{list_id}"
    read = {"version": api.version(url, "a_manager")}
    for user in ("a_staff", "a_leader", "city"):
        assert api.post(f"{url}/finalize", as_user=user, json=read).status_code == 403
    assert reward_builder.get(RewardList, list_id).status == "draft"
    assert api.post(f"{url}/finalize", as_user="a_manager", json=read).status_code == 200


def test_only_managers_delete_referrals_and_resolve_disputes(client, auth, api, reward_builder):
    pid = reward_builder.project("项目")
    referral = reward_builder.referral(pid, name="甲")
    claim = reward_builder.referral(pid, name="乙")
    auth.login("a_staff")
    assert client.post(f"/rewards/referrals/{referral}/delete").status_code == 403
    assert client.post(f"/rewards/disputes/{claim}/resolve", data={"action": "replace"}).status_code == 403
    assert api.delete(f"/api/v1/referrals/{referral}", as_user="a_staff").status_code == 403
    assert (
        api.post(
            f"/api/v1/referrals/{claim}/resolve", as_user="a_staff", json={"action": "replace"}
        ).status_code
        == 403
    )
    assert (
        api.post(
            "/api/v1/referrals",
            as_user="a_leader",
            json={
                "project_id": pid,
                "referrer_name": "丙",
                "referrer_kind": "unit",
                "registered_on": "2025-01-01",
            },
        ).status_code
        == 403
    )
    assert reward_builder.referrals_of(pid) == {"甲": "active", "乙": "disputed"}
    assert reward_builder.get(Referral, referral).status == "active"


def test_a_manager_deletes_a_referral_no_finalized_list_uses(client, auth, reward_builder):
    pid = reward_builder.project("项目")
    referral = reward_builder.referral(pid, name="甲")
    auth.login("a_manager")
    deleted = client.post(f"/rewards/referrals/{referral}/delete", follow_redirects=True)
    assert deleted.status_code == 200 and "引荐备案已删除" in deleted.get_data(as_text=True)
    assert reward_builder.referrals_of(pid) == {}
