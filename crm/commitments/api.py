"""JSON API: policies, commitments, fulfillments and investor obligations under /api/v1.

Every value is type-checked here before a service sees it; anything malformed answers 422
with ``errors`` per field, never a 500.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.api.handlers import (
    act_on,
    committed,
    create_under,
    page_under,
    patch_at_version,
    read_input,
    saved_at_version,
)
from crm.api.input import Input
from crm.api.util import api_value, columns_dict, page_args, page_json, paginate, paginate_list
from crm.commitments import policies as policy_services
from crm.commitments import queries, services
from crm.commitments.blueprints import api_bp as bp
from crm.commitments.collective import DecisionInput
from crm.commitments.models import (
    CollectiveDecision,
    Commitment,
    CommitmentDecision,
    CommitmentReview,
    Fulfillment,
    Obligation,
    Policy,
)
from crm.commitments.register import figures, parse_filters, register_statement
from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, roles_required, writable
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.projects.models import Project
from crm.regions.models import Region

# ---- serialisers ----------------------------------------------------------------------


def policy_json(policy: Policy) -> dict:
    body = columns_dict(policy)
    body["region_code"] = policy.region.code
    body["region_level"] = policy.region.level.value
    return body


def commitment_json(commitment: Commitment) -> dict:
    body = columns_dict(commitment)
    body.update(
        {
            "fulfilled_wan": str(commitment.fulfilled_wan),
            "outstanding_wan": str(commitment.outstanding_wan),
            "overdue": commitment.is_overdue(clock.today()),
            "allowed_actions": services.allowed_actions(commitment),
            "fair_review": commitment.fair_review,
            "legal_review": commitment.legal_review,
            "risk_flags": services.commitment_risks(commitment),
            "cap_decision": collective_json(commitment.cap_decision),
        }
    )
    return body


def collective_json(record: CollectiveDecision | None) -> dict | None:
    if record is None:
        return None
    return {"meeting": record.meeting, "held_on": record.held_on.isoformat(), "minute_no": record.minute_no}


def review_json(review: CommitmentReview) -> dict:
    body = columns_dict(review)
    body["recorded_by_name"] = review.recorded_by.display_name if review.recorded_by else None
    return body


def decision_json(decision: CommitmentDecision) -> dict:
    body = columns_dict(decision)
    body["decided_by_name"] = decision.decided_by.display_name if decision.decided_by else None
    return body


def commitment_detail_json(commitment: Commitment) -> dict:
    body = commitment_json(commitment)
    body["fulfillments"] = [fulfillment_json(f) for f in commitment.fulfillments]
    body["decisions"] = [decision_json(d) for d in services.decision_history(commitment)]
    body["reviews"] = [review_json(r) for r in commitment.reviews]
    body["obligation_ids"] = [o.id for o in commitment.linked_obligations]
    body["cleanup_resolutions"] = [
        {
            "cause": r.cause,
            "resolution": r.resolution,
            "note": r.note,
            "decision": collective_json(r.decision),
            "resolved_at": r.resolved_at.isoformat(),
            "resolved_by_name": r.resolved_by.display_name if r.resolved_by else None,
        }
        for r in commitment.cleanup_resolutions
    ]
    return body


def fulfillment_json(fulfillment: Fulfillment) -> dict:
    body = columns_dict(fulfillment)
    body["override_decision"] = collective_json(fulfillment.override_decision)
    return body


def obligation_json(obligation: Obligation) -> dict:
    body = columns_dict(obligation)
    body["withholding"] = obligation.withholding
    return body


# ---- policies -------------------------------------------------------------------------


def _policy_fields(data: Input) -> dict:
    return {
        "name": data.text("name"),
        "kind": data.choice("kind"),
        "legal_basis": data.text("legal_basis"),
        "max_amount_wan": data.money("max_amount_wan"),
        "max_ratio_pct": data.number("max_ratio_pct"),
        "valid_from": data.day("valid_from"),
        "valid_to": data.day("valid_to"),
        "fair_review": data.choice("fair_review", "pending"),
        "description": data.text("description"),
    }


@bp.route("/policies")
@roles_required(*READ_ROLES, "admin")
def list_policies():
    """One page of the incentive policies the caller may cite, optionally of one ``kind``."""
    statement = policy_services.visible_policies(current_user)
    kind = request.args.get("kind")
    if kind:
        statement = statement.where(Policy.kind == kind)
    return paginate(statement.options(selectinload(Policy.region)), policy_json)


@bp.route("/policies", methods=["POST"])
@roles_required("manager", "admin")
def create_policy():
    """Add an incentive policy (the clauses commitments cite)."""
    fields = read_input(lambda data: {"region_code": data.text("region_code"), **_policy_fields(data)})
    code = fields.pop("region_code")
    if code is None and current_user.county_id is not None:
        region = current_user.region
    else:
        region = db.session.execute(select(Region).where(Region.code == (code or ""))).scalar_one_or_none()
        if region is None:
            raise ServiceError(_("请求中的字段有误"), {"region_code": [_("未知的区划代码")]})
    policy = policy_services.create_policy(current_user, region, **fields)
    return committed(policy_json, policy, status=201)


@bp.route("/policies/<int:policy_id>")
@roles_required(*READ_ROLES, "admin")
def get_policy(policy_id: int):
    """One policy with its clauses."""
    return jsonify(policy_json(policy_services.load_policy_or_404(current_user, policy_id)))


@bp.route("/policies/<int:policy_id>", methods=["PATCH"])
@roles_required("manager", "admin")
def patch_policy(policy_id: int):
    """Change a policy; the body's ``version`` must be the stored one (409 if not)."""
    policy = policy_services.load_managed_policy(current_user, policy_id)

    def read_patch(data: Input) -> dict:
        """The stored policy with the fields the body sends (the service takes them all)."""
        version = data.version()
        data.refuse_other_keys(policy_services.POLICY_FIELDS, _("不能通过此接口修改"))
        sent = _policy_fields(data)
        stored = {key: getattr(policy, key) for key in policy_services.POLICY_FIELDS}
        return {**stored, **{key: value for key, value in sent.items() if data.has(key)}, "version": version}

    fields = read_input(read_patch)
    return saved_at_version(
        lambda: policy_services.update_policy(policy, current_user, **fields), policy_json
    )


@bp.route("/policies/<int:policy_id>/withdraw", methods=["POST"])
@roles_required("manager", "admin")
def withdraw_policy(policy_id: int):
    """Withdraw a policy: no new commitment may cite it."""
    policy = policy_services.load_policy_or_404(current_user, policy_id)
    fields = read_input(
        lambda data: {
            "withdrawn_on": data.day("withdrawn_on"),
            "document": data.text("document"),
            "reason": data.text("reason"),
            "version": data.version(),
        }
    )
    policy_services.withdraw_policy(policy, current_user, **fields)
    return committed(policy_json, policy)


# ---- 存量清理 ----------------------------------------------------------------------------


def cleanup_json(commitment: Commitment) -> dict:
    cause = commitment.cleanup_cause()
    body = commitment_json(commitment)
    body["cleanup_cause"] = cause[0] if cause else None
    body["cleanup_since"] = api_value(cause[1]) if cause else None
    return body


@bp.route("/commitments/cleanup")
@roles_required(*READ_ROLES)
def cleanup_list():
    """The 存量清理 list: what a manager still has to decide (short, worked out whole)."""
    return paginate_list(queries.cleanup_list(), cleanup_json)


@bp.route("/commitments/<int:commitment_id>/cleanup", methods=["POST"])
@roles_required("manager")
def resolve_cleanup(commitment_id: int):
    """Decide one commitment of the 存量清理 list: fulfil it as the law requires, or revoke it."""
    return act_on(
        Commitment,
        commitment_id,
        read=_cleanup_fields,
        act=services.resolve_cleanup,
        answer=commitment_detail_json,
    )


def _cleanup_fields(data: Input) -> dict:
    return {
        "resolution": data.choice("resolution"),
        "note": data.text("note"),
        "decision": _decision_input(data),
        "version": data.version(),
    }


# ---- commitments ----------------------------------------------------------------------

COMMITMENT_FIELDS = (
    "policy_id",
    "clause",
    "amount_wan",
    "due_on",
    "committed_on",
    "conditions",
    "risk_legal_basis",
)


def _commitment_fields(data: Input, present_only: bool) -> dict:
    readers = {
        "clause": lambda: data.text("clause"),
        "amount_wan": lambda: data.money("amount_wan"),
        "due_on": lambda: data.day("due_on"),
        "committed_on": lambda: data.day("committed_on"),
        "conditions": lambda: data.text("conditions"),
        "risk_legal_basis": lambda: data.text("risk_legal_basis"),
    }
    fields = {key: read() for key, read in readers.items() if not present_only or data.has(key)}
    for old in ("fair_review", "legal_review"):  # the drop-downs are gone: refused, not ignored
        if data.has(old):
            data._fail(old, _("审查结论须作为审查记录登记：POST /api/v1/commitments/{id}/reviews"))
    if not present_only or data.has("policy_id"):
        raw = data.data.get("policy_id")
        policy = None
        if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 2**31:
            # Another county's policy is as unknown here as a missing one.
            policy = db.session.execute(
                policy_services.visible_policies(current_user).where(Policy.id == raw)
            ).scalar_one_or_none()
            if policy is None:
                data._fail("policy_id", _("未知的政策"))
        elif isinstance(raw, int) and not isinstance(raw, bool):
            data._fail("policy_id", _("未知的政策"))
        elif raw is not None:
            data._fail("policy_id", _("policy_id 应为整数"))
        fields["policy"] = policy
    return fields


def _new_commitment(data: Input) -> dict:
    return _commitment_fields(data, present_only=False)


def _commitment_changes(data: Input) -> dict:
    data.refuse_other_keys(
        COMMITMENT_FIELDS, _("不能通过此接口修改（状态请用 approve/transitions，兑现请用 fulfillments）")
    )
    return _commitment_fields(data, present_only=True)


@bp.route("/commitments")
@roles_required(*READ_ROLES)
def list_commitments():
    """One page of the commitments register the caller reads, filtered like the page."""
    filters, errors = parse_filters(request.args)
    if errors:
        raise ServiceError(_("筛选条件有误"), errors)
    today = clock.today()
    page, per_page = page_args()
    totals = figures(filters, today)  # its count is the page's total: no second count
    rows = db.session.execute(
        register_statement(filters, today, limit=per_page, offset=(page - 1) * per_page)
    ).scalars()
    return page_json(
        [commitment_json(c) for c in rows],
        totals["count"],
        page,
        per_page,
        figures={k: (str(v) if v is not None and not isinstance(v, int) else v) for k, v in totals.items()},
    )


@bp.route("/projects/<int:project_id>/commitments")
@roles_required(*READ_ROLES)
def project_commitments(project_id: int):
    """A project's commitments, clause by clause."""
    return page_under(
        Project,
        project_id,
        Commitment.project_id,
        commitment_json,
        order_by=(Commitment.due_on, Commitment.id),
        options=(selectinload(Commitment.fulfillments),),
    )


@bp.route("/projects/<int:project_id>/commitments", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_commitment(project_id: int):
    """Draft a commitment to a project's investor under a policy clause."""
    return create_under(
        Project, project_id, read=_new_commitment, create=services.create_commitment, answer=commitment_json
    )


@bp.route("/commitments/<int:commitment_id>")
@roles_required(*READ_ROLES)
def get_commitment(commitment_id: int):
    """One commitment with its status, decisions and fulfilment so far."""
    return jsonify(commitment_detail_json(load_or_404(Commitment, commitment_id)))


@bp.route("/commitments/<int:commitment_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_commitment(commitment_id: int):
    """Change a drafted commitment; the body's ``version`` must be the stored one."""
    return patch_at_version(
        Commitment,
        commitment_id,
        read=_commitment_changes,
        update=services.update_commitment,
        answer=commitment_json,
    )


@bp.route("/commitments/<int:commitment_id>/approve", methods=["POST"])
@roles_required("manager")
def approve_commitment(commitment_id: int):
    """Approve a commitment (managers); the rules may refuse it with 422."""
    return act_on(
        Commitment,
        commitment_id,
        read=lambda data: {"decision": _decision_input(data), "version": data.version()},
        act=services.approve_commitment,
        answer=commitment_json,
        body_optional=True,
    )


def _decision_input(data: Input) -> DecisionInput:
    """The collective decision of an approval above the cap; one person's free-text reason
    (``override_reason``, accepted before) is refused by name rather than ignored."""
    if data.has("override_reason"):
        data._fail(
            "override_reason",
            _(
                "超出上限须有集体决策记录（decision_meeting、decision_held_on、decision_minute_no），不再接受理由文字"
            ),
        )
    return DecisionInput(
        data.text("decision_meeting"), data.day("decision_held_on"), data.text("decision_minute_no")
    )


@bp.route("/commitments/<int:commitment_id>/reviews", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_review(commitment_id: int):
    """Record a fair-competition review or legality check of a commitment and its conclusion."""
    return create_under(
        Commitment, commitment_id, read=_review_fields, create=services.add_review, answer=review_json
    )


def _review_fields(data: Input) -> dict:
    return {
        "kind": data.choice("kind"),
        "reviewer": data.text("reviewer"),
        "reviewed_on": data.day("reviewed_on"),
        "document_no": data.text("document_no"),
        "conclusion": data.choice("conclusion"),
        "attachment_ref": data.text("attachment_ref"),
        "note": data.text("note"),
        "version": data.version(),
    }


@bp.route("/commitments/<int:commitment_id>/refuse", methods=["POST"])
@roles_required("manager")
def refuse_commitment(commitment_id: int):
    """Refuse a commitment (驳回) with the manager's reason."""
    return act_on(
        Commitment,
        commitment_id,
        read=lambda data: {"reason": data.text("reason"), "version": data.version()},
        act=services.refuse_commitment,
        answer=commitment_detail_json,
    )


@bp.route("/commitments/<int:commitment_id>/transitions", methods=["POST"])
@roles_required("manager")
def transition_commitment(commitment_id: int):
    """Apply a manager's action to a commitment (approve, suspend, resume, revoke, claw back)."""
    commitment = writable(Commitment, commitment_id)
    fields = read_input(
        lambda data: {
            "action": data.text("action"),
            "note": data.text("note"),
            "decision": _decision_input(data),
            "version": data.version(),
        }
    )
    services.change_status(commitment, current_user, fields.pop("action") or "", **fields)
    return committed(commitment_json, commitment)


@bp.route("/commitments/<int:commitment_id>/fulfillments")
@roles_required(*READ_ROLES)
def list_fulfillments(commitment_id: int):
    """A commitment's fulfilments (money or measures delivered), oldest first."""
    return page_under(
        Commitment,
        commitment_id,
        Fulfillment.commitment_id,
        fulfillment_json,
        order_by=(Fulfillment.fulfilled_on, Fulfillment.id),
    )


@bp.route("/commitments/<int:commitment_id>/fulfillments", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_fulfillment(commitment_id: int):
    """Record a fulfilment of a commitment (when, how much, the evidence)."""
    return create_under(
        Commitment,
        commitment_id,
        read=_fulfillment_fields,
        create=services.record_fulfillment,
        answer=_fulfillment_answer,
    )


def _fulfillment_fields(data: Input) -> dict:
    return {
        "fulfilled_on": data.day("fulfilled_on"),
        "amount_wan": data.money("amount_wan"),
        "evidence": data.text("evidence"),
        "note": data.text("note"),
        "conditions_evidence": data.text("conditions_evidence"),
        "decision": _decision_input(data),
        "version": data.version(),
    }


def _fulfillment_answer(fulfillment: Fulfillment) -> dict:
    """A new fulfilment and the commitment it was recorded on, as that is now."""
    return {**fulfillment_json(fulfillment), "commitment": commitment_json(fulfillment.commitment)}


@bp.route("/commitments/<int:commitment_id>/obligations", methods=["POST"])
@roles_required(*WRITE_ROLES)
def link_obligations(commitment_id: int):
    """Tie a commitment to the investor obligations its fulfilment depends on."""
    commitment = writable(Commitment, commitment_id)
    fields = read_input(lambda data: {"ids": _obligation_ids(data), "version": data.version()})
    services.link_obligations(commitment, current_user, fields["ids"], version=fields["version"])
    return committed(commitment_detail_json, commitment)


def _obligation_ids(data: Input) -> list[int]:
    raw = data.data.get("obligation_ids")
    if not isinstance(raw, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in raw
    ):
        data._fail("obligation_ids", _("应为履约事项 id 的列表"))
        return []
    return raw


# ---- obligations ----------------------------------------------------------------------

OBLIGATION_FIELDS = ("kind", "target_value", "due_on", "consequence", "note")


def _obligation_fields(data: Input, present_only: bool) -> dict:
    readers = {
        "kind": lambda: data.choice("kind"),
        "target_value": lambda: data.number("target_value"),
        "due_on": lambda: data.day("due_on"),
        "consequence": lambda: data.choice("consequence"),
        "note": lambda: data.text("note"),
    }
    return {key: read() for key, read in readers.items() if not present_only or data.has(key)}


def _new_obligation(data: Input) -> dict:
    return _obligation_fields(data, present_only=False)


def _obligation_changes(data: Input) -> dict:
    data.refuse_other_keys(OBLIGATION_FIELDS, _("不能通过此接口修改（核验请用 outcome）"))
    return _obligation_fields(data, present_only=True)


@bp.route("/projects/<int:project_id>/obligations")
@roles_required(*READ_ROLES)
def project_obligations(project_id: int):
    """A project's investor obligations (investment, output, tax, jobs)."""
    return page_under(
        Project,
        project_id,
        Obligation.project_id,
        obligation_json,
        order_by=(Obligation.due_on, Obligation.id),
    )


@bp.route("/projects/<int:project_id>/obligations", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_obligation(project_id: int):
    """Add an obligation the investor took on for a project."""
    return create_under(
        Project, project_id, read=_new_obligation, create=services.create_obligation, answer=obligation_json
    )


@bp.route("/obligations/<int:obligation_id>")
@roles_required(*READ_ROLES)
def get_obligation(obligation_id: int):
    """One obligation with its outcome."""
    return jsonify(obligation_json(load_or_404(Obligation, obligation_id)))


@bp.route("/obligations/<int:obligation_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_obligation(obligation_id: int):
    """Change an obligation; the body's ``version`` must be the stored one."""
    return patch_at_version(
        Obligation,
        obligation_id,
        read=_obligation_changes,
        update=services.update_obligation,
        answer=obligation_json,
    )


@bp.route("/obligations/<int:obligation_id>/outcome", methods=["POST"])
@roles_required(*WRITE_ROLES)
def obligation_outcome(obligation_id: int):
    """Record what the investor delivered against an obligation, or that it was missed."""
    return act_on(
        Obligation,
        obligation_id,
        read=_outcome_fields,
        act=services.record_obligation_outcome,
        answer=obligation_json,
    )


def _outcome_fields(data: Input) -> dict:
    return {
        "actual_value": data.number("actual_value"),
        "actual_on": data.day("actual_on"),
        "missed": data.flag("missed"),
        "note": data.text("note"),
        "version": data.version(),
    }


@bp.route("/obligations/<int:obligation_id>/lift", methods=["POST"])
@roles_required("manager")
def lift_withhold(obligation_id: int):
    """Lift the withholding a missed obligation put on its commitments."""
    obligation = writable(Obligation, obligation_id)
    fields = read_input(lambda data: {"note": data.text("note"), "version": data.version()})
    restored = services.lift_withhold(obligation, current_user, **fields)
    return committed(_lifted_json, obligation, restored)


def _lifted_json(obligation: Obligation, restored: list[Commitment]) -> dict:
    """An obligation whose withhold was lifted and the commitments it restored."""
    return {**obligation_json(obligation), "restored": [commitment_json(c) for c in restored]}
