"""存量清理 (issue 14 item 12): withdrawing or failing a policy lists every live commitment
under it for a manager to continue (on a collective decision) or revoke."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from commitment_helpers import acting, bring_to_status, change_policy, draft_commitment, user_named

from crm.commitments import queries, services
from crm.commitments.collective import DecisionInput
from crm.commitments.models import Commitment, Policy
from crm.commitments.policies import NotAllowed, withdraw_policy
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.projects.models import Project

MEETING = DecisionInput("岐山县人民政府第 15 次常务会议", date(2026, 12, 1), "岐政常纪〔2026〕15号")


def _live_and_closed(drafts):
    """Under county A's land policy: the draft, one approved, one fulfilled (closed)."""
    manager, staff = user_named("a_manager"), user_named("a_staff")
    project = db.session.get(Project, drafts["project_a"])
    policy = db.session.get(Policy, drafts["policy_a"])
    approved = bring_to_status(
        draft_commitment(project, policy, staff, drafts.today), "approved", manager, drafts.today
    )
    fulfilled = bring_to_status(
        draft_commitment(project, policy, staff, drafts.today, amount="50"),
        "fulfilled",
        manager,
        drafts.today,
    )
    return policy, approved, fulfilled


def _withdraw(policy, drafts, **extra):
    values = {
        "withdrawn_on": drafts.today - timedelta(days=1),
        "document": "岐政发〔2026〕30号",
        "reason": "公平竞争审查存量清理",
        "today": drafts.today,
    }
    values.update(extra)
    return withdraw_policy(policy, user_named("a_manager"), **values)


def test_withdrawing_a_policy_lists_its_live_commitments_only(app, drafts):
    with acting(app):
        policy, approved, fulfilled = _live_and_closed(drafts)
        assert queries.cleanup_list() == []
        _withdraw(policy, drafts)
        assert queries.cleanup_list() == [approved]  # not the draft, not the fulfilled one
        assert approved.cleanup_cause()[0] == "withdrawn" and fulfilled.cleanup_cause() is None


def test_a_withdrawn_policy_backs_no_new_promise_and_no_approval(app, drafts):
    with acting(app):
        draft = db.session.get(Commitment, drafts["draft_a"])
        _withdraw(db.session.get(Policy, drafts["policy_a"]), drafts)
        with pytest.raises(ServiceError, match="废止"):
            services.approve_commitment(draft, user_named("a_manager"))
        with pytest.raises(ServiceError) as refused:
            draft_commitment(draft.project, draft.policy, user_named("a_staff"), drafts.today)
        assert "废止" in refused.value.errors["policy_id"][0]


def test_withdrawal_needs_date_document_and_reason_and_the_right_manager(app, drafts):
    with acting(app):
        policy = db.session.get(Policy, drafts["policy_a"])
        with pytest.raises(ServiceError) as refused:
            _withdraw(policy, drafts, withdrawn_on=drafts.today + timedelta(days=1), document=" ", reason="")
        assert set(refused.value.errors) == {"withdrawn_on", "document", "reason"}
        with pytest.raises(NotAllowed):
            withdraw_policy(
                policy,
                user_named("b_manager"),
                withdrawn_on=drafts.today,
                document="x",
                reason="y",
                today=drafts.today,
            )
        assert policy.withdrawn_on is None


def test_a_failed_review_lists_them_too(app, drafts):
    with acting(app):
        policy, approved, _fulfilled = _live_and_closed(drafts)
        change_policy(policy, user_named("a_manager"), max_ratio_pct=None, fair_review="failed")
        assert [(c, c.cleanup_cause()[0]) for c in queries.cleanup_list()] == [(approved, "review_failed")]


def test_continuing_needs_a_collective_decision_and_revoking_revokes(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        policy, approved, _fulfilled = _live_and_closed(drafts)
        second = bring_to_status(
            draft_commitment(approved.project, policy, user_named("a_staff"), drafts.today, amount="20"),
            "approved",
            manager,
            drafts.today,
        )
        _withdraw(policy, drafts)
        with pytest.raises(ServiceError) as refused:
            services.resolve_cleanup(approved, manager, resolution="continue", note="依约继续")
        assert "decision_minute_no" in refused.value.errors
        with pytest.raises(NotAllowed):
            services.resolve_cleanup(approved, user_named("a_staff"), resolution="revoke", note="x")
        services.resolve_cleanup(approved, manager, resolution="continue", note="依约继续", decision=MEETING)
        services.resolve_cleanup(second, manager, resolution="revoke", note="协商解除")
        assert approved.status == "approved" and second.status == "revoked"
        assert queries.cleanup_list() == []
        with pytest.raises(ServiceError, match="不在存量清理清单上"):
            services.resolve_cleanup(approved, manager, resolution="revoke", note="再处理")


def test_the_manager_works_through_the_list_on_its_page(client, auth, drafts, app):
    with app.app_context(), system_scope():
        policy, approved, _fulfilled = _live_and_closed(drafts)
        _withdraw(policy, drafts)
        db.session.commit()
        approved_id, version = approved.id, approved.version
    auth.login("a_leader")
    assert 'data-testid="cleanup-link"' in client.get("/commitments").get_data(as_text=True)
    page = client.get("/commitments/cleanup").get_data(as_text=True)
    assert f'data-cleanup="{approved_id}" data-cause="withdrawn"' in page and "岐政发〔2026〕30号" in page
    assert "记录处理结果" not in page  # a leader reads; a manager decides
    auth.logout()
    auth.login("a_manager")
    url = f"/commitments/{approved_id}/cleanup"
    refused = client.post(url, data={"resolution": "continue", "note": "依约继续", "version": str(version)})
    assert refused.status_code == 422 and "请填写会议纪要号" in refused.get_data(as_text=True)
    decision = {
        "decision_meeting": MEETING.meeting,
        "decision_held_on": "2026-12-01",
        "decision_minute_no": MEETING.minute_no,
    }
    done = client.post(
        url, data={"resolution": "continue", "note": "依约继续", "version": str(version), **decision}
    )
    assert done.status_code == 302
    assert 'data-testid="cleanup-empty"' in client.get("/commitments/cleanup").get_data(as_text=True)
    detail = client.get(f"/commitments/{approved_id}").get_data(as_text=True)
    assert 'data-testid="cleanup-resolution"' in detail and "岐政常纪〔2026〕15号" in detail


def test_the_api_withdraws_lists_and_resolves(api, drafts, app):
    with app.app_context(), system_scope():
        _policy, approved, _fulfilled = _live_and_closed(drafts)
        db.session.commit()
        approved_id = approved.id
    policy_url = f"/api/v1/policies/{drafts['policy_a']}"
    body = {
        "withdrawn_on": "2026-12-03",
        "document": "岐政发〔2026〕30号",
        "reason": "清理",
        "version": api.version(policy_url, "a_manager"),
    }
    assert api.post(f"{policy_url}/withdraw", as_user="a_staff", json=body).status_code == 403
    withdrawn = api.post(f"{policy_url}/withdraw", as_user="a_manager", json=body)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["withdrawn_on"] == "2026-12-03"
    body["version"] = withdrawn.get_json()["version"]  # the withdrawn policy, read again
    again = api.post(f"{policy_url}/withdraw", as_user="a_manager", json=body)
    assert again.status_code == 422 and again.mimetype == "application/problem+json"
    listing = api.get("/api/v1/commitments/cleanup", as_user="a_leader").get_json()
    assert [(c["id"], c["cleanup_cause"]) for c in listing["items"]] == [(approved_id, "withdrawn")]
    assert api.get("/api/v1/commitments/cleanup", as_user="b_manager").get_json()["total"] == 0
    commitment_url = f"/api/v1/commitments/{approved_id}"
    version = api.version(commitment_url, "a_manager")
    bad = api.post(
        f"{commitment_url}/cleanup", as_user="a_manager", json={"resolution": "maybe", "version": version}
    )
    assert bad.status_code == 422 and {"resolution", "note"} <= set(bad.get_json()["errors"])
    revoked = api.post(
        f"{commitment_url}/cleanup",
        as_user="a_manager",
        json={"resolution": "revoke", "note": "协商解除", "version": version},
    )
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    assert revoked.get_json()["cleanup_resolutions"][0]["resolution"] == "revoke"
