"""A refused approval lists every blocking reason at once, not the first (issue 15 item 6):
in the service's error, on the page and in the API's problem+json."""

from __future__ import annotations

from decimal import Decimal

import pytest
from commitment_helpers import draft_commitment, user_named
from sqlalchemy import func, select

from crm.commitments import services
from crm.commitments.models import CollectiveDecision, Commitment, Policy
from crm.commitments.policies import NotAllowed
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.core.tenancy import system_scope
from crm.projects.models import Project

REVIEWS = "审查未齐备"
LEGAL_BASIS = "须先写明所依据的法律"
COLLECTIVE = "超出上限须经集体决策"
OWN_DRAFT = "起草人不能批准"


def _troubled_draft(app, drafts, drafter="a_staff") -> int:
    """A draft with three problems: no reviews, a land-price clause without a legal basis,
    and 800 万元 against the policy's cap of 500."""
    with app.test_request_context(), system_scope():
        commitment = draft_commitment(
            db.session.get(Project, drafts["project_a"]),
            db.session.get(Policy, drafts["policy_a"]),
            user_named(drafter),
            drafts.today,
            reviews=(None, None),
            risk_legal_basis=None,
        )
        commitment.amount_wan = Decimal("800")
        db.session.commit()
        return commitment.id


def _version(app, cid: int) -> str:
    with app.app_context(), system_scope():
        return str(db.session.get(Commitment, cid).version)


def _collective_decisions() -> int:
    return db.session.execute(select(func.count()).select_from(CollectiveDecision)).scalar_one()


def test_the_service_reports_every_reason_at_once(app, drafts):
    cid = _troubled_draft(app, drafts)
    with app.test_request_context(), system_scope():
        commitment = db.session.get(Commitment, cid)
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(commitment, user_named("a_manager"))
        assert not isinstance(refused.value, NotAllowed) and refused.value.status == 422
        message = refused.value.message
        assert "共 3 项原因" in message
        assert all(reason in message for reason in (REVIEWS, LEGAL_BASIS, COLLECTIVE))
        assert message.index("（1）") < message.index(REVIEWS) < message.index("（2）")
        assert {"fair_competition", "legality", "risk_legal_basis", "decision_meeting"} <= set(
            refused.value.errors
        )
        assert commitment.status == "draft" and commitment.decisions == []
        db.session.rollback()
        assert _collective_decisions() == 0


def test_the_drafter_is_told_every_reason_too(app, drafts):
    cid = _troubled_draft(app, drafts, drafter="a_manager")
    with app.test_request_context(), system_scope():
        with pytest.raises(NotAllowed) as refused:
            services.approve_commitment(db.session.get(Commitment, cid), user_named("a_manager"))
        message = refused.value.message
        assert refused.value.status == 403 and "共 4 项原因" in message
        assert all(reason in message for reason in (OWN_DRAFT, REVIEWS, LEGAL_BASIS, COLLECTIVE))
        db.session.rollback()


def test_one_reason_reads_as_before(app, drafts):
    with app.test_request_context(), system_scope():
        commitment = db.session.get(Commitment, drafts["draft_a"])
        commitment.amount_wan = Decimal("800")
        with pytest.raises(ServiceError) as refused:
            services.approve_commitment(commitment, user_named("a_manager"))
        assert refused.value.message.startswith("承诺金额 800.00 万元超出政策上限")
        assert "项原因" not in refused.value.message
        db.session.rollback()


def test_the_page_shows_every_reason(app, client, auth, drafts):
    cid = _troubled_draft(app, drafts)
    auth.login("a_manager")
    refused = client.post(f"/commitments/{cid}/approve", data={"version": _version(app, cid)})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "共 3 项原因" in page
    assert all(reason in page for reason in (REVIEWS, LEGAL_BASIS, COLLECTIVE))
    assert "请填写集体决策的会议名称" in page  # beside its field as well
    with app.app_context(), system_scope():
        assert db.session.get(Commitment, cid).status == "draft"


def test_the_page_shows_every_reason_without_field_errors(app, client, auth, drafts):
    """Reviews missing and no legal basis: no message belongs beside a form field."""
    cid = _troubled_draft(app, drafts)
    with app.app_context(), system_scope():
        db.session.get(Commitment, cid).amount_wan = Decimal("300")
        db.session.commit()
    auth.login("a_manager")
    refused = client.post(f"/commitments/{cid}/approve", data={"version": _version(app, cid)})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert page.count("共 2 项原因") == 1
    assert REVIEWS in page and LEGAL_BASIS in page and COLLECTIVE not in page


def test_the_api_problem_lists_every_reason(app, api, drafts):
    cid = _troubled_draft(app, drafts)
    version = api.version(f"/api/v1/commitments/{cid}", "a_manager")
    refused = api.post(f"/api/v1/commitments/{cid}/approve", as_user="a_manager", json={"version": version})
    assert refused.status_code == 422
    body = refused.get_json()
    assert refused.mimetype == "application/problem+json"
    assert all(reason in body["detail"] for reason in (REVIEWS, LEGAL_BASIS, COLLECTIVE))
    assert {"fair_competition", "legality", "risk_legal_basis", "decision_meeting"} <= set(body["errors"])
