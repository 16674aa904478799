"""The JSON API: policies, commitments, fulfillments, obligations; 404/403/409/422, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_support import assert_documented
from commitment_helpers import fulfil_over_api
from record_support import count_of

from crm.commitments.models import Commitment


def test_policies_list_is_county_plus_province(api, drafts):
    body = api.get("/api/v1/policies", as_user="a_staff").get_json()
    names = {p["name"]: p["region_level"] for p in body["items"]}
    assert names == {"岐山工业用地优惠": "county", "全省固定资产投资奖补": "province"}
    assert api.get(f"/api/v1/policies/{drafts['policy_b']}", as_user="a_staff").status_code == 404
    assert api.get(f"/api/v1/policies/{drafts['policy_province']}", as_user="b_staff").status_code == 200
    admin = api.get("/api/v1/policies", as_user="admin").get_json()
    assert [p["name"] for p in admin["items"]] == ["全省固定资产投资奖补"]


def test_policy_create_and_patch_rules(api, drafts):
    made = api.post(
        "/api/v1/policies",
        as_user="a_manager",
        json={
            "name": "贷款贴息",
            "kind": "loan_interest",
            "legal_basis": "岐财发〔2025〕1号",
            "max_amount_wan": "300",
            "valid_from": "2025-01-01",
        },
    )
    assert made.status_code == 201 and made.get_json()["region_level"] == "county"
    assert api.post("/api/v1/policies", as_user="a_staff", json={"name": "x"}).status_code == 403
    bad = api.post(
        "/api/v1/policies",
        as_user="a_manager",
        json={"name": "x", "kind": "other", "legal_basis": "y", "max_amount_wan": "abc", "valid_from": 5},
    )
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"max_amount_wan", "valid_from"}
    province = api.post(
        "/api/v1/policies",
        as_user="a_manager",
        json={
            "region_code": "610000",
            "name": "x",
            "kind": "other",
            "legal_basis": "y",
            "max_amount_wan": "1",
            "valid_from": "2025-01-01",
        },
    )
    assert province.status_code == 403
    pid = made.get_json()["id"]
    assert (
        api.patch(f"/api/v1/policies/{pid}", as_user="a_manager", json={"max_amount_wan": "200"}).status_code
        == 422
    )  # no version
    ok = api.patch(
        f"/api/v1/policies/{pid}", as_user="a_manager", json={"max_amount_wan": "200", "version": 1}
    )
    assert ok.status_code == 200 and ok.get_json()["max_amount_wan"] == "200.00"
    # Renaming at version 1: its own policy is stale by now, the province's is not the county's
    # to change, county B's is not there for county A.
    for policy_id, status in ((pid, 409), (drafts["policy_province"], 403), (drafts["policy_b"], 404)):
        renamed = api.patch(
            f"/api/v1/policies/{policy_id}", as_user="a_manager", json={"name": "y", "version": 1}
        )
        assert renamed.status_code == status, policy_id


def _new_commitment(api, drafts, **changes):
    body = {
        "policy_id": drafts["policy_a"],
        "clause": "厂房三年免租",
        "amount_wan": "150",
        "due_on": (drafts.today + timedelta(days=100)).isoformat(),
        "risk_legal_basis": "国土资发〔2009〕56号",
    }
    body.update(changes)
    return api.post(f"/api/v1/projects/{drafts['project_a']}/commitments", as_user="a_staff", json=body)


def test_commitment_lifecycle_over_the_api(api, drafts, app):
    created = _new_commitment(api, drafts)
    assert created.status_code == 201
    commitment = created.get_json()
    assert commitment["status"] == "draft" and commitment["allowed_actions"] == ["approve", "revoke"]
    cid = commitment["id"]
    assert commitment["risk_flags"] == ["land_price"] and commitment["fair_review"] == "pending"
    assert api.post(f"/api/v1/commitments/{cid}/approve", as_user="a_staff", json={}).status_code == 403
    unreviewed = api.post(f"/api/v1/commitments/{cid}/approve", as_user="a_manager", json={"version": 1})
    assert unreviewed.status_code == 422 and "合法性审核（司法局）" in unreviewed.get_json()["detail"]
    for kind, reviewer in (("fair_competition", "县市场监管局"), ("legality", "县司法局")):
        review = api.post(
            f"/api/v1/commitments/{cid}/reviews",
            as_user="a_staff",
            json={
                "kind": kind,
                "reviewer": reviewer,
                "reviewed_on": drafts.today.isoformat(),
                "document_no": f"审〔2026〕{kind}号",
                "conclusion": "passed",
                "attachment_ref": "档案 7",
                "version": api.version(f"/api/v1/commitments/{cid}", "a_staff"),
            },
        )
        assert review.status_code == 201 and review.get_json()["reviewer"] == reviewer
    shown = api.get(f"/api/v1/commitments/{cid}", as_user="a_leader").get_json()
    assert [r["document_no"] for r in shown["reviews"]] == [
        "审〔2026〕fair_competition号",
        "审〔2026〕legality号",
    ]
    assert (shown["fair_review"], shown["legal_review"]) == ("passed", "passed")
    approved = api.post(
        f"/api/v1/commitments/{cid}/approve", as_user="a_manager", json={"version": shown["version"]}
    )
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    paid = fulfil_over_api(api, drafts, cid, 100, "凭证 1", approved.get_json()["version"])
    assert paid.status_code == 201 and paid.get_json()["commitment"]["status"] == "partially_fulfilled"
    over = fulfil_over_api(
        api, drafts, cid, "50.01", "凭证 2", api.version(f"/api/v1/commitments/{cid}", "a_staff")
    )
    assert over.status_code == 422 and "剩余可兑现 50.00 万元" in over.get_json()["detail"]
    listing = api.get(f"/api/v1/commitments/{cid}/fulfillments", as_user="a_leader").get_json()
    assert listing["total"] == 1 and listing["items"][0]["amount_wan"] == "100.00"
    suspended = api.post(
        f"/api/v1/commitments/{cid}/transitions",
        as_user="a_manager",
        json={
            "action": "suspend",
            "note": "核查中",
            "version": api.version(f"/api/v1/commitments/{cid}", "a_staff"),
        },
    )
    assert suspended.get_json()["status"] == "suspended"
    refused = api.act(f"/api/v1/commitments/{cid}", "transitions", "a_manager", action="approve")
    assert refused.status_code == 422 and "不能批准" in refused.get_json()["detail"]
    register = api.get("/api/v1/commitments?status=suspended", as_user="city").get_json()
    assert [c["id"] for c in register["items"]] == [cid]
    assert register["figures"]["promised"] == "150.00" and register["figures"]["fulfilled"] == "100.00"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount_wan": "-3"}, "amount_wan"),
        ({"amount_wan": 0}, "amount_wan"),
        ({"amount_wan": "一百"}, "amount_wan"),
        ({"amount_wan": True}, "amount_wan"),
        ({"due_on": "2020-13-01"}, "due_on"),
        ({"due_on": 20250101}, "due_on"),
        ({"policy_id": "abc"}, "policy_id"),
        ({"policy_id": 99999}, "policy_id"),
        ({"policy_id": 2**80}, "policy_id"),
        ({"amount_wan": "9999999999999"}, "amount_wan"),
        ({"clause": ["list"]}, "clause"),
        ({"fair_review": "maybe"}, "fair_review"),
    ],
)
def test_bad_commitment_input_is_422_and_writes_nothing(api, drafts, app, changes, field):
    before = count_of(app, Commitment)
    response = _new_commitment(api, drafts, **changes)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert count_of(app, Commitment) == before


def test_non_object_body_is_400(api, drafts):
    response = api.post(
        f"/api/v1/projects/{drafts['project_a']}/commitments",
        as_user="a_staff",
        data="[1]",
        content_type="application/json",
    )
    assert response.status_code == 400


def test_patch_needs_current_version(api, drafts):
    url = f"/api/v1/commitments/{drafts['draft_a']}"
    assert api.patch(url, as_user="a_staff", json={"amount_wan": "200"}).status_code == 422
    ok = api.patch(url, as_user="a_staff", json={"amount_wan": "200", "version": 1})
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    stale = api.patch(url, as_user="a_staff2", json={"amount_wan": "250", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["current"]["amount_wan"] == "200.00"
    assert api.patch(url, as_user="a_staff", json={"status": "fulfilled", "version": 2}).status_code == 422
    assert api.patch(url, as_user="a_leader", json={"amount_wan": "1", "version": 2}).status_code == 403


def test_obligations_over_the_api_with_withhold(api, drafts, app):
    cid = drafts["draft_a"]
    commitment_url = f"/api/v1/commitments/{cid}"
    approved = api.act(commitment_url, "approve", "a_manager")
    assert approved.status_code == 200
    created = api.post(
        f"/api/v1/projects/{drafts['project_a']}/obligations",
        as_user="a_staff",
        json={
            "kind": "construction_start",
            "due_on": (drafts.today - timedelta(days=1)).isoformat(),
            "consequence": "withhold",
        },
    )
    assert created.status_code == 201
    oid = created.get_json()["id"]
    version = created.get_json()["version"]
    bad = api.post(
        f"/api/v1/obligations/{oid}/outcome", as_user="a_staff", json={"missed": "yes", "version": version}
    )
    assert bad.status_code == 422
    unread = api.post(f"/api/v1/obligations/{oid}/outcome", as_user="a_staff", json={"missed": True})
    assert unread.status_code == 422 and "version" in unread.get_json()["errors"]  # an action carries it
    missed = api.post(
        f"/api/v1/obligations/{oid}/outcome", as_user="a_staff", json={"missed": True, "version": version}
    )
    assert missed.get_json()["status"] == "missed" and missed.get_json()["withholding"] is True
    assert api.get(f"/api/v1/commitments/{cid}", as_user="a_staff").get_json()["status"] == "suspended"
    version = missed.get_json()["version"]
    staff = api.post(
        f"/api/v1/obligations/{oid}/lift", as_user="a_staff", json={"note": "x", "version": version}
    )
    assert staff.status_code == 403
    lifted = api.post(
        f"/api/v1/obligations/{oid}/lift", as_user="a_manager", json={"note": "已开工", "version": version}
    )
    assert lifted.status_code == 200 and [c["status"] for c in lifted.get_json()["restored"]] == ["approved"]
    assert (
        api.patch(
            f"/api/v1/obligations/{drafts['obligation_a']}",
            as_user="a_staff",
            json={"target_value": "x", "version": 1},
        ).status_code
        == 422
    )
    patched = api.patch(
        f"/api/v1/obligations/{drafts['obligation_a']}",
        as_user="a_staff",
        json={"target_value": 18, "version": 1},
    )
    assert patched.status_code == 200 and patched.get_json()["target_value"] == "18.00"


def test_other_countys_ids_are_404_on_every_api_route(api, drafts):
    b = drafts.ids
    gets = [
        f"/api/v1/projects/{b['project_b']}/commitments",
        f"/api/v1/commitments/{b['draft_b']}",
        f"/api/v1/commitments/{b['draft_b']}/fulfillments",
        f"/api/v1/projects/{b['project_b']}/obligations",
        f"/api/v1/obligations/{b['obligation_b']}",
        f"/api/v1/policies/{b['policy_b']}",
    ]
    posts = [
        f"/api/v1/projects/{b['project_b']}/commitments",
        f"/api/v1/commitments/{b['draft_b']}/approve",
        f"/api/v1/commitments/{b['draft_b']}/transitions",
        f"/api/v1/commitments/{b['draft_b']}/fulfillments",
        f"/api/v1/projects/{b['project_b']}/obligations",
        f"/api/v1/obligations/{b['obligation_b']}/outcome",
        f"/api/v1/obligations/{b['obligation_b']}/lift",
    ]
    patches = [
        f"/api/v1/commitments/{b['draft_b']}",
        f"/api/v1/obligations/{b['obligation_b']}",
        f"/api/v1/policies/{b['policy_b']}",
    ]
    for url in gets:
        assert api.get(url, as_user="a_manager").status_code == 404, url
    for url in posts:
        assert api.post(url, as_user="a_manager", json={"note": "x", "version": 1}).status_code == 404, url
    for url in patches:
        assert api.patch(url, as_user="a_manager", json={"version": 1}).status_code == 404, url
    assert api.get("/api/v1/commitments", as_user="a_manager").get_json()["total"] == 1


def test_read_roles(api, drafts):
    assert api.get(f"/api/v1/commitments/{drafts['draft_a']}", as_user="a_leader").status_code == 200
    assert api.get(f"/api/v1/commitments/{drafts['draft_a']}", as_user="prov").status_code == 200
    assert api.get(f"/api/v1/commitments/{drafts['draft_a']}", as_user="admin").status_code == 403
    assert (
        api.post(
            f"/api/v1/projects/{drafts['project_a']}/commitments", as_user="a_leader", json={}
        ).status_code
        == 403
    )
    # A query parameter outside its documented schema is 400 on every list (crm.api.contract).
    assert api.get("/api/v1/commitments?due_within=x", as_user="a_staff").status_code == 400


def test_openapi_lists_the_commitment_paths(client):
    assert_documented(
        client,
        {
            "/policies": set(),
            "/projects/{project_id}/commitments": set(),
            "/commitments/{commitment_id}": {"patch"},
            "/commitments/{commitment_id}/approve": set(),
            "/commitments/{commitment_id}/fulfillments": set(),
            "/projects/{project_id}/obligations": set(),
            "/obligations/{obligation_id}/lift": set(),
        },
        {"Commitment", "Fulfillment"},
    )


def test_other_countys_policy_id_is_unknown_to_the_api(api, drafts, app):
    response = _new_commitment(api, drafts, policy_id=drafts["policy_b"])
    assert response.status_code == 422 and response.get_json()["errors"]["policy_id"] == ["未知的政策"]


def test_oversized_values_are_422_not_500(api, drafts):
    commitment_url = f"/api/v1/commitments/{drafts['draft_a']}"
    version = api.version(commitment_url, "a_manager")
    assert (
        api.post(f"{commitment_url}/approve", as_user="a_manager", json={"version": version}).status_code
        == 200
    )
    long_evidence = fulfil_over_api(api, drafts, drafts["draft_a"], "1", "凭" * 201, version + 1)  # approved
    assert long_evidence.status_code == 422 and "evidence" in long_evidence.get_json()["errors"]
    huge = api.post(
        f"/api/v1/obligations/{drafts['obligation_a']}/outcome",
        as_user="a_staff",
        json={"actual_value": "1e20", "version": 1},
    )
    assert huge.status_code == 422 and "actual_value" in huge.get_json()["errors"]
    policy = api.post(
        "/api/v1/policies",
        as_user="a_manager",
        json={
            "name": "名" * 201,
            "kind": "other",
            "legal_basis": "x",
            "max_ratio_pct": "NaN",
            "valid_from": "2025-01-01",
        },
    )
    assert policy.status_code == 422 and "max_ratio_pct" in policy.get_json()["errors"]
