"""A manager's refusal (驳回) of a draft, and the history of approvals and refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from api_support import assert_documented
from commitment_helpers import LAND_BASIS
from sqlalchemy import select

from crm.audit.models import AuditEvent
from crm.commitments.models import Commitment, CommitmentDecision
from crm.core.db import db
from crm.core.tenancy import system_scope

REASON = "金额偏高，请按 250 万元重新测算"


def _decisions(app, commitment_id) -> list[tuple]:
    """(decision, reason, amount) newest first, straight from the table."""
    with app.app_context(), system_scope():
        rows = db.session.execute(
            select(CommitmentDecision)
            .where(CommitmentDecision.commitment_id == commitment_id)
            .order_by(CommitmentDecision.decided_at.desc(), CommitmentDecision.id.desc())
        ).scalars()
        return [(d.decision, d.reason, d.amount_wan) for d in rows]


def _status(app, commitment_id) -> str:
    with app.app_context(), system_scope():
        return db.session.get(Commitment, commitment_id).status


def _history_rows(body: str) -> list[str]:
    return [part.split('"', 1)[0] for part in body.split('data-decision="')[1:]]


def test_refused_draft_is_fixed_by_staff_and_then_approved(client, auth, drafts, app):
    url = f"/commitments/{drafts['draft_a']}"
    auth.login("a_manager")
    assert client.post(f"{url}/refuse", data={"reason": REASON, "version": "1"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="refused-alert"' in page and REASON in page
    assert _history_rows(page) == ["refused"]
    assert _status(app, drafts["draft_a"]) == "draft"
    auth.logout()

    auth.login("a_staff")
    edit = client.get(f"{url}/edit")
    assert edit.status_code == 200 and 'name="version" type="hidden" value="2"' in edit.get_data(as_text=True)
    form = {
        "policy_id": str(drafts["policy_a"]),
        "clause": "工业用地按基准地价 70% 出让",
        "amount_wan": "250",
        "due_on": (drafts.today + timedelta(days=90)).isoformat(),
        "risk_legal_basis": LAND_BASIS,
        "version": "2",
    }
    assert client.post(f"{url}/edit", data=form).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert page.count("条款已修改，此记录失效") == 2  # the reviews were of the old terms
    for kind, reviewer in (("fair_competition", "岐山县市场监管局"), ("legality", "岐山县司法局")):
        review = {
            "kind": kind,
            "reviewer": reviewer,
            "reviewed_on": drafts.today.isoformat(),
            "document_no": f"岐审〔2026〕{kind}",
            "conclusion": "passed",
        }
        assert client.post(f"{url}/reviews", data=review).status_code == 302
    auth.logout()

    auth.login("a_manager")
    assert client.post(f"{url}/approve", data={"version": "3"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert _history_rows(page) == ["approved", "refused"]
    assert 'data-testid="refused-alert"' not in page
    assert _decisions(app, drafts["draft_a"]) == [
        ("approved", None, Decimal("250.00")),
        ("refused", REASON, Decimal("300.00")),
    ]
    assert _status(app, drafts["draft_a"]) == "approved"


def test_refusal_needs_a_reason_and_writes_nothing_without_one(client, auth, drafts, app):
    auth.login("a_manager")
    response = client.post(f"/commitments/{drafts['draft_a']}/refuse", data={"reason": "  ", "version": "1"})
    assert response.status_code == 422 and "请填写驳回理由" in response.get_data(as_text=True)
    assert _decisions(app, drafts["draft_a"]) == []


def test_rule_refused_approval_writes_no_decision(client, auth, drafts, app):
    with app.app_context(), system_scope():
        for review in db.session.get(Commitment, drafts["draft_a"]).reviews:
            db.session.delete(review)
        db.session.commit()
    auth.login("a_manager")
    response = client.post(f"/commitments/{drafts['draft_a']}/approve", data={"version": "1"})
    assert response.status_code == 422 and "尚无公平竞争审查记录" in response.get_data(as_text=True)
    assert _decisions(app, drafts["draft_a"]) == [] and _status(app, drafts["draft_a"]) == "draft"


def test_approval_above_the_cap_keeps_the_collective_decision(api, drafts, app):
    cid = drafts["draft_a"]
    assert (
        api.patch(
            f"/api/v1/commitments/{cid}", as_user="a_staff", json={"amount_wan": "800", "version": 1}
        ).status_code
        == 200
    )
    for kind in ("fair_competition", "legality"):  # the new amount is reviewed again
        review = {
            "kind": kind,
            "reviewer": "县审查机构",
            "reviewed_on": "2026-12-01",
            "document_no": "审 1",
            "conclusion": "passed",
        }
        review["version"] = api.version(f"/api/v1/commitments/{cid}", "a_staff")
        assert (
            api.post(f"/api/v1/commitments/{cid}/reviews", as_user="a_staff", json=review).status_code == 201
        )
    version = api.version(f"/api/v1/commitments/{cid}", "a_manager")
    url = f"/api/v1/commitments/{cid}/approve"
    reason = api.post(
        url,
        as_user="a_manager",
        json={"override_reason": "县委常委会纪要〔2025〕3号同意", "version": version},
    )
    assert reason.status_code == 422 and "override_reason" in reason.get_json()["errors"]
    decision = {
        "decision_meeting": "县委常委会",
        "decision_held_on": "2026-11-30",
        "decision_minute_no": "县委纪要〔2026〕3号",
        "version": version,
    }
    approved = api.post(url, as_user="a_manager", json=decision)
    assert approved.status_code == 200
    assert approved.get_json()["cap_decision"] == {
        "meeting": "县委常委会",
        "held_on": "2026-11-30",
        "minute_no": "县委纪要〔2026〕3号",
    }
    assert _decisions(app, cid) == [
        ("approved", "县委常委会（2026-11-30，县委纪要〔2026〕3号）", Decimal("800.00"))
    ]


def test_refusal_over_the_api_shows_in_the_history(api, drafts, app):
    cid = drafts["draft_a"]
    version = api.version(f"/api/v1/commitments/{cid}", "a_manager")
    refused = api.post(
        f"/api/v1/commitments/{cid}/refuse", as_user="a_manager", json={"reason": REASON, "version": version}
    )
    assert refused.status_code == 200
    body = refused.get_json()
    assert body["status"] == "draft"
    assert [(d["decision"], d["reason"], d["amount_wan"]) for d in body["decisions"]] == [
        ("refused", REASON, "300.00")
    ]
    approved = api.post(
        f"/api/v1/commitments/{cid}/approve", as_user="a_manager", json={"version": body["version"]}
    )
    assert approved.status_code == 200
    shown = api.get(f"/api/v1/commitments/{cid}", as_user="a_leader").get_json()
    assert [d["decision"] for d in shown["decisions"]] == ["approved", "refused"]
    assert shown["decisions"][1]["decided_by_name"] is not None
    too_late = api.post(
        f"/api/v1/commitments/{cid}/refuse",
        as_user="a_manager",
        json={"reason": "再议", "version": shown["version"]},
    )
    assert too_late.status_code == 422
    with app.app_context(), system_scope():
        audited = (
            db.session.execute(
                select(AuditEvent.action).where(AuditEvent.table_name == "commitment_decisions")
            )
            .scalars()
            .all()
        )
    assert len(audited) == 2


def test_refusal_over_the_api_refuses_bad_input(api, drafts, app):
    version = api.version(f"/api/v1/commitments/{drafts['draft_a']}", "a_manager")
    url = f"/api/v1/commitments/{drafts['draft_a']}/refuse"
    empty = api.post(url, as_user="a_manager", json={"reason": "", "version": version})
    assert empty.status_code == 422 and "reason" in empty.get_json()["errors"]
    missing = api.post(url, as_user="a_manager", json={"version": version})
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    wrong_type = api.post(url, as_user="a_manager", json={"reason": 5, "version": version})
    assert wrong_type.status_code == 422 and "reason" in wrong_type.get_json()["errors"]
    assert api.post(url, as_user="a_manager", json={"reason": REASON, "version": 9}).status_code == 409
    assert _decisions(app, drafts["draft_a"]) == []


def _api_refuse_status(api, commitment_id: int, username: str) -> int:
    """The status code of refusing a commitment over the API as ``username``."""
    return api.post(
        f"/api/v1/commitments/{commitment_id}/refuse", as_user=username, json={"reason": REASON}
    ).status_code


def test_only_a_manager_may_refuse(client, auth, api, drafts, app):
    assert _api_refuse_status(api, drafts["draft_a"], "a_staff") == 403
    assert _api_refuse_status(api, drafts["draft_a"], "a_leader") == 403
    auth.login("a_staff")
    assert client.post(f"/commitments/{drafts['draft_a']}/refuse", data={"reason": REASON}).status_code == 403
    page = client.get(f"/commitments/{drafts['draft_a']}").get_data(as_text=True)
    assert 'data-testid="refuse-form"' not in page
    assert _decisions(app, drafts["draft_a"]) == []


def test_another_countys_commitment_cannot_be_refused(client, auth, api, drafts, app):
    assert _api_refuse_status(api, drafts["draft_b"], "a_manager") == 404
    auth.login("a_manager")
    assert client.post(f"/commitments/{drafts['draft_b']}/refuse", data={"reason": REASON}).status_code == 404
    assert _decisions(app, drafts["draft_b"]) == []


def test_openapi_lists_the_refuse_path(client):
    assert_documented(client, {"/commitments/{commitment_id}/refuse": {"post"}}, {"CommitmentDecision"})
