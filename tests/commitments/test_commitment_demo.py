"""The commitments demo passes its own rules (issue 14 item 17): nothing illegal approved
or paid, approvals before fulfilments, reviews and collective decisions on record."""

from __future__ import annotations

from sqlalchemy import select

from crm.commitments import services
from crm.commitments.models import Commitment, Fulfillment
from crm.commitments.reviews import approval_problems
from crm.core.db import db
from crm.core.tenancy import system_scope

# Never lawful without a basis in law: tax-linked rewards and refunds of revenue collected.
BARRED_FLAGS = {"tax_linked", "revenue_refund"}


def _commitments(app) -> list[Commitment]:
    return list(db.session.execute(select(Commitment).order_by(Commitment.id)).scalars())


def test_every_demo_approval_rests_on_reviews_a_basis_and_another_person(demo_app):
    with demo_app.test_request_context(), system_scope():
        approved = [c for c in _commitments(demo_app) if c.approved_at is not None]
        assert len(approved) >= 8
        for commitment in approved:
            day = services.approved_day(commitment)
            assert approval_problems(commitment, day) == {}, commitment.clause
            assert commitment.approved_by_id != commitment.created_by_id
            flags = set(services.commitment_risks(commitment))
            assert not flags & BARRED_FLAGS, commitment.clause
            assert not flags or commitment.risk_legal_basis, commitment.clause
            if services.exceeds_cap(commitment):
                assert commitment.cap_decision is not None and commitment.cap_decision.held_on <= day
        assert any(c.cap_decision is not None for c in approved)  # the collective decision is shown


def test_demo_fulfilments_follow_their_approval_and_refund_nothing(demo_app):
    with demo_app.test_request_context(), system_scope():
        paid = list(db.session.execute(select(Fulfillment)).scalars())
        assert paid
        for fulfilment in paid:
            assert fulfilment.fulfilled_on >= services.approved_day(fulfilment.commitment)
            assert "返还" not in fulfilment.evidence and "返还" not in fulfilment.commitment.clause
            commitment = fulfilment.commitment
            assert not commitment.conditions or fulfilment.conditions_evidence
        linked = [c for c in _commitments(demo_app) if c.linked_obligations]
        assert linked  # 政企双兑现 is shown
        blocked = [c for c in linked if any(o.status != "met" for o in c.linked_obligations)]
        assert blocked and all(not c.fulfillments for c in blocked)


def test_the_demo_tax_retention_reward_stays_a_refused_draft(demo_app):
    with demo_app.test_request_context(), system_scope():
        tax_linked = [c for c in _commitments(demo_app) if "tax_linked" in services.commitment_risks(c)]
        assert tax_linked
        for commitment in tax_linked:
            assert commitment.status == "draft" and commitment.fair_review == "failed"


def test_the_demo_shows_a_withdrawn_policy_and_its_cleanup(demo_app):
    from crm.commitments import queries

    with demo_app.test_request_context(), system_scope():
        waiting = queries.cleanup_list()
        assert waiting and all(c.policy.withdrawn_on is not None for c in waiting)
        resolved = [c for c in _commitments(demo_app) if c.cleanup_resolutions]
        assert resolved and all(r.decision is not None for c in resolved for r in c.cleanup_resolutions)
