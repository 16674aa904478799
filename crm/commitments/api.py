"""JSON API: policies, commitments, fulfillments and investor obligations under /api/v1.

Every value is type-checked here before a service sees it; anything malformed answers 422
with ``errors`` per field, never a 500.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.api.util import api_value, columns_dict, json_body, page_args, page_json, page_of_list, paginate
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
from crm.core.access import (
    READ_ROLES,
    WRITE_ROLES,
    load_or_404,
    require_write,
    roles_required,
)
from crm.core.db import db
from crm.core.errors import ServiceError
from crm.projects.models import Project
from crm.regions.models import Region
from crm.util.dates import parse_user_date
from crm.util.money import parse_wan

# ---- input ----------------------------------------------------------------------------


class Input:
    """Reads typed values from a JSON object, collecting one message per bad field."""

    def __init__(self, data: dict):
        self.data, self.errors = data, {}

    def has(self, key: str) -> bool:
        return key in self.data

    def _fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def text(self, key: str, default=None):
        value = self.data.get(key, default)
        if value is None or isinstance(value, str):
            return value
        self._fail(key, _("应为文本"))
        return None

    def choice(self, key: str, default=None):
        return self.text(key, default)

    def money(self, key: str):
        value = self.data.get(key)
        if value is None or value == "":
            return None
        try:
            return parse_wan(value)
        except (ValueError, TypeError) as exc:
            self._fail(key, str(exc) or _("金额无效"))
            return None

    def number(self, key: str):
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self._fail(key, _("应为数字"))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self._fail(key, _("应为数字"))
            return None
        if not number.is_finite():
            self._fail(key, _("应为有限的数字"))
            return None
        return number

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self._fail(key, _("日期应写成 2025-03-05"))
            return None
        try:
            return parse_user_date(value)
        except ValueError as exc:
            self._fail(key, str(exc))
            return None

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if isinstance(value, bool):
            return value
        self._fail(key, _("应为 true 或 false"))
        return False

    def version(self) -> int | None:
        """The version every change carries (the OpenAPI body requires it: a body without
        one is refused before the view; this names it for any caller past the contract)."""
        value = self.data.get("version")
        if value is None:
            self._fail("version", _("请提供记录的 version（防止覆盖他人的修改）"))
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail("version", _("version 应为整数"))
            return None
        return value

    def check(self) -> None:
        if self.errors:
            raise ServiceError(_("请求中的字段有误"), self.errors)


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
    data = Input(json_body())
    code = data.text("region_code")
    fields = _policy_fields(data)
    data.check()
    if code is None and current_user.county_id is not None:
        region = current_user.region
    else:
        region = db.session.execute(select(Region).where(Region.code == (code or ""))).scalar_one_or_none()
        if region is None:
            raise ServiceError(_("请求中的字段有误"), {"region_code": [_("未知的区划代码")]})
    policy = policy_services.create_policy(current_user, region, **fields)
    db.session.commit()
    return jsonify(policy_json(policy)), 201


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
    data = Input(json_body())
    version = data.version()
    current = {
        "name": policy.name,
        "kind": policy.kind,
        "legal_basis": policy.legal_basis,
        "max_amount_wan": policy.max_amount_wan,
        "max_ratio_pct": policy.max_ratio_pct,
        "valid_from": policy.valid_from,
        "valid_to": policy.valid_to,
        "fair_review": policy.fair_review,
        "description": policy.description,
    }
    for key in sorted(set(data.data) - set(current) - {"version"}):
        data._fail(key, _("不能通过此接口修改"))
    sent = _policy_fields(data)
    data.check()
    current.update({key: value for key, value in sent.items() if data.has(key)})
    policy_services.update_policy(policy, current_user, version=version, **current)
    db.session.commit()
    return jsonify(policy_json(policy))


@bp.route("/policies/<int:policy_id>/withdraw", methods=["POST"])
@roles_required("manager", "admin")
def withdraw_policy(policy_id: int):
    """Withdraw a policy: no new commitment may cite it."""
    policy = policy_services.load_policy_or_404(current_user, policy_id)
    data = Input(json_body())
    fields = {
        "withdrawn_on": data.day("withdrawn_on"),
        "document": data.text("document"),
        "reason": data.text("reason"),
        "version": data.version(),
    }
    data.check()
    policy_services.withdraw_policy(policy, current_user, **fields)
    db.session.commit()
    return jsonify(policy_json(policy))


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
    page, per_page = page_args()
    return page_of_list(queries.cleanup_list(), page, per_page, cleanup_json)


@bp.route("/commitments/<int:commitment_id>/cleanup", methods=["POST"])
@roles_required("manager")
def resolve_cleanup(commitment_id: int):
    """Decide one commitment of the 存量清理 list: fulfil it as the law requires, or revoke it."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    fields = {
        "resolution": data.choice("resolution"),
        "note": data.text("note"),
        "decision": _decision_input(data),
        "version": data.version(),
    }
    data.check()
    services.resolve_cleanup(commitment, current_user, **fields)
    db.session.commit()
    return jsonify(commitment_detail_json(commitment))


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
    project = load_or_404(Project, project_id)
    return paginate(
        select(Commitment)
        .where(Commitment.project_id == project.id)
        .options(selectinload(Commitment.fulfillments))
        .order_by(Commitment.due_on, Commitment.id),
        commitment_json,
    )


@bp.route("/projects/<int:project_id>/commitments", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_commitment(project_id: int):
    """Draft a commitment to a project's investor under a policy clause."""
    project = load_or_404(Project, project_id)
    require_write(project)
    data = Input(json_body())
    fields = _commitment_fields(data, present_only=False)
    data.check()
    commitment = services.create_commitment(project, current_user, **fields)
    db.session.commit()
    return jsonify(commitment_json(commitment)), 201


@bp.route("/commitments/<int:commitment_id>")
@roles_required(*READ_ROLES)
def get_commitment(commitment_id: int):
    """One commitment with its status, decisions and fulfilment so far."""
    return jsonify(commitment_detail_json(load_or_404(Commitment, commitment_id)))


@bp.route("/commitments/<int:commitment_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_commitment(commitment_id: int):
    """Change a drafted commitment; the body's ``version`` must be the stored one."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    version = data.version()
    unknown = sorted(set(data.data) - set(COMMITMENT_FIELDS) - {"version"})
    for key in unknown:
        data._fail(key, _("不能通过此接口修改（状态请用 approve/transitions，兑现请用 fulfillments）"))
    fields = _commitment_fields(data, present_only=True)
    data.check()
    services.update_commitment(commitment, current_user, version=version, **fields)
    db.session.commit()
    return jsonify(commitment_json(commitment))


@bp.route("/commitments/<int:commitment_id>/approve", methods=["POST"])
@roles_required("manager")
def approve_commitment(commitment_id: int):
    """Approve a commitment (managers); the rules may refuse it with 422."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body() if request.get_data() else {})
    decision, version = _decision_input(data), data.version()
    data.check()
    services.approve_commitment(commitment, current_user, decision=decision, version=version)
    db.session.commit()
    return jsonify(commitment_json(commitment))


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
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    fields = {
        "kind": data.choice("kind"),
        "reviewer": data.text("reviewer"),
        "reviewed_on": data.day("reviewed_on"),
        "document_no": data.text("document_no"),
        "conclusion": data.choice("conclusion"),
        "attachment_ref": data.text("attachment_ref"),
        "note": data.text("note"),
    }
    version = data.version()
    data.check()
    review = services.add_review(commitment, current_user, version=version, **fields)
    db.session.commit()
    return jsonify(review_json(review)), 201


@bp.route("/commitments/<int:commitment_id>/refuse", methods=["POST"])
@roles_required("manager")
def refuse_commitment(commitment_id: int):
    """Refuse a commitment (驳回) with the manager's reason."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    reason, version = data.text("reason"), data.version()
    data.check()
    services.refuse_commitment(commitment, current_user, reason=reason, version=version)
    db.session.commit()
    return jsonify(commitment_detail_json(commitment))


@bp.route("/commitments/<int:commitment_id>/transitions", methods=["POST"])
@roles_required("manager")
def transition_commitment(commitment_id: int):
    """Apply a manager's action to a commitment (approve, suspend, resume, revoke, claw back)."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    action, note = data.text("action"), data.text("note")
    decision, version = _decision_input(data), data.version()
    data.check()
    services.change_status(
        commitment, current_user, action or "", note=note, version=version, decision=decision
    )
    db.session.commit()
    return jsonify(commitment_json(commitment))


@bp.route("/commitments/<int:commitment_id>/fulfillments")
@roles_required(*READ_ROLES)
def list_fulfillments(commitment_id: int):
    """A commitment's fulfilments (money or measures delivered), oldest first."""
    commitment = load_or_404(Commitment, commitment_id)
    return paginate(
        select(Fulfillment)
        .where(Fulfillment.commitment_id == commitment.id)
        .order_by(Fulfillment.fulfilled_on, Fulfillment.id),
        fulfillment_json,
    )


@bp.route("/commitments/<int:commitment_id>/fulfillments", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_fulfillment(commitment_id: int):
    """Record a fulfilment of a commitment (when, how much, the evidence)."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    fields = {
        "fulfilled_on": data.day("fulfilled_on"),
        "amount_wan": data.money("amount_wan"),
        "evidence": data.text("evidence"),
        "note": data.text("note"),
        "conditions_evidence": data.text("conditions_evidence"),
        "decision": _decision_input(data),
        "version": data.version(),
    }
    data.check()
    fulfillment = services.record_fulfillment(commitment, current_user, **fields)
    db.session.commit()
    return jsonify({**fulfillment_json(fulfillment), "commitment": commitment_json(commitment)}), 201


@bp.route("/commitments/<int:commitment_id>/obligations", methods=["POST"])
@roles_required(*WRITE_ROLES)
def link_obligations(commitment_id: int):
    """Tie a commitment to the investor obligations its fulfilment depends on."""
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    data = Input(json_body())
    raw = data.data.get("obligation_ids")
    ids = []
    if not isinstance(raw, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in raw
    ):
        data._fail("obligation_ids", _("应为履约事项 id 的列表"))
    else:
        ids = raw
    version = data.version()
    data.check()
    services.link_obligations(commitment, current_user, ids, version=version)
    db.session.commit()
    return jsonify(commitment_detail_json(commitment))


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


@bp.route("/projects/<int:project_id>/obligations")
@roles_required(*READ_ROLES)
def project_obligations(project_id: int):
    """A project's investor obligations (investment, output, tax, jobs)."""
    project = load_or_404(Project, project_id)
    return paginate(
        select(Obligation)
        .where(Obligation.project_id == project.id)
        .order_by(Obligation.due_on, Obligation.id),
        obligation_json,
    )


@bp.route("/projects/<int:project_id>/obligations", methods=["POST"])
@roles_required(*WRITE_ROLES)
def create_obligation(project_id: int):
    """Add an obligation the investor took on for a project."""
    project = load_or_404(Project, project_id)
    require_write(project)
    data = Input(json_body())
    fields = _obligation_fields(data, present_only=False)
    data.check()
    obligation = services.create_obligation(project, current_user, **fields)
    db.session.commit()
    return jsonify(obligation_json(obligation)), 201


@bp.route("/obligations/<int:obligation_id>")
@roles_required(*READ_ROLES)
def get_obligation(obligation_id: int):
    """One obligation with its outcome."""
    return jsonify(obligation_json(load_or_404(Obligation, obligation_id)))


@bp.route("/obligations/<int:obligation_id>", methods=["PATCH"])
@roles_required(*WRITE_ROLES)
def patch_obligation(obligation_id: int):
    """Change an obligation; the body's ``version`` must be the stored one."""
    obligation = load_or_404(Obligation, obligation_id)
    require_write(obligation)
    data = Input(json_body())
    version = data.version()
    for key in sorted(set(data.data) - set(OBLIGATION_FIELDS) - {"version"}):
        data._fail(key, _("不能通过此接口修改（核验请用 outcome）"))
    fields = _obligation_fields(data, present_only=True)
    data.check()
    services.update_obligation(obligation, current_user, version=version, **fields)
    db.session.commit()
    return jsonify(obligation_json(obligation))


@bp.route("/obligations/<int:obligation_id>/outcome", methods=["POST"])
@roles_required(*WRITE_ROLES)
def obligation_outcome(obligation_id: int):
    """Record what the investor delivered against an obligation, or that it was missed."""
    obligation = load_or_404(Obligation, obligation_id)
    require_write(obligation)
    data = Input(json_body())
    fields = {
        "actual_value": data.number("actual_value"),
        "actual_on": data.day("actual_on"),
        "missed": data.flag("missed"),
        "note": data.text("note"),
        "version": data.version(),
    }
    data.check()
    services.record_obligation_outcome(obligation, current_user, **fields)
    db.session.commit()
    return jsonify(obligation_json(obligation))


@bp.route("/obligations/<int:obligation_id>/lift", methods=["POST"])
@roles_required("manager")
def lift_withhold(obligation_id: int):
    """Lift the withholding a missed obligation put on its commitments."""
    obligation = load_or_404(Obligation, obligation_id)
    require_write(obligation)
    data = Input(json_body())
    note, version = data.text("note"), data.version()
    data.check()
    restored = services.lift_withhold(obligation, current_user, note=note, version=version)
    db.session.commit()
    return jsonify({**obligation_json(obligation), "restored": [commitment_json(c) for c in restored]})
