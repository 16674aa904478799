import csv
import io
from datetime import date

from api_support import assert_documented
from openpyxl import load_workbook
from reward_helpers import export_args

NOV = date(2025, 11, 1)


def _setup(reward_builder):
    good = reward_builder.project("风电装备项目", funds=[(NOV, "2000")])
    reward_builder.referral(good, name="周原商会", kind="unit")
    reward_builder.project("无备案项目", funds=[(NOV, "300")])
    return reward_builder.rule(mode="bracket", cap_wan="100")


def test_api_eligibility_lists_and_finalize(api, reward_builder):
    rule = _setup(reward_builder)
    rules = api.get("/api/v1/reward-rules", as_user="a_leader").get_json()
    assert rules["total"] == 1 and rules["items"][0]["tiers"][0] == {
        "upper_wan": "1000",
        "rate_permille": "5",
    }
    body = api.get(f"/api/v1/reward-rules/{rule}/eligibility?period=2025Q4", as_user="a_leader").get_json()
    assert body["period"] == {"text": "2025Q4", "start": "2025-10-01", "end": "2025-12-31"}
    assert [(line["project_name"], line["reward_wan"], line["arithmetic"]) for line in body["eligible"]] == [
        ("风电装备项目", "6.00", "2000.00 × 3‰ = 6.00 万元")
    ]
    assert [(line["project_name"], line["reason_code"]) for line in body["ineligible"]] == [
        ("无备案项目", "no_referral")
    ]
    assert body["total_reward_wan"] == "6.00"

    bad = api.get(f"/api/v1/reward-rules/{rule}/eligibility?period=2025Q9", as_user="a_leader")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "2025Q9" in bad.get_json()["errors"]["period"][0]
    assert (
        api.post(
            "/api/v1/reward-lists", as_user="a_staff", json={"rule_id": rule, "period": "Q4"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            "/api/v1/reward-lists", as_user="a_staff", json={"rule_id": "1", "period": "2025"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            "/api/v1/reward-lists", as_user="a_leader", json={"rule_id": rule, "period": "2025"}
        ).status_code
        == 403
    )

    created = api.post("/api/v1/reward-lists", as_user="a_staff", json={"rule_id": rule, "period": "2025Q4"})
    assert created.status_code == 201
    list_id = created.get_json()["id"]
    assert created.get_json()["status"] == "draft"
    final = api.post(f"/api/v1/reward-lists/{list_id}/finalize", as_user="a_manager", json={"version": 99})
    assert final.status_code == 409
    final = api.post(
        f"/api/v1/reward-lists/{list_id}/finalize",
        as_user="a_manager",
        json={"version": created.get_json()["version"]},
    )
    assert final.status_code == 200 and final.get_json()["status"] == "finalized"
    again = api.post(
        f"/api/v1/reward-lists/{list_id}/finalize",
        as_user="a_manager",
        json={"version": final.get_json()["version"]},
    )
    assert again.status_code == 422 and "已定稿" in again.get_json()["detail"]
    got = api.get(f"/api/v1/reward-lists/{list_id}", as_user="a_leader").get_json()
    assert got["rule_version"] == 1 and got["eligible"][0]["reward_wan"] == "6.00"
    listed = api.get("/api/v1/reward-lists?status=finalized", as_user="a_leader").get_json()
    assert [item["id"] for item in listed["items"]] == [list_id] and "eligible" not in listed["items"][0]


def test_api_referrals_crud_and_second_claim(api, reward_builder):
    pid = reward_builder.project("项目", signed_on=date(2025, 11, 10))
    payload = {
        "project_id": pid,
        "referrer_name": "王建国",
        "referrer_kind": "individual",
        "registered_on": "2025-11-12",
        "investor_confirmed": True,
        "investor_confirmed_on": "2025-11-13",
    }
    first = api.post("/api/v1/referrals", as_user="a_staff", json=payload)
    assert first.status_code == 201
    referral = first.get_json()
    assert referral["status"] == "active" and referral["registered_after_signing"] is True
    second = api.post("/api/v1/referrals", as_user="a_staff", json={**payload, "referrer_name": "李秀梅"})
    assert second.status_code == 409 and second.get_json()["referral"]["status"] == "disputed"
    disputed = api.get("/api/v1/referrals?status=disputed", as_user="a_manager").get_json()
    assert [r["referrer_name"] for r in disputed["items"]] == ["李秀梅"]

    bad = api.post(
        "/api/v1/referrals",
        as_user="a_staff",
        json={**payload, "investor_confirmed": "yes", "registered_on": "someday"},
    )
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"investor_confirmed", "registered_on"}
    assert (
        api.patch(
            f"/api/v1/referrals/{referral['id']}", as_user="a_staff", json={"contact": "0917-1"}
        ).status_code
        == 422
    )  # version required
    stale = api.patch(
        f"/api/v1/referrals/{referral['id']}", as_user="a_staff", json={"version": 0, "contact": "x"}
    )
    assert stale.status_code == 409
    ok = api.patch(
        f"/api/v1/referrals/{referral['id']}",
        as_user="a_staff",
        json={"version": referral["version"], "registered_on": "2025-11-01"},
    )
    assert ok.status_code == 200 and ok.get_json()["registered_after_signing"] is False
    assert ok.get_json()["referrer_name"] == "王建国"
    resolved = api.post(
        f"/api/v1/referrals/{second.get_json()['referral']['id']}/resolve",
        as_user="a_manager",
        json={"action": "keep"},
    )
    assert resolved.status_code == 200 and resolved.get_json()["status"] == "rejected"
    assert api.delete(f"/api/v1/referrals/{referral['id']}", as_user="a_manager").status_code == 204
    assert api.get(f"/api/v1/referrals/{referral['id']}", as_user="a_manager").status_code == 404


def test_openapi_documents_the_reward_paths(api):
    assert_documented(
        api,
        {
            "/reward-rules": set(),
            "/reward-rules/{id}/eligibility": set(),
            "/reward-lists": set(),
            "/reward-lists/{id}": set(),
            "/reward-lists/{id}/finalize": {"post"},
            "/referrals": set(),
            "/referrals/{id}": set(),
        },
        {"RewardRule", "RewardList", "RewardLine", "Referral", "Eligibility"},
    )


def test_cli_exports_xlsx_and_csv(runner, reward_builder, tmp_path):
    rule = _setup(reward_builder)
    xlsx = tmp_path / "奖励.xlsx"
    result = runner.invoke(args=export_args(rule, xlsx))
    assert result.exit_code == 0, result.output
    assert "1 个符合条件" in result.output and "未定稿" in result.output
    book = load_workbook(xlsx)
    assert book.sheetnames == ["符合条件", "不符合条件", "奖励办法"]
    assert book["符合条件"]["B2"].value == "风电装备项目"
    out_csv = tmp_path / "奖励.csv"
    result = runner.invoke(args=export_args(rule, out_csv, "--encoding", "gb18030"))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out_csv.read_bytes().decode("gb18030"), newline="")))
    assert [row[1] for row in rows[1:]] == ["风电装备项目", "无备案项目"]


def test_cli_exports_the_finalized_snapshot_for_its_period(runner, reward_builder, tmp_path):
    rule = _setup(reward_builder)
    reward_builder.finalize(reward_builder.create_list(rule))
    out = tmp_path / "q4.csv"
    result = runner.invoke(args=export_args(rule, out))
    assert result.exit_code == 0 and "定稿名单" in result.output
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1][1] == "风电装备项目" and rows[1][5] == "是"  # not "already rewarded" by its own list


def test_cli_bad_input_is_a_clear_error(runner, reward_builder, tmp_path):
    rule = _setup(reward_builder)
    bad_period = runner.invoke(args=export_args(rule, tmp_path / "x.xlsx", period="2025Q5"))
    assert bad_period.exit_code != 0 and "无法识别的期间" in bad_period.output
    bad_ext = runner.invoke(args=export_args(rule, tmp_path / "x.pdf"))
    assert bad_ext.exit_code != 0 and ".xlsx" in bad_ext.output
    unknown = runner.invoke(args=export_args(rule, tmp_path / "x.xlsx", county="999999", period="2025"))
    assert unknown.exit_code != 0 and "999999" in unknown.output
    missing = runner.invoke(args=export_args("9999", tmp_path / "x.xlsx", period="2025"))
    assert missing.exit_code != 0 and "#9999" in missing.output
