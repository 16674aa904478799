"""Fixtures for the commitments tests: signed projects in two counties and their policies."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from clock_support import PINNED_TODAY
from commitment_helpers import Drafts, draft_commitment, publish_policy, signed_project, user_named

from crm.commitments import services
from crm.core.db import db
from crm.core.tenancy import system_scope
from crm.regions.models import Region


@pytest.fixture
def drafts(app, world) -> Drafts:
    """County A: a signed project (investment 50000 planned, 20000 fixed assets) with a land
    policy (cap 500) and a draft commitment of 300; county B the same; one province policy."""
    today = PINNED_TODAY
    data = Drafts(today=today)
    with app.test_request_context(), system_scope():
        admin, a_manager, a_staff = user_named("admin"), user_named("a_manager"), user_named("a_staff")
        b_manager, b_staff = user_named("b_manager"), user_named("b_staff")
        province, county_a, county_b = (
            db.session.get(Region, world.province),
            db.session.get(Region, world.county_a),
            db.session.get(Region, world.county_b),
        )
        pa = signed_project(
            world.county_a,
            a_staff,
            "锂电池正极材料项目",
            today - timedelta(days=100),
            fixed_asset_investment_wan=Decimal("20000"),
            land_mu=Decimal("100"),
        )
        pb = signed_project(world.county_b, b_staff, "扶风食品加工项目", today - timedelta(days=100))
        prov = publish_policy(
            admin,
            province,
            "全省固定资产投资奖补",
            today,
            kind="fixed_asset_subsidy",
            legal_basis="陕政发〔2021〕15号",
            max_amount_wan=Decimal("2000"),
            max_ratio_pct=Decimal("5"),
        )
        land_a = publish_policy(a_manager, county_a, "岐山工业用地优惠", today)
        land_b = publish_policy(
            b_manager, county_b, "扶风工业用地优惠", today, legal_basis="扶政发〔2024〕2号"
        )
        draft_a = draft_commitment(pa, land_a, a_staff, today)
        draft_b = draft_commitment(pb, land_b, b_staff, today)
        # A's investor owes tax per mu (or money is withheld), B's owes jobs (or it must exit).
        ob_a, ob_b = (
            services.create_obligation(
                project,
                owner,
                kind=kind,
                target_value=Decimal(target),
                due_on=today + timedelta(days=200),
                consequence=consequence,
            )
            for project, owner, kind, target, consequence in (
                (pa, a_staff, "tax_per_mu", "15", "withhold"),
                (pb, b_staff, "jobs", "100", "exit"),
            )
        )
        db.session.commit()
        data.ids.update(
            {
                "project_a": pa.id,
                "project_b": pb.id,
                "policy_province": prov.id,
                "policy_a": land_a.id,
                "policy_b": land_b.id,
                "draft_a": draft_a.id,
                "draft_b": draft_b.id,
                "obligation_a": ob_a.id,
                "obligation_b": ob_b.id,
            }
        )
    return data
