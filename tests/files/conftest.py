"""Fixtures for the evidence-file tests: a store in the test's folder, and records of every
kind that takes files in county A (one project confidential) and a project in county B.
Sample files and the upload helpers are in files_support.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import pytest

from crm.core.db import db


@pytest.fixture(autouse=True)
def files_dir(request, tmp_path):
    """Stored files go to the test's own folder (for tests that have an app)."""
    folder = tmp_path / "files"
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["FILES_DIR"] = str(folder)
    return folder


@dataclass
class Records:
    ids: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


@pytest.fixture
def records(app, world) -> Records:
    """County A: project (a_staff's), a confidential project (a_staff's, code name 蓝海项目),
    a stage move, a funds record, a commitment with a review and a fulfilment, a referral.
    County B: a project and its funds record."""
    from crm.commitments.models import Commitment, CommitmentReview, Fulfillment, Policy
    from crm.core.tenancy import system_scope
    from crm.funds.models import FundsRecord
    from crm.projects.models import Project, StageChange
    from crm.rewards.models import Referral

    made = Records()
    with app.app_context(), system_scope():
        a = world.county_a
        project = Project(
            name="岐山电池项目",
            county_id=a,
            owner_id=world.ids["a_staff"],
            stage="signed",
            signed_on=date(2026, 2, 1),
            contract_no="QS-2026-01",
        )
        secret = Project(
            name="宁德时代储能基地",
            code_name="蓝海项目",
            county_id=a,
            owner_id=world.ids["a_staff"],
            stage="negotiating",
        )
        other = Project(name="扶风物流项目", county_id=world.county_b, owner_id=world.ids["b_staff"])
        db.session.add_all([project, secret, other])
        db.session.flush()
        move = StageChange(
            county_id=a,
            project_id=project.id,
            from_stage="negotiating",
            to_stage="signed",
            reached_on=date(2026, 2, 1),
            changed_by_id=world.ids["a_staff"],
        )
        funds = FundsRecord(
            county_id=a,
            project_id=project.id,
            month=date(2026, 3, 1),
            origin="out_of_province",
            amount_wan=Decimal("1200"),
        )
        other_funds = FundsRecord(
            county_id=world.county_b,
            project_id=other.id,
            month=date(2026, 3, 1),
            origin="out_of_province",
            amount_wan=Decimal("800"),
        )
        policy = Policy(
            region_id=a, name="岐山工业用地优惠", legal_basis="岐政发〔2024〕1号", valid_from=date(2025, 1, 1)
        )
        db.session.add(policy)
        db.session.flush()
        commitment = Commitment(
            county_id=a,
            policy_id=policy.id,
            project_id=project.id,
            clause="工业用地按基准地价 70% 出让",
            amount_wan=Decimal("300"),
            committed_on=date(2026, 2, 1),
            due_on=date(2026, 9, 1),
            status="approved",
        )
        db.session.add_all([move, funds, other_funds, commitment])
        db.session.flush()
        review = CommitmentReview(
            county_id=a,
            commitment_id=commitment.id,
            kind="legality",
            reviewer="岐山县司法局",
            reviewed_on=date(2026, 1, 20),
            document_no="岐司审〔2026〕3号",
            conclusion="passed",
            recorded_at=datetime(2026, 1, 20, 2, 0),
        )
        fulfillment = Fulfillment(
            county_id=a,
            commitment_id=commitment.id,
            fulfilled_on=date(2026, 3, 10),
            amount_wan=Decimal("100"),
            evidence="拨付-001",
        )
        referral = Referral(
            county_id=a,
            project_id=project.id,
            referrer_name="张三",
            registered_on=date(2026, 1, 5),
        )
        db.session.add_all([review, fulfillment, referral])
        db.session.commit()
        made.ids.update(
            project=project.id,
            secret=secret.id,
            other=other.id,
            stage_change=move.id,
            funds=funds.id,
            other_funds=other_funds.id,
            commitment=commitment.id,
            commitment_review=review.id,
            fulfillment=fulfillment.id,
            referral=referral.id,
        )
    return made
