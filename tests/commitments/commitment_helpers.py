"""Helpers for the commitments tests: build projects, policies and commitments via the services."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from record_support import user_named

from crm.auth.models import User
from crm.commitments import policies as policy_services
from crm.commitments import services
from crm.commitments.models import Commitment, Policy
from crm.core.db import added, db
from crm.core.tenancy import system_scope
from crm.projects.models import Project
from crm.regions.models import Region


@contextmanager
def acting(app):
    """A request context with every county visible, for calling the services directly; what
    the block leaves unsaved is rolled back."""
    with app.test_request_context(), system_scope():
        yield
        db.session.rollback()


@dataclass
class Drafts:
    """The ids of the records the ``drafts`` fixture made, by name, and the day it made them."""

    today: date
    ids: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


def signed_project(county_id: int, owner: User, name: str, signed_on: date, **extra) -> Project:
    return added(
        Project(
            county_id=county_id,
            name=name,
            stage="signed",
            signed_on=signed_on,
            contract_no=f"HT-{name}",
            planned_investment_wan=Decimal("50000"),
            owner_id=owner.id,
            **extra,
        )
    )


def publish_policy(actor: User, region: Region, name: str, today: date, **extra) -> Policy:
    values = {
        "kind": "land_price",
        "legal_basis": "岐政发〔2024〕1号",
        "max_amount_wan": Decimal("500"),
        "max_ratio_pct": None,
        "valid_from": today - timedelta(days=365),
        "valid_to": today + timedelta(days=365),
        "fair_review": "passed",
    }
    values.update(extra)
    return policy_services.create_policy(actor, region, name=name, **values)


LAND_BASIS = "国土资发〔2009〕56号：优先发展产业可按最低价标准的 70% 确定出让底价"


def change_policy(policy: Policy, actor: User, **changes) -> Policy:
    """Save ``policy`` through the service with ``changes``, at its current version and with its
    other fields as they are (no description)."""
    values = {
        "name": policy.name,
        "kind": policy.kind,
        "legal_basis": policy.legal_basis,
        "max_amount_wan": policy.max_amount_wan,
        "max_ratio_pct": policy.max_ratio_pct,
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        "fair_review": policy.fair_review,
    }
    return policy_services.update_policy(policy, actor, version=policy.version, **{**values, **changes})


def draft_commitment(
    project: Project, policy, actor: User, today: date, amount="300", reviews=("passed", "passed"), **extra
) -> Commitment:
    """A draft with both reviews recorded (``reviews``: the fair-competition and legality
    conclusions, None for a review not given) and, for its land clause, a legal basis."""
    values = {
        "clause": "工业用地按基准地价 70% 出让",
        "amount_wan": Decimal(amount),
        "due_on": today + timedelta(days=90),
        "committed_on": today - timedelta(days=10),
        "risk_legal_basis": LAND_BASIS,
    }
    values.update(extra)
    commitment = services.create_commitment(project, actor, policy=policy, today=today, **values)
    for kind, conclusion in zip(("fair_competition", "legality"), reviews, strict=True):
        if conclusion is not None:
            record_review(commitment, actor, kind, conclusion, today)
    return commitment


def record_review(commitment: Commitment, actor: User, kind: str, conclusion: str, today: date):
    reviewer = "岐山县市场监督管理局" if kind == "fair_competition" else "岐山县司法局"
    return services.add_review(
        commitment,
        actor,
        kind=kind,
        reviewer=reviewer,
        reviewed_on=today - timedelta(days=5),
        document_no=f"岐审〔2026〕{commitment.id}-{kind}号",
        conclusion=conclusion,
        attachment_ref="档案 A-12",
        today=today,
    )


def fulfil(commitment: Commitment, actor: User, amount, today: date, evidence: str = "凭证"):
    """Record a payment of ``amount`` (万元) made today, through the services."""
    return services.record_fulfillment(
        commitment, actor, fulfilled_on=today, amount_wan=Decimal(amount), evidence=evidence, today=today
    )


def bring_to_status(commitment: Commitment, status: str, manager: User, today: date) -> Commitment:
    """Bring a draft into ``status`` through the services (so the state is a real one)."""
    if status == "draft":
        return commitment
    if status == "revoked":
        services.change_status(commitment, manager, "revoke", note="测试撤销")
        return commitment
    services.approve_commitment(commitment, manager)
    half = (commitment.amount_wan / 2).quantize(Decimal("0.01"))
    if status in ("partially_fulfilled", "fulfilled", "clawed_back"):
        fulfil(commitment, manager, half, today, evidence="凭证-1")
    if status in ("fulfilled",):
        fulfil(commitment, manager, commitment.outstanding_wan, today, evidence="凭证-2")
    if status == "suspended":
        services.change_status(commitment, manager, "suspend", note="测试暂停")
    if status == "clawed_back":
        services.change_status(commitment, manager, "claw_back", note="测试追回")
    assert commitment.status == status
    return commitment


def fulfil_over_api(
    api, drafts, commitment_id: int, amount_wan, evidence: str, version: int, as_user="a_staff"
):
    """Record today's fulfilment of a commitment through the API; the response."""
    return api.post(
        f"/api/v1/commitments/{commitment_id}/fulfillments",
        as_user=as_user,
        json={
            "fulfilled_on": drafts.today.isoformat(),
            "amount_wan": amount_wan,
            "evidence": evidence,
            "version": version,
        },
    )


__all__ = [
    "Drafts",
    "acting",
    "LAND_BASIS",
    "user_named",
    "signed_project",
    "publish_policy",
    "change_policy",
    "draft_commitment",
    "record_review",
    "fulfil",
    "fulfil_over_api",
    "bring_to_status",
]
