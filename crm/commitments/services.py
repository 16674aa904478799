"""Commitments, fulfillments and investor obligations: every rule and every status change.

Shared by views, API and demo. A refused change raises ``ServiceError`` (422),
``NotAllowed`` (403) or ``ConflictError`` (409) before anything is modified, so the caller
rolls back nothing but its own transaction.

Status machine (审慎承诺、刚性兑现). ``TRANSITIONS`` lists, per action, the statuses it may
start from and where it leads; anything not listed is refused with a message naming both.
``resume`` returns to the status held before the suspension; ``fulfil`` leads to
``partially_fulfilled`` or ``fulfilled`` depending on the running total.

The cap of a commitment is the smaller of the policy's maximum amount and its maximum
ratio × the project's investment, where the investment is the fixed-asset investment if
recorded, else the planned investment. A ratio cap on a project with neither is treated
as exceeded (it cannot be checked). Approving above the cap needs a collective-decision
record (meeting, date, minute number; ``crm.commitments.collective``), not one person's
free text (issue 14 item 11).

Approving also needs both reviews on record and passed (``crm.commitments.reviews``), a
stated legal basis when the clause carries a risk flag (``crm.commitments.risk``), and an
approver other than the drafter: nobody approves their own draft (issue 14 items 9-10).
A fulfilment is dated on or after the day of the approval it rests on.

A manager may also refuse (驳回) a draft with a reason: it stays a draft for the staff to fix.
Every approval and refusal is kept as a ``CommitmentDecision``; an approval the rules refuse
writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from crm.commitments import cleanup
from crm.commitments.collective import DecisionInput, decision_for
from crm.commitments.models import (
    COMMITMENT_STATUSES,
    CONSEQUENCES,
    DATE_OBLIGATION_KINDS,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    CollectiveDecision,
    Commitment,
    CommitmentDecision,
    Fulfillment,
    Obligation,
    Policy,
)
from crm.commitments.payment import payment_blockers, set_linked_obligations
from crm.commitments.policies import NotAllowed, policy_visible_to_county
from crm.commitments.reviews import approval_problems, record_review, supersede_reviews
from crm.commitments.risk import RISK_FLAGS, risk_flags
from crm.core import clock
from crm.core.db import changed, db, utcnow
from crm.core.errors import ServiceError, refuse_stale
from crm.core.i18n import N_
from crm.core.serialize import columns_dict
from crm.util.money import format_wan, quantize_wan

TRANSITIONS: dict[str, dict[str, str | None]] = {
    "approve": {"draft": "approved"},
    "fulfil": {
        "approved": "partially_fulfilled|fulfilled",
        "partially_fulfilled": "partially_fulfilled|fulfilled",
    },
    "suspend": {"approved": "suspended", "partially_fulfilled": "suspended"},
    "resume": {"suspended": None},  # back to status_before_suspension
    "revoke": {
        "draft": "revoked",
        "approved": "revoked",
        "partially_fulfilled": "revoked",
        "suspended": "revoked",
    },
    "claw_back": {
        "partially_fulfilled": "clawed_back",
        "fulfilled": "clawed_back",
        "suspended": "clawed_back",
    },
}
ACTION_LABELS = {
    "approve": "批准",
    "fulfil": "登记兑现",
    "suspend": "暂停兑现",
    "resume": "恢复兑现",
    "revoke": "撤销",
    "claw_back": "追回",
}
# NUMERIC(14, 2) holds at most this; anything larger is a typo, refused rather than a 500.
MAX_WAN = Decimal("999999999999.99")
MAX_TEXT = 200  # evidence and other short text columns
MANAGER_ACTIONS = ("approve", "suspend", "resume", "revoke", "claw_back")
# The terms a review looks at: changing any of them supersedes the review records.
REVIEWED_TERMS = (
    "policy_id",
    "clause",
    "amount_wan",
    "conditions",
    "due_on",
    "committed_on",
    "risk_legal_basis",
)
WRITE_ROLES = ("manager", "staff")


def status_label(status: str) -> str:
    return _(COMMITMENT_STATUSES.get(status, status))


def allowed_actions(commitment: Commitment) -> list[str]:
    """Actions the status machine allows now (the UI shows only these)."""
    return [
        a
        for a, moves in TRANSITIONS.items()
        if commitment.status in moves and not (a == "claw_back" and commitment.fulfilled_wan <= 0)
    ]


def _check_transition(commitment: Commitment, action: str) -> None:
    if commitment.status not in TRANSITIONS[action]:
        raise ServiceError(
            _(
                "状态为“%(status)s”的承诺不能%(action)s",
                status=status_label(commitment.status),
                action=_(ACTION_LABELS[action]),
            ),
            {"status": [_("当前状态不允许此操作")]},
        )


def _check_version(record, version) -> None:
    refuse_stale(
        record,
        version,
        _("该记录已被他人修改，您的操作未生效。当前内容已显示，请确认后再操作。"),
        snapshot(record),
    )


def _require_role(actor, roles, message) -> None:
    """``message`` is a callable: translation needs a request, the happy path may have none."""
    if actor is None or not actor.has_role(*roles):
        raise NotAllowed(message())


def snapshot(record) -> dict:
    return columns_dict(record)


# ---- caps -----------------------------------------------------------------------------


def project_investment(project) -> Decimal | None:
    """The investment a ratio cap applies to: fixed-asset investment, else planned."""
    if project.fixed_asset_investment_wan is not None:
        return project.fixed_asset_investment_wan
    return project.planned_investment_wan


def policy_cap(policy: Policy, project) -> tuple[Decimal | None, bool]:
    """``(cap, checkable)``: the smallest applicable cap in 万元 (None: no cap), and False when
    a ratio cap exists but the project's investment is unknown."""
    caps, checkable = [], True
    if policy.max_amount_wan is not None:
        caps.append(policy.max_amount_wan)
    if policy.max_ratio_pct is not None:
        investment = project_investment(project)
        if investment is None:
            checkable = False
        else:
            caps.append(quantize_wan(investment * policy.max_ratio_pct / 100))
    return (min(caps) if caps else None), checkable


def exceeds_cap(commitment: Commitment) -> bool:
    """True when the amount is above the policy's cap, or the cap cannot be checked."""
    cap, checkable = policy_cap(commitment.policy, commitment.project)
    return not checkable or (cap is not None and commitment.amount_wan > cap)


def cap_problem(commitment: Commitment) -> str | None:
    """Why the amount is above what the policy allows, or None when it is within."""
    cap, checkable = policy_cap(commitment.policy, commitment.project)
    if not checkable:
        return _("政策按投资额比例设上限，但项目未填写固定资产投资或计划投资，无法核对上限")
    if cap is not None and commitment.amount_wan > cap:
        return _(
            "承诺金额 %(amount)s 万元超出政策上限 %(cap)s 万元",
            amount=format_wan(commitment.amount_wan),
            cap=format_wan(cap),
        )
    return None


# ---- commitments ----------------------------------------------------------------------


def _amount_refusal(amount, missing: str, not_positive: str, too_large: str = N_("金额过大")) -> list[str]:
    """Why a required amount, above 0 and at most ``MAX_WAN``, is refused ([] if it is not);
    the messages are msgids, translated only when refused."""
    if amount is None:
        return [_(missing)]
    if amount <= 0:
        return [_(not_positive)]
    if amount > MAX_WAN:
        return [_(too_large)]
    return []


def _commitment_values(
    project,
    *,
    policy: Policy | None,
    clause: str,
    amount_wan: Decimal | None,
    due_on: date | None,
    committed_on: date | None = None,
    conditions: str | None = None,
    risk_legal_basis: str | None = None,
    today: date,
) -> dict:
    """A commitment's terms as they are stored; 422 naming every term refused."""
    errors: dict[str, list[str]] = {}
    clause = (clause or "").strip()
    if not clause:
        errors["clause"] = [_("请填写承诺条款")]
    if refusal := _amount_refusal(amount_wan, N_("请填写承诺金额"), N_("承诺金额必须大于 0")):
        errors["amount_wan"] = refusal
    committed_on = committed_on or today
    if policy is None:
        errors["policy_id"] = [_("请选择承诺所依据的政策")]
    elif not policy_visible_to_county(policy, project.county_id):
        errors["policy_id"] = [_("该政策不适用于本县")]
    elif policy.fair_review == "failed":
        errors["policy_id"] = [_("该政策未通过公平竞争审查，不能据此作出承诺")]
    elif policy.withdrawn_on is not None:
        errors["policy_id"] = [
            _("该政策已于 %(day)s 废止，不能据此作出承诺", day=policy.withdrawn_on.isoformat())
        ]
    elif not policy.valid_on(committed_on):
        errors["policy_id"] = [
            _(
                "政策有效期为 %(start)s 至 %(end)s，承诺日期 %(day)s 不在有效期内",
                start=policy.valid_from.isoformat(),
                end=policy.valid_to.isoformat() if policy.valid_to else _("长期"),
                day=committed_on.isoformat(),
            )
        ]
    if due_on is None:
        errors["due_on"] = [_("请填写兑现期限")]
    elif project.signed_on is not None and due_on < project.signed_on:
        errors["due_on"] = [_("兑现期限不能早于项目签约日期 %(day)s", day=project.signed_on.isoformat())]
    elif due_on < committed_on:
        errors["due_on"] = [_("兑现期限不能早于承诺日期 %(day)s", day=committed_on.isoformat())]
    if errors:
        raise ServiceError(_("承诺信息有误，未保存"), errors)
    return {
        "policy_id": policy.id,
        "policy": policy,
        "clause": clause,
        "amount_wan": quantize_wan(amount_wan),
        "due_on": due_on,
        "committed_on": committed_on,
        "conditions": (conditions or "").strip() or None,
        "risk_legal_basis": (risk_legal_basis or "").strip() or None,
    }


def create_commitment(project, actor, *, today: date | None = None, **terms) -> Commitment:
    """A draft commitment with ``terms`` (as ``_commitment_values`` takes them); its reviews
    are recorded next, and a manager approves it later."""
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以起草承诺"))
    values = _commitment_values(project, today=today or clock.today(), **terms)
    commitment = Commitment(
        project_id=project.id,
        project=project,
        county_id=project.county_id,
        status="draft",
        created_by_id=actor.id,
        **values,
    )
    db.session.add(commitment)
    db.session.flush()
    return commitment


def update_commitment(commitment: Commitment, actor, *, version: int | None, **fields) -> Commitment:
    """Change a draft's terms. Approved terms are what was promised, so once approved
    nothing here may change (revoke and draft again instead). A change of the terms
    supersedes the review records: they reviewed the old terms."""
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以修改承诺"))
    _check_version(commitment, version)
    if commitment.status != "draft":
        raise ServiceError(
            _("只有草稿状态的承诺可以修改；已批准的条款如需变更，请撤销后重新起草"),
            {"status": [_("当前状态不允许修改")]},
        )
    current = {
        "policy": commitment.policy,
        "clause": commitment.clause,
        "amount_wan": commitment.amount_wan,
        "due_on": commitment.due_on,
        "committed_on": commitment.committed_on,
        "conditions": commitment.conditions,
        "risk_legal_basis": commitment.risk_legal_basis,
    }
    unknown = set(fields) - set(current) - {"today"}
    if unknown:
        raise ServiceError(_("不能修改这些字段"), {name: [_("不能修改")] for name in sorted(unknown)})
    today = fields.pop("today", None) or clock.today()
    current.update(fields)
    values = _commitment_values(commitment.project, today=today, **current)
    if any(getattr(commitment, key) != values[key] for key in REVIEWED_TERMS):
        supersede_reviews(commitment)
    return changed(commitment, values)


def add_review(commitment: Commitment, actor, *, version: int | None = None, **fields):
    """Record one review (公平竞争审查 or 合法性审核（司法局）) of a draft's terms."""
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以登记审查记录"))
    _check_version(commitment, version)
    return record_review(commitment, actor, **fields)


def commitment_risks(commitment: Commitment) -> list[str]:
    """The risk flags (codes of ``RISK_FLAGS``) of the commitment's policy kind and clause."""
    return risk_flags(commitment.policy.kind if commitment.policy else None, commitment.clause)


def approve_commitment(
    commitment: Commitment,
    actor,
    *,
    decision: DecisionInput | None = None,
    version: int | None = None,
    at: datetime | None = None,
) -> Commitment:
    """A manager's approval. Refused to the drafter, while either review is missing or not
    passed (or dated after the approval), while a risk-flagged clause has no stated legal
    basis, and above the policy's cap unless ``decision`` names a collective decision held
    on or before the day of approval. Every reason is reported at once: one refusal lists
    them all (``_approval_blockers``), a 403 when the actor drafted it, else a 422.

    ``at`` (naive UTC) replays an approval given earlier, for the demo's history; views,
    API and CLI never pass it, so an approval is stamped when it is given."""
    _require_role(actor, ("manager",), lambda: _("只有局长/科长可以批准承诺"))
    _check_version(commitment, version)
    _check_transition(commitment, "approve")
    approved_at = at or utcnow()
    today = local_day(approved_at)
    reasons, errors, record = _approval_blockers(commitment, actor, decision, today)
    if reasons:
        refused = NotAllowed if "approver" in errors else ServiceError
        if len(reasons) == 1:
            raise refused(reasons[0], errors)
        raise refused(
            _(
                "不能批准，共 %(n)d 项原因：%(reasons)s",
                n=len(reasons),
                reasons="；".join(f"（{i}）{reason}" for i, reason in enumerate(reasons, 1)),
            ),
            errors,
        )
    if record is not None and record.id is None:
        db.session.add(record)
    commitment.cap_decision = record
    commitment.status = TRANSITIONS["approve"]["draft"]
    commitment.approved_by_id = actor.id
    commitment.approved_at = approved_at
    _record_decision(commitment, actor, "approved", record.label if record else None, record, approved_at)
    db.session.flush()
    return commitment


def _approval_blockers(
    commitment: Commitment, actor, decision: DecisionInput | None, today: date
) -> tuple[list[str], dict[str, list[str]], CollectiveDecision | None]:
    """Every reason the approval is refused, all at once (issue 15 item 6): the reasons
    (translated, in the order a manager fixes them), the field messages, and the collective
    decision a cap-exceeding approval rests on (None when within the cap or missing). The
    decision is not added to the session here: a refused approval writes nothing."""
    reasons: list[str] = []
    errors: dict[str, list[str]] = {}
    if commitment.created_by_id is not None and commitment.created_by_id == actor.id:
        drafter = _("起草人不能批准自己起草的承诺，须由其他局长/科长批准")
        reasons.append(drafter)
        errors["approver"] = [drafter]
    if commitment.policy.cleanup_cause() is not None:
        reasons.append(_("依据政策已废止或未通过公平竞争审查，不能批准"))
        errors["policy_id"] = [_("依据政策已失去效力")]
    problems = approval_problems(commitment, today)
    if problems:
        reasons.append(
            _("审查未齐备，不能批准：%(why)s", why="；".join(m for ms in problems.values() for m in ms))
        )
        errors.update(problems)
    flags = commitment_risks(commitment)
    if flags and not commitment.risk_legal_basis:
        reasons.append(
            _(
                "条款涉及风险事项（%(flags)s），须先写明所依据的法律、行政法规或国务院规定",
                flags="；".join(_(RISK_FLAGS[flag]) for flag in flags),
            )
        )
        errors["risk_legal_basis"] = [_("请填写法律依据")]
    record = None
    if exceeds_cap(commitment):
        record = decision_for(commitment.county_id, decision, actor, not_after=today, errors=errors)
        if record is None:
            reasons.append(
                _(
                    "%(problem)s；超出上限须经集体决策，请填写会议名称、会议日期和纪要号",
                    problem=cap_problem(commitment),
                )
            )
    return reasons, errors, record


def local_day(moment: datetime) -> date:
    """The bureau's calendar day of a stored (naive UTC) moment."""
    return clock.local(moment).date()


def approved_day(commitment: Commitment) -> date | None:
    """The bureau's calendar day of the approval."""
    return local_day(commitment.approved_at) if commitment.approved_at is not None else None


def _record_decision(
    commitment: Commitment, actor, decision: str, reason: str | None, collective=None, at=None
) -> CommitmentDecision:
    row = CommitmentDecision(
        commitment=commitment,
        commitment_id=commitment.id,
        county_id=commitment.county_id,
        decided_at=at or utcnow(),
        decided_by_id=actor.id,
        decision=decision,
        reason=reason,
        amount_wan=commitment.amount_wan,
        collective_decision=collective,
    )
    db.session.add(row)
    return row


def refuse_commitment(
    commitment: Commitment, actor, *, reason: str | None, version: int | None = None
) -> CommitmentDecision:
    """A manager sends a draft back (驳回) with a reason; it stays a draft so the staff can fix
    the terms, and the refusal is kept in the decision history."""
    _require_role(actor, ("manager",), lambda: _("只有局长/科长可以驳回承诺"))
    _check_version(commitment, version)
    if commitment.status != "draft":
        raise ServiceError(
            _("状态为“%(status)s”的承诺不能驳回，只有草稿可以驳回", status=status_label(commitment.status)),
            {"status": [_("当前状态不允许此操作")]},
        )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("请填写驳回理由"), {"reason": [_("请填写驳回理由")]})
    decision = _record_decision(commitment, actor, "refused", reason)
    # Moves the version: an approval racing this refusal (or a page opened before it) is
    # stale rather than approving terms that were just sent back.
    commitment.updated_at = utcnow()
    db.session.flush()
    return decision


def decision_history(commitment: Commitment) -> list[CommitmentDecision]:
    """Approvals and refusals, newest first (also right just after one was added)."""
    return sorted(commitment.decisions, key=lambda d: (d.decided_at, d.id or 0), reverse=True)


def _suspend(commitment: Commitment, note: str, obligation: Obligation | None = None) -> None:
    _check_transition(commitment, "suspend")
    commitment.status_before_suspension = commitment.status
    commitment.status = "suspended"
    commitment.suspended_by_obligation_id = obligation.id if obligation is not None else None
    commitment.status_note = note


def _resume(commitment: Commitment, note: str) -> None:
    _check_transition(commitment, "resume")
    commitment.status = commitment.status_before_suspension or "approved"
    commitment.status_before_suspension = None
    commitment.suspended_by_obligation_id = None
    commitment.status_note = note


def _required_note(note: str | None, what: str) -> str:
    """``what`` is a msgid, translated only when the note is missing."""
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("请填写%(what)s的说明", what=_(what)), {"note": [_("请填写说明")]})
    return note


def change_status(
    commitment: Commitment,
    actor,
    action: str,
    *,
    note: str | None = None,
    version: int | None = None,
    decision: DecisionInput | None = None,
) -> Commitment:
    """Apply one manager action (approve, suspend, resume, revoke, claw_back)."""
    if action not in MANAGER_ACTIONS:
        raise ServiceError(
            _("未知的操作"), {"action": [_("可选：%(names)s", names=", ".join(MANAGER_ACTIONS))]}
        )
    if action == "approve":
        return approve_commitment(commitment, actor, decision=decision, version=version)
    _require_role(
        actor, ("manager",), lambda: _("只有局长/科长可以%(action)s承诺", action=_(ACTION_LABELS[action]))
    )
    _check_version(commitment, version)
    _check_transition(commitment, action)
    note = _required_note(note, ACTION_LABELS[action])
    if action == "suspend":
        _suspend(commitment, note)
    elif action == "resume":
        source = (
            db.session.get(Obligation, commitment.suspended_by_obligation_id)
            if commitment.suspended_by_obligation_id
            else None
        )
        if source is not None and source.withholding:
            raise ServiceError(
                _("该承诺因企业未履约而暂停，请在该履约事项上解除暂缓"), {"status": [_("企业未履约暂缓中")]}
            )
        _resume(commitment, note)
    elif action == "claw_back":
        if commitment.fulfilled_wan <= 0:
            raise ServiceError(
                _("尚未兑现任何金额，无可追回；如需终止请撤销"), {"status": [_("无已兑现金额")]}
            )
        commitment.status = TRANSITIONS[action][commitment.status]
        commitment.status_note = note
    else:
        commitment.status = TRANSITIONS[action][commitment.status]
        commitment.status_note = note
    db.session.flush()
    return commitment


# ---- fulfillments ---------------------------------------------------------------------


def record_fulfillment(
    commitment: Commitment,
    actor,
    *,
    fulfilled_on: date | None,
    amount_wan: Decimal | None,
    evidence: str | None,
    note: str | None = None,
    conditions_evidence: str | None = None,
    decision: DecisionInput | None = None,
    version: int | None = None,
    today: date | None = None,
) -> Fulfillment:
    """Record a delivery; the total never exceeds the commitment, and the status follows.
    While a linked obligation is unmet, or the clause's conditions have no stated
    verification, it is refused unless ``decision`` names a collective decision held on or
    before the payment day (``crm.commitments.payment``)."""
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以登记兑现"))
    _check_version(commitment, version)
    _check_transition(commitment, "fulfil")
    today = today or clock.today()
    errors: dict[str, list[str]] = {}
    evidence = (evidence or "").strip()
    remaining = commitment.outstanding_wan
    overrun = None
    if refusal := _amount_refusal(amount_wan, N_("请填写兑现金额"), N_("兑现金额必须大于 0")):
        errors["amount_wan"] = refusal
    elif quantize_wan(amount_wan) > remaining:
        overrun = _("兑现金额超出承诺：剩余可兑现 %(rest)s 万元", rest=format_wan(remaining))
        errors["amount_wan"] = [overrun]
    if fulfilled_on is None:
        errors["fulfilled_on"] = [_("请填写兑现日期")]
    elif fulfilled_on > today:
        errors["fulfilled_on"] = [_("兑现日期不能晚于今天")]
    elif approved_day(commitment) is not None and fulfilled_on < approved_day(commitment):
        errors["fulfilled_on"] = [
            _("兑现日期不能早于批准日期 %(day)s", day=approved_day(commitment).isoformat())
        ]
    if not evidence:
        errors["evidence"] = [_("请填写兑现凭证（拨付凭证号或文件号）")]
    elif len(evidence) > MAX_TEXT:
        errors["evidence"] = [_("不能超过 %(n)d 个字", n=MAX_TEXT)]
    if errors:
        raise ServiceError(overrun or _("兑现信息有误，未保存"), errors)
    conditions_evidence = (conditions_evidence or "").strip() or None
    override = None
    blockers = payment_blockers(commitment, conditions_evidence)
    if blockers:
        if decision is None or not decision.given:
            raise ServiceError(
                _(
                    "尚不能兑现：%(why)s。如经集体决策同意兑现，请填写会议名称、会议日期和纪要号",
                    why="；".join(m for ms in blockers.values() for m in ms),
                ),
                blockers,
            )
        override = decision_for(commitment.county_id, decision, actor, not_after=fulfilled_on, errors=errors)
        if override is None:
            raise ServiceError(_("集体决策记录有误，未兑现"), errors)
        if override.id is None:
            db.session.add(override)
    fulfillment = Fulfillment(
        commitment=commitment,
        commitment_id=commitment.id,
        county_id=commitment.county_id,
        fulfilled_on=fulfilled_on,
        amount_wan=quantize_wan(amount_wan),
        evidence=evidence,
        note=(note or "").strip() or None,
        conditions_evidence=conditions_evidence,
        override_decision=override,
        recorded_by_id=actor.id,
    )
    db.session.add(fulfillment)
    total = commitment.fulfilled_wan  # includes the new one via the back-populated list
    commitment.status = "fulfilled" if total >= commitment.amount_wan else "partially_fulfilled"
    # Touch the commitment so its version moves even when the status stays the same: two
    # people recording at once cannot both pass the remaining-amount check.
    commitment.updated_at = utcnow()
    db.session.flush()
    return fulfillment


def resolve_cleanup(
    commitment: Commitment,
    actor,
    *,
    resolution: str | None,
    note: str | None,
    decision: DecisionInput | None = None,
    version: int | None = None,
) -> Commitment:
    """A manager's decision on a commitment on the 存量清理 list (``crm.commitments.cleanup``):
    continue on a collective decision, or revoke."""
    _require_role(actor, ("manager",), lambda: _("只有局长/科长可以处理存量清理"))
    _check_version(commitment, version)
    row = cleanup.resolve(commitment, actor, resolution=resolution, note=note, decision=decision)
    if resolution == "revoke":
        _check_transition(commitment, "revoke")
        commitment.status = TRANSITIONS["revoke"][commitment.status]
        commitment.status_note = row.note
    commitment.updated_at = utcnow()
    db.session.flush()
    return commitment


def link_obligations(
    commitment: Commitment, actor, obligation_ids: list[int], *, version: int | None = None
) -> Commitment:
    """Set the investor obligations the commitment's payment depends on (政企双兑现)."""
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以关联企业履约事项"))
    _check_version(commitment, version)
    set_linked_obligations(commitment, obligation_ids)
    # What payment depends on changed: a payment form opened before is stale.
    commitment.updated_at = utcnow()
    db.session.flush()
    return commitment


# ---- obligations ----------------------------------------------------------------------


def _obligation_values(project, *, kind, target_value, due_on, consequence, note) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in OBLIGATION_KINDS:
        errors["kind"] = [_("请选择履约事项类型")]
    elif kind in DATE_OBLIGATION_KINDS:
        target_value = None
    elif refusal := _amount_refusal(
        target_value, N_("请填写目标值"), N_("目标值必须大于 0"), N_("目标值过大")
    ):
        errors["target_value"] = refusal
    if due_on is None:
        errors["due_on"] = [_("请填写履约期限")]
    elif project.signed_on is not None and due_on < project.signed_on:
        errors["due_on"] = [_("履约期限不能早于项目签约日期 %(day)s", day=project.signed_on.isoformat())]
    if consequence not in CONSEQUENCES:
        errors["consequence"] = [_("请选择未履约的处理方式")]
    if errors:
        raise ServiceError(_("履约事项有误，未保存"), errors)
    return {
        "kind": kind,
        "target_value": quantize_wan(target_value) if target_value is not None else None,
        "due_on": due_on,
        "consequence": consequence,
        "note": (note or "").strip() or None,
    }


def create_obligation(
    project,
    actor,
    *,
    kind: str,
    target_value: Decimal | None,
    due_on: date | None,
    consequence: str,
    note: str | None = None,
) -> Obligation:
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以登记企业履约事项"))
    values = _obligation_values(
        project, kind=kind, target_value=target_value, due_on=due_on, consequence=consequence, note=note
    )
    obligation = Obligation(
        project_id=project.id, project=project, county_id=project.county_id, status="pending", **values
    )
    db.session.add(obligation)
    db.session.flush()
    return obligation


def update_obligation(obligation: Obligation, actor, *, version: int | None, **fields) -> Obligation:
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以修改企业履约事项"))
    _check_version(obligation, version)
    if obligation.status != "pending":
        raise ServiceError(_("已核验的履约事项不能修改"), {"status": [_("已核验")]})
    current = {
        "kind": obligation.kind,
        "target_value": obligation.target_value,
        "due_on": obligation.due_on,
        "consequence": obligation.consequence,
        "note": obligation.note,
    }
    unknown = set(fields) - set(current)
    if unknown:
        raise ServiceError(_("不能修改这些字段"), {name: [_("不能修改")] for name in sorted(unknown)})
    current.update(fields)
    return changed(obligation, _obligation_values(obligation.project, **current))


def record_obligation_outcome(
    obligation: Obligation,
    actor,
    *,
    actual_value: Decimal | None = None,
    actual_on: date | None = None,
    missed: bool = False,
    note: str | None = None,
    version: int | None = None,
    today: date | None = None,
) -> Obligation:
    """Assess a pending obligation from what actually happened.

    A figure is met when the actual reaches the target; a date kind when it happened on or
    before the deadline. ``missed=True`` with nothing actual records a miss once the
    deadline has passed. A miss whose consequence is ``withhold`` suspends the project's
    open commitments.
    """
    _require_role(actor, WRITE_ROLES, lambda: _("只有局长和招商专员可以核验企业履约"))
    _check_version(obligation, version)
    today = today or clock.today()
    if obligation.status != "pending":
        raise ServiceError(
            _("该履约事项已核验（%(state)s），不能重复核验", state=_(OBLIGATION_STATUSES[obligation.status])),
            {"status": [_("已核验")]},
        )
    errors: dict[str, list[str]] = {}
    if obligation.is_date_kind:
        if actual_on is not None:
            if actual_on > today:
                errors["actual_on"] = [_("实际日期不能晚于今天")]
            status = "met" if actual_on <= obligation.due_on else "missed"
        elif missed:
            status = "missed"
        else:
            errors["actual_on"] = [_("请填写实际日期，或确认未履约")]
    else:
        if actual_value is not None:
            if actual_value < 0:
                errors["actual_value"] = [_("实际值不能为负数")]
            elif actual_value > MAX_WAN:
                errors["actual_value"] = [_("实际值过大")]
            status = "met" if actual_value >= obligation.target_value else "missed"
        elif missed:
            status = "missed"
        else:
            errors["actual_value"] = [_("请填写实际值，或确认未履约")]
    if (
        not errors
        and status == "missed"
        and actual_value is None
        and actual_on is None
        and obligation.due_on >= today
    ):
        errors["missed"] = [_("履约期限 %(day)s 尚未届满，不能认定未履约", day=obligation.due_on.isoformat())]
    if errors:
        only = list(errors.values())[0][0] if len(errors) == 1 else None
        raise ServiceError(only or _("履约核验信息有误，未保存"), errors)
    obligation.actual_value = quantize_wan(actual_value) if actual_value is not None else None
    obligation.actual_on = actual_on
    obligation.status = status
    obligation.assessed_on = today
    if note and note.strip():
        obligation.note = note.strip()
    if obligation.withholding:
        _withhold_commitments(obligation)
    db.session.flush()
    return obligation


def _withhold_commitments(obligation: Obligation) -> list[Commitment]:
    open_commitments = (
        db.session.execute(
            select(Commitment).where(
                Commitment.project_id == obligation.project_id,
                Commitment.status.in_(tuple(TRANSITIONS["suspend"])),
            )
        )
        .scalars()
        .all()
    )
    # Stored with the record, so in the bureau's language rather than the viewer's.
    reason = f"企业未履约（{OBLIGATION_KINDS[obligation.kind]}），暂缓兑现"
    for commitment in open_commitments:
        _suspend(commitment, reason, obligation)
    return open_commitments


def lift_withhold(
    obligation: Obligation, actor, *, note: str | None, version: int | None = None
) -> list[Commitment]:
    """A manager ends the suspension a missed obligation caused; each commitment returns to
    the status it had before."""
    _require_role(actor, ("manager",), lambda: _("只有局长/科长可以解除暂缓兑现"))
    _check_version(obligation, version)
    if not obligation.withholding:
        raise ServiceError(_("该履约事项没有正在生效的暂缓兑现"), {"status": [_("无暂缓")]})
    note = _required_note(note, "解除暂缓")
    suspended = (
        db.session.execute(
            select(Commitment).where(
                Commitment.suspended_by_obligation_id == obligation.id, Commitment.status == "suspended"
            )
        )
        .scalars()
        .all()
    )
    for commitment in suspended:
        _resume(commitment, note)
    obligation.withhold_lifted_at = utcnow()
    obligation.withhold_lifted_by_id = actor.id
    obligation.withhold_lift_note = note
    db.session.flush()
    return suspended
