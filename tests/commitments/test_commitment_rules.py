"""The status machine, approval rules, fulfillments, overdue and the withhold, via the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from commitment_helpers import (
    acting,
    bring_to_status,
    change_policy,
    draft_commitment,
    fulfil,
    record_review,
    user_named,
)
from record_support import audit_rows
from sqlalchemy import func, select

from crm.commitments import services
from crm.commitments.models import Commitment, Fulfillment, Obligation, Policy
from crm.commitments.policies import NotAllowed
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.projects.models import Project

STATUSES = ("draft", "approved", "partially_fulfilled", "fulfilled", "suspended", "revoked", "clawed_back")
# What each action does from each status; every pair not listed must be refused.
EXPECTED = {
    ("approve", "draft"): "approved",
    ("fulfil", "approved"): "partially_fulfilled",
    ("fulfil", "partially_fulfilled"): "fulfilled",
    ("suspend", "approved"): "suspended",
    ("suspend", "partially_fulfilled"): "suspended",
    ("resume", "suspended"): "approved",
    ("revoke", "draft"): "revoked",
    ("revoke", "approved"): "revoked",
    ("revoke", "partially_fulfilled"): "revoked",
    ("revoke", "suspended"): "revoked",
    ("claw_back", "partially_fulfilled"): "clawed_back",
    ("claw_back", "fulfilled"): "clawed_back",
}
ACTIONS = ("approve", "fulfil", "suspend", "resume", "revoke", "claw_back")


def _draft_a_in(drafts, status: str, manager) -> Commitment:
    """County A's draft commitment brought into ``status`` by ``manager``."""
    return bring_to_status(db.session.get(Commitment, drafts["draft_a"]), status, manager, drafts.today)


def _do(commitment, action, manager, today):
    if action == "approve":
        return services.approve_commitment(commitment, manager)
    if action == "fulfil":
        amount = commitment.outstanding_wan if commitment.status == "partially_fulfilled" else Decimal("10")
        return fulfil(commitment, manager, amount, today, evidence="拨付凭证")
    return services.change_status(commitment, manager, action, note="说明")


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_transition_is_allowed_or_refused(app, drafts, status, action):
    with acting(app):
        manager = user_named("a_manager")
        commitment = _draft_a_in(drafts, status, manager)
        expected = EXPECTED.get((action, status))
        if expected is None:
            with pytest.raises(ServiceError) as refused:
                _do(commitment, action, manager, drafts.today)
            assert "不能" in refused.value.message or "无可追回" in refused.value.message
            assert commitment.status == status
        else:
            _do(commitment, action, manager, drafts.today)
            assert commitment.status == expected


def test_resume_returns_to_the_status_before_suspension(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        commitment = _draft_a_in(drafts, "partially_fulfilled", manager)
        services.change_status(commitment, manager, "suspend", note="企业资料不全")
        assert commitment.status_before_suspension == "partially_fulfilled"
        services.change_status(commitment, manager, "resume", note="资料已补齐")
        assert commitment.status == "partially_fulfilled"


def test_manager_actions_need_a_note(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        commitment = _draft_a_in(drafts, "approved", manager)
        with pytest.raises(ServiceError) as refused:
            services.change_status(commitment, manager, "revoke", note="  ")
        assert "note" in refused.value.errors
        assert commitment.status == "approved"


def test_ratio_cap_uses_fixed_asset_investment_before_planned(app, drafts):
    # Province policy: 5 % of investment, at most 2000. Project A: fixed assets 20000 (→ 1000),
    # planned 50000 (→ 2500, would be capped at 2000).
    with acting(app):
        manager, staff = user_named("a_manager"), user_named("a_staff")
        project = db.session.get(Project, drafts["project_a"])
        policy = db.session.get(Policy, drafts["policy_province"])
        within = draft_commitment(project, policy, staff, drafts.today, amount="1000")
        above = draft_commitment(project, policy, staff, drafts.today, amount="1000.01")
        services.approve_commitment(within, manager)
        with pytest.raises(ServiceError, match="1,000.00"):
            services.approve_commitment(above, manager)
        project.fixed_asset_investment_wan = None
        services.approve_commitment(above, manager)  # now 5 % of 50000 → capped at 2000
        assert above.status == "approved"


def test_ratio_cap_without_any_investment_cannot_be_checked(app, drafts):
    with acting(app):
        manager, staff = user_named("a_manager"), user_named("a_staff")
        project = db.session.get(Project, drafts["project_a"])
        project.fixed_asset_investment_wan = project.planned_investment_wan = None
        commitment = draft_commitment(
            project, db.session.get(Policy, drafts["policy_province"]), staff, drafts.today, amount="1"
        )
        with pytest.raises(ServiceError, match="无法核对"):
            services.approve_commitment(commitment, manager)


def test_staff_cannot_approve(app, drafts):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        with pytest.raises(NotAllowed):
            services.approve_commitment(commitment, user_named("a_staff"))
        assert commitment.status == "draft" and commitment.approved_by_id is None


def test_fulfillment_overrun_refused_with_the_remaining_amount(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        commitment = _draft_a_in(drafts, "approved", manager)
        fulfil(commitment, manager, "200", drafts.today, evidence="凭证 A")
        assert commitment.status == "partially_fulfilled"
        with pytest.raises(ServiceError) as refused:
            fulfil(commitment, manager, "100.01", drafts.today, evidence="凭证 B")
        assert "剩余可兑现 100.00 万元" in refused.value.message
        assert db.session.execute(select(func.count()).select_from(Fulfillment)).scalar_one() == 1
        fulfil(commitment, manager, "100", drafts.today, evidence="凭证 C")
        assert commitment.status == "fulfilled" and commitment.outstanding_wan == 0


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_fulfillment_amount_must_be_positive(app, drafts, amount):
    with acting(app):
        manager = user_named("a_manager")
        commitment = _draft_a_in(drafts, "approved", manager)
        with pytest.raises(ServiceError) as refused:
            fulfil(commitment, manager, amount, drafts.today, evidence="x")
        assert "大于 0" in refused.value.errors["amount_wan"][0]


@pytest.mark.parametrize("days_after_today, overdue", [(0, False), (-1, True), (1, False)])
def test_overdue_at_the_date_boundary(app, drafts, days_after_today, overdue):
    with acting(app):
        commitment = db.session.get(Commitment, drafts["draft_a"])
        commitment.due_on = drafts.today + timedelta(days=days_after_today)
        db.session.flush()
        assert commitment.is_overdue(drafts.today) is overdue
        assert commitment.overdue is overdue
        in_sql = (
            db.session.execute(select(Commitment.id).where(Commitment.overdue_on(drafts.today)))
            .scalars()
            .all()
        )
        assert (drafts["draft_a"] in in_sql) is overdue
        hybrid = db.session.execute(select(Commitment.id).where(Commitment.overdue)).scalars().all()
        assert (drafts["draft_a"] in hybrid) is overdue


@pytest.mark.parametrize(
    "status, overdue",
    [
        ("approved", True),
        ("suspended", True),
        ("fulfilled", False),
        ("revoked", False),
        ("clawed_back", False),
    ],
)
def test_closed_commitments_are_never_overdue(app, drafts, status, overdue):
    with acting(app):
        manager = user_named("a_manager")
        commitment = _draft_a_in(drafts, status, manager)
        commitment.due_on = drafts.today - timedelta(days=30)
        db.session.flush()
        assert commitment.is_overdue(drafts.today) is overdue
        assert (
            bool(
                db.session.execute(
                    select(Commitment.id).where(
                        Commitment.id == commitment.id, Commitment.overdue_on(drafts.today)
                    )
                ).first()
            )
            is overdue
        )


def _count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"amount_wan": Decimal("0")}, "amount_wan", "大于 0"),
        ({"amount_wan": Decimal("-1")}, "amount_wan", "大于 0"),
        ({"due_on_days_before_signing": 1}, "due_on", "签约日期"),
        ({"committed_on_days": 400}, "policy_id", "有效期"),
        ({"committed_on_days": -400}, "policy_id", "有效期"),
        ({"clause": " "}, "clause", "条款"),
    ],
)
def test_bad_commitment_input_is_refused_and_nothing_written(app, drafts, change, field, message):
    with acting(app):
        staff = user_named("a_staff")
        project = db.session.get(Project, drafts["project_a"])
        policy = db.session.get(Policy, drafts["policy_a"])
        before = _count(Commitment)
        values = dict(change)
        if "due_on_days_before_signing" in values:
            values = {
                "due_on": project.signed_on - timedelta(days=values.pop("due_on_days_before_signing")),
                "committed_on": project.signed_on - timedelta(days=30),
            }
        if "committed_on_days" in values:
            day = drafts.today + timedelta(days=values.pop("committed_on_days"))
            values = {"committed_on": day, "due_on": day + timedelta(days=30)}
        with pytest.raises(ServiceError) as refused:
            draft_commitment(project, policy, staff, drafts.today, **values)
        assert message in " ".join(refused.value.errors[field])
        assert _count(Commitment) == before


def test_other_countys_policy_cannot_back_a_commitment(app, drafts):
    with acting(app):
        project = db.session.get(Project, drafts["project_a"])
        with pytest.raises(ServiceError) as refused:
            draft_commitment(
                project, db.session.get(Policy, drafts["policy_b"]), user_named("a_staff"), drafts.today
            )
        assert "不适用" in refused.value.errors["policy_id"][0]


def test_only_drafts_can_be_edited_and_stale_versions_conflict(app, drafts):
    with acting(app):
        manager, staff = user_named("a_manager"), user_named("a_staff")
        commitment = db.session.get(Commitment, drafts["draft_a"])
        with pytest.raises(ConflictError) as conflict:
            services.update_commitment(
                commitment, staff, version=commitment.version + 1, amount_wan=Decimal("1")
            )
        assert conflict.value.current["amount_wan"] == "300.00"
        services.update_commitment(commitment, staff, version=commitment.version, amount_wan=Decimal("250"))
        assert commitment.amount_wan == Decimal("250.00")
        for kind in ("fair_competition", "legality"):  # the new terms are reviewed again
            record_review(commitment, staff, kind, "passed", drafts.today)
        services.approve_commitment(commitment, manager)
        with pytest.raises(ServiceError, match="草稿"):
            services.update_commitment(commitment, staff, version=commitment.version, amount_wan=Decimal("1"))


def _withhold_setup(app, drafts):
    manager, staff = user_named("a_manager"), user_named("a_staff")
    project = db.session.get(Project, drafts["project_a"])
    policy = db.session.get(Policy, drafts["policy_a"])
    approved = _draft_a_in(drafts, "approved", manager)
    partial = bring_to_status(
        draft_commitment(project, policy, staff, drafts.today), "partially_fulfilled", manager, drafts.today
    )
    draft = draft_commitment(project, policy, staff, drafts.today)
    fulfilled = bring_to_status(
        draft_commitment(project, policy, staff, drafts.today, amount="50"),
        "fulfilled",
        manager,
        drafts.today,
    )
    return manager, staff, (approved, partial, draft, fulfilled)


def test_missed_withhold_obligation_suspends_open_commitments_until_lifted(app, drafts):
    with acting(app):
        manager, staff, (approved, partial, draft, fulfilled) = _withhold_setup(app, drafts)
        obligation = db.session.get(Obligation, drafts["obligation_a"])  # tax per mu ≥ 15, withhold
        services.record_obligation_outcome(obligation, staff, actual_value=Decimal("8.5"), today=drafts.today)
        assert obligation.status == "missed" and obligation.withholding
        assert [c.status for c in (approved, partial, draft, fulfilled)] == [
            "suspended",
            "suspended",
            "draft",
            "fulfilled",
        ]
        with pytest.raises(ServiceError, match="暂停"):  # no fulfillment while suspended
            fulfil(partial, manager, "1", drafts.today, evidence="x")
        with pytest.raises(ServiceError, match="解除暂缓"):  # resuming one by hand is refused
            services.change_status(approved, manager, "resume", note="想恢复")
        with pytest.raises(NotAllowed):
            services.lift_withhold(obligation, staff, note="专员不能解除")
        with pytest.raises(ServiceError):
            services.lift_withhold(obligation, manager, note="")
        restored = services.lift_withhold(obligation, manager, note="企业已补缴税款并承诺整改")
        assert {c.id for c in restored} == {approved.id, partial.id}
        assert (approved.status, partial.status) == ("approved", "partially_fulfilled")
        assert approved.status_before_suspension is None and approved.suspended_by_obligation_id is None
        assert not obligation.withholding and obligation.withhold_lift_note == "企业已补缴税款并承诺整改"
        with pytest.raises(ServiceError):
            services.lift_withhold(obligation, manager, note="再次解除")


def test_missed_obligation_with_another_consequence_suspends_nothing(app, drafts):
    with acting(app):
        manager, staff, (approved, *_rest) = _withhold_setup(app, drafts)
        obligation = db.session.get(Obligation, drafts["obligation_a"])
        obligation.consequence = "recover_subsidy"
        services.record_obligation_outcome(obligation, staff, actual_value=Decimal("1"), today=drafts.today)
        assert obligation.status == "missed" and approved.status == "approved"


def test_obligation_outcomes(app, drafts):
    with acting(app):
        staff = user_named("a_staff")
        project = db.session.get(Project, drafts["project_a"])
        start = services.create_obligation(
            project,
            staff,
            kind="construction_start",
            target_value=None,
            due_on=drafts.today - timedelta(days=5),
            consequence="adjust_land_price",
        )
        with pytest.raises(ServiceError):
            services.record_obligation_outcome(start, staff, today=drafts.today)  # nothing said
        services.record_obligation_outcome(
            start, staff, actual_on=drafts.today - timedelta(days=5), today=drafts.today
        )
        assert start.status == "met"  # on the deadline is in time
        late = services.create_obligation(
            project,
            staff,
            kind="production_start",
            target_value=None,
            due_on=drafts.today + timedelta(days=5),
            consequence="exit",
        )
        with pytest.raises(ServiceError, match="尚未届满"):
            services.record_obligation_outcome(late, staff, missed=True, today=drafts.today)
        jobs = services.create_obligation(
            project,
            staff,
            kind="jobs",
            target_value=Decimal("200"),
            due_on=drafts.today,
            consequence="recover_subsidy",
        )
        services.record_obligation_outcome(jobs, staff, actual_value=Decimal("200"), today=drafts.today)
        assert jobs.status == "met"
        with pytest.raises(ServiceError, match="重复"):
            services.record_obligation_outcome(jobs, staff, actual_value=Decimal("1"), today=drafts.today)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"kind": "jobs", "target_value": Decimal("0")}, "target_value"),
        ({"kind": "jobs", "target_value": None}, "target_value"),
        ({"kind": "nonsense", "target_value": Decimal("1")}, "kind"),
        ({"kind": "jobs", "target_value": Decimal("5"), "consequence": "jail"}, "consequence"),
        ({"kind": "jobs", "target_value": Decimal("5"), "due_before_signing": True}, "due_on"),
    ],
)
def test_bad_obligation_input(app, drafts, values, field):
    with acting(app):
        project = db.session.get(Project, drafts["project_a"])
        due_on = drafts.today + timedelta(days=10)
        if values.pop("due_before_signing", False):
            due_on = project.signed_on - timedelta(days=1)
        before = _count(Obligation)
        with pytest.raises(ServiceError) as refused:
            services.create_obligation(
                project, user_named("a_staff"), due_on=due_on, **{"consequence": "withhold", **values}
            )
        assert field in refused.value.errors
        assert _count(Obligation) == before


def test_every_change_leaves_an_audit_row(app, drafts):
    with acting(app):
        manager = user_named("a_manager")
        commitment = db.session.get(Commitment, drafts["draft_a"])

        assert [r.action for r in audit_rows("commitments", commitment.id)] == ["create"]
        assert [r.action for r in audit_rows("policies", drafts["policy_province"])] == ["create"]
        services.approve_commitment(commitment, manager)
        fulfillment = fulfil(commitment, manager, "100", drafts.today, evidence="凭证")
        services.change_status(commitment, manager, "suspend", note="暂停")
        obligation = db.session.get(Obligation, drafts["obligation_a"])
        services.record_obligation_outcome(
            obligation, manager, actual_value=Decimal("20"), today=drafts.today
        )
        events = audit_rows("commitments", commitment.id)
        statuses = [e.after.get("status") for e in events if e.action == "update" and "status" in e.after]
        assert statuses == ["approved", "partially_fulfilled", "suspended"]
        assert events[-1].before["status"] == "partially_fulfilled"
        assert [r.action for r in audit_rows("fulfillments", fulfillment.id)] == ["create"]
        assert audit_rows("obligations", obligation.id)[-1].after["status"] == "met"
        policy = db.session.get(Policy, drafts["policy_a"])
        change_policy(
            policy,
            manager,
            legal_basis="岐政发〔2025〕9号",
            max_amount_wan=Decimal("600"),
            max_ratio_pct=None,
            fair_review="passed",
        )
        change = audit_rows("policies", policy.id)[-1]
        assert change.action == "update" and change.before["max_amount_wan"] == "500.00"
        assert change.after["legal_basis"] == "岐政发〔2025〕9号"
