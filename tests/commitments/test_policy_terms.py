"""Which of a policy's terms a call may leave out: a new policy may omit its end and review state,
a change must name them (a missing one is a programming error, not a silent default)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from commitment_helpers import acting, user_named

from crm.commitments import policies as policy_services
from crm.commitments.models import Policy
from crm.core.db import db
from crm.regions.models import Region


def _terms(policy: Policy) -> dict:
    """Every term of ``policy`` as ``update_policy`` takes them."""
    return {key: getattr(policy, key) for key in policy_services.POLICY_FIELDS}


def test_a_new_policy_defaults_its_end_and_review_state(app, world, drafts):
    with acting(app):
        policy = policy_services.create_policy(
            user_named("a_manager"),
            db.session.get(Region, world.county_a),
            name="岐山招商引资奖励",
            kind="fixed_asset_subsidy",
            legal_basis="岐政发〔2025〕3号",
            max_amount_wan=Decimal("100"),
            max_ratio_pct=None,
            valid_from=drafts.today,
        )
        assert policy.valid_to is None
        assert policy.fair_review == "pending"


@pytest.mark.parametrize("missing", ["valid_to", "fair_review"])
def test_a_change_must_name_every_term(app, drafts, missing):
    with acting(app):
        policy = db.session.get(Policy, drafts["policy_a"])
        valid_to, fair_review = policy.valid_to, policy.fair_review
        terms = {**_terms(policy), "valid_to": drafts.today + timedelta(days=30)}
        del terms[missing]
        with pytest.raises(TypeError, match=missing):
            policy_services.update_policy(policy, user_named("a_manager"), version=policy.version, **terms)
        assert (policy.valid_to, policy.fair_review) == (valid_to, fair_review)
