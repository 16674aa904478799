"""Pages: policy catalog, commitment registers, commitment detail with its actions,
investor obligations, and register exports."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.commitments import policies as policy_services
from crm.commitments import services
from crm.commitments.exports import export_response
from crm.commitments.forms import (
    ApproveForm,
    CommitmentForm,
    FulfillmentForm,
    LiftForm,
    ObligationForm,
    OutcomeForm,
    PolicyForm,
    RefuseForm,
    StatusForm,
)
from crm.commitments.models import (
    COMMITMENT_STATUSES,
    CONSEQUENCES,
    DECISIONS,
    FAIR_REVIEW_STATES,
    LEGAL_REVIEW_STATES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    OBLIGATION_UNITS,
    POLICY_KINDS,
    Commitment,
    Obligation,
    Policy,
)
from crm.commitments.register import (
    RegisterFilters,
    export_rows,
    figures,
    format_rate,
    parse_filters,
    register_rows,
)
from crm.core import clock
from crm.core.access import (
    READ_ROLES,
    WRITE_ROLES,
    load_or_404,
    require_write,
    roles_required,
)
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.core.pagination import page_args
from crm.projects.models import Project
from crm.regions.models import Region

bp = Blueprint("commitments", __name__)

LABELS = {
    "policy_kinds": POLICY_KINDS,
    "fair_review": FAIR_REVIEW_STATES,
    "legal_review": LEGAL_REVIEW_STATES,
    "statuses": COMMITMENT_STATUSES,
    "obligation_kinds": OBLIGATION_KINDS,
    "obligation_statuses": OBLIGATION_STATUSES,
    "obligation_units": OBLIGATION_UNITS,
    "consequences": CONSEQUENCES,
    "actions": services.ACTION_LABELS,
    "decisions": DECISIONS,
}


@bp.context_processor
def _labels():
    return {"labels": LABELS, "format_rate": format_rate}


def _version(form) -> int | None:
    raw = (form.version.data or "").strip()
    return int(raw) if raw.isdigit() else None


def _conflict(exc: ConflictError) -> None:
    flash(exc.message, "warning")


# ---- policies -------------------------------------------------------------------------


@bp.route("/policies")
@roles_required(*READ_ROLES, "admin")
def policies():
    page, per_page = page_args()
    statement = policy_services.visible_policies(current_user)
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    rows = (
        db.session.execute(
            statement.options(selectinload(Policy.region)).limit(per_page).offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    manageable = {r.id for r in policy_services.manageable_regions(current_user)}
    return render_template(
        "commitments/policies.html",
        policies=rows,
        manageable=manageable,
        today=clock.today(),
        page=page,
        per_page=per_page,
        total=total,
    )


def _policy_form(policy: Policy | None) -> PolicyForm:
    form = PolicyForm(obj=policy if request.method == "GET" else None)
    regions = policy_services.manageable_regions(current_user)
    form.region_id.choices = [(str(r.id), f"{r.code} {r.name}") for r in regions]
    if policy is not None:
        form.region_id.choices = [(str(policy.region_id), policy.region.name)]
        if request.method == "GET":
            form.region_id.data = str(policy.region_id)
            form.version.data = str(policy.version)
    return form


def _policy_values(form: PolicyForm) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "legal_basis": form.legal_basis.data,
        "max_amount_wan": form.max_amount_wan.data,
        "max_ratio_pct": form.max_ratio_pct.data,
        "valid_from": form.valid_from.data,
        "valid_to": form.valid_to.data,
        "fair_review": form.fair_review.data,
        "description": form.description.data,
    }


@bp.route("/policies/new", methods=["GET", "POST"])
@roles_required("manager", "admin")
def create_policy():
    form = _policy_form(None)
    status = 200
    if form.validate_on_submit():
        region = db.session.get(Region, int(form.region_id.data))
        try:
            policy_services.create_policy(current_user, region, **_policy_values(form))
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            status = exc.status
        else:
            db.session.commit()
            flash(_("政策已发布"), "success")
            return redirect(url_for("commitments.policies"))
    elif request.method == "POST":
        status = 422
    return render_template("commitments/policy_form.html", form=form, policy=None), status


@bp.route("/policies/<int:policy_id>/edit", methods=["GET", "POST"])
@roles_required("manager", "admin")
def edit_policy(policy_id: int):
    policy = policy_services.load_policy_or_404(current_user, policy_id)
    if not policy_services.can_manage_policy_region(current_user, policy.region):
        abort(403)
    form = _policy_form(policy)
    status = 200
    if form.validate_on_submit():
        try:
            policy_services.update_policy(
                policy, current_user, version=_version(form), **_policy_values(form)
            )
        except ConflictError as exc:
            db.session.rollback()
            _conflict(exc)
            return render_template(
                "commitments/policy_form.html", form=form, policy=policy, conflict=exc.current
            ), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            status = exc.status
        else:
            db.session.commit()
            flash(_("政策已保存"), "success")
            return redirect(url_for("commitments.policies"))
    elif request.method == "POST":
        status = 422
    return render_template("commitments/policy_form.html", form=form, policy=policy), status


# ---- registers ------------------------------------------------------------------------


def _filters_or_flash() -> RegisterFilters:
    filters, errors = parse_filters(request.args)
    for messages in errors.values():
        for message in messages:
            flash(message, "warning")
    return filters


@bp.route("/commitments")
@roles_required(*READ_ROLES)
def index():
    today = clock.today()
    filters = _filters_or_flash()
    page, per_page = page_args()
    totals = figures(filters, today)  # its count is the pager's total: no second count
    rows = register_rows(filters, today, limit=per_page, offset=(page - 1) * per_page)
    return render_template(
        "commitments/index.html",
        rows=rows,
        figures=totals,
        filters=filters,
        today=today,
        page=page,
        per_page=per_page,
        total=totals["count"],
    )


@bp.route("/commitments/export.<fmt>")
@roles_required(*READ_ROLES)
def export(fmt: str):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    today = clock.today()
    filters = _filters_or_flash()
    encoding = "gb18030" if request.args.get("encoding", "").lower() == "gb18030" else "utf-8-sig"
    return export_response(export_rows(filters, today, current_user), today, fmt, encoding)


@bp.route("/projects/<int:project_id>/commitments")
@roles_required(*READ_ROLES)
def project_register(project_id: int):
    project = load_or_404(Project, project_id)
    today = clock.today()
    filters = RegisterFilters(project_id=project.id)
    obligations = (
        db.session.execute(
            select(Obligation)
            .where(Obligation.project_id == project.id)
            .order_by(Obligation.due_on, Obligation.id)
        )
        .scalars()
        .all()
    )
    return render_template(
        "commitments/project.html",
        project=project,
        rows=register_rows(filters, today),
        figures=figures(filters, today),
        obligations=obligations,
        today=today,
    )


# ---- commitments ----------------------------------------------------------------------


def _commitment_form(project: Project, commitment: Commitment | None) -> CommitmentForm:
    form = CommitmentForm(obj=commitment if request.method == "GET" else None)
    rows = db.session.execute(policy_services.policies_for_county(project.county_id)).scalars()
    form.policy_id.choices = [("", _("请选择"))] + [(str(p.id), f"{p.name}（{p.legal_basis}）") for p in rows]
    if commitment is not None and request.method == "GET":
        form.policy_id.data = str(commitment.policy_id)
        form.version.data = str(commitment.version)
    return form


def _commitment_values(form: CommitmentForm) -> dict:
    raw = (form.policy_id.data or "").strip()
    policy = None
    if raw.isdigit():
        policy = db.session.get(Policy, int(raw))
    return {
        "policy": policy,
        "clause": form.clause.data,
        "amount_wan": form.amount_wan.data,
        "due_on": form.due_on.data,
        "committed_on": form.committed_on.data,
        "conditions": form.conditions.data,
        "fair_review": form.fair_review.data,
        "legal_review": form.legal_review.data,
    }


@bp.route("/projects/<int:project_id>/commitments/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create_commitment(project_id: int):
    project = load_or_404(Project, project_id)
    require_write(project)
    form = _commitment_form(project, None)
    status = 200
    if form.validate_on_submit():
        try:
            commitment = services.create_commitment(project, current_user, **_commitment_values(form))
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            status = exc.status
        else:
            db.session.commit()
            flash(_("承诺已起草，待局长批准"), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    elif request.method == "POST":
        status = 422
    return render_template("commitments/form.html", form=form, project=project, commitment=None), status


@bp.route("/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_commitment(commitment_id: int):
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    form = _commitment_form(commitment.project, commitment)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_commitment(
                commitment, current_user, version=_version(form), **_commitment_values(form)
            )
        except ConflictError as exc:
            db.session.rollback()
            _conflict(exc)
            return render_template(
                "commitments/form.html",
                form=form,
                project=commitment.project,
                commitment=commitment,
                conflict=exc.current,
            ), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            status = exc.status
        else:
            db.session.commit()
            flash(_("承诺已保存"), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "commitments/form.html", form=form, project=commitment.project, commitment=commitment
    ), status


def _render_detail(commitment: Commitment, status: int = 200, **forms):
    version = str(commitment.version)
    approve_form = forms.get("approve_form") or ApproveForm(formdata=None, version=version)
    refuse_form = forms.get("refuse_form") or RefuseForm(formdata=None, version=version)
    status_form = forms.get("status_form") or StatusForm(formdata=None, version=version)
    fulfillment_form = forms.get("fulfillment_form") or FulfillmentForm(formdata=None, version=version)
    return render_template(
        "commitments/detail.html",
        commitment=commitment,
        today=clock.today(),
        cap=services.policy_cap(commitment.policy, commitment.project),
        cap_problem=services.cap_problem(commitment),
        actions=services.allowed_actions(commitment),
        approve_form=approve_form,
        refuse_form=refuse_form,
        status_form=status_form,
        fulfillment_form=fulfillment_form,
        decisions=services.decision_history(commitment),
        conflict=forms.get("conflict"),
    ), status


@bp.route("/commitments/<int:commitment_id>")
@roles_required(*READ_ROLES)
def detail(commitment_id: int):
    return _render_detail(load_or_404(Commitment, commitment_id))


def _act(commitment: Commitment, form, form_name: str, call, success: str):
    """Run one service call from a detail-page form and answer like every form does."""
    if not form.validate_on_submit():
        return _render_detail(commitment, 422, **{form_name: form})
    try:
        call()
    except ConflictError as exc:
        db.session.rollback()
        _conflict(exc)
        db.session.refresh(commitment)
        return _render_detail(commitment, 409, conflict=exc.current)
    except ServiceError as exc:
        db.session.rollback()
        placed = any(getattr(form, name, None) is not None for name in exc.errors)
        apply_service_errors(form, exc)  # flashes the message itself when no field takes it
        if placed:
            flash(exc.message, "danger")
        db.session.refresh(commitment)
        return _render_detail(commitment, exc.status, **{form_name: form})
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id))


@bp.route("/commitments/<int:commitment_id>/approve", methods=["POST"])
@roles_required("manager")
def approve(commitment_id: int):
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    form = ApproveForm()
    return _act(
        commitment,
        form,
        "approve_form",
        lambda: services.approve_commitment(
            commitment, current_user, override_reason=form.override_reason.data, version=_version(form)
        ),
        _("承诺已批准"),
    )


@bp.route("/commitments/<int:commitment_id>/refuse", methods=["POST"])
@roles_required("manager")
def refuse(commitment_id: int):
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    form = RefuseForm()
    return _act(
        commitment,
        form,
        "refuse_form",
        lambda: services.refuse_commitment(
            commitment, current_user, reason=form.reason.data, version=_version(form)
        ),
        _("承诺已驳回，退回起草人修改"),
    )


@bp.route("/commitments/<int:commitment_id>/status", methods=["POST"])
@roles_required("manager")
def change_status(commitment_id: int):
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    form = StatusForm()
    return _act(
        commitment,
        form,
        "status_form",
        lambda: services.change_status(
            commitment, current_user, form.action.data or "", note=form.note.data, version=_version(form)
        ),
        _("承诺状态已更新"),
    )


@bp.route("/commitments/<int:commitment_id>/fulfillments", methods=["POST"])
@roles_required(*WRITE_ROLES)
def add_fulfillment(commitment_id: int):
    commitment = load_or_404(Commitment, commitment_id)
    require_write(commitment)
    form = FulfillmentForm()
    return _act(
        commitment,
        form,
        "fulfillment_form",
        lambda: services.record_fulfillment(
            commitment,
            current_user,
            fulfilled_on=form.fulfilled_on.data,
            amount_wan=form.amount_wan.data,
            evidence=form.evidence.data,
            note=form.note.data,
            version=_version(form),
        ),
        _("兑现已登记"),
    )


# ---- obligations ----------------------------------------------------------------------


def _obligation_values(form: ObligationForm) -> dict:
    return {
        "kind": form.kind.data,
        "target_value": form.target_value.data,
        "due_on": form.due_on.data,
        "consequence": form.consequence.data,
        "note": form.note.data,
    }


def _obligation_page(
    template: str, obligation: Obligation | None, project: Project, form, call, success: str
):
    status = 200
    if form.validate_on_submit():
        try:
            call()
        except ConflictError as exc:
            db.session.rollback()
            _conflict(exc)
            return render_template(
                template, form=form, project=project, obligation=obligation, conflict=exc.current
            ), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_service_errors(form, exc)
            status = exc.status
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for("commitments.project_register", project_id=project.id))
    elif request.method == "POST":
        status = 422
    return render_template(template, form=form, project=project, obligation=obligation), status


@bp.route("/projects/<int:project_id>/obligations/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create_obligation(project_id: int):
    project = load_or_404(Project, project_id)
    require_write(project)
    form = ObligationForm()
    return _obligation_page(
        "commitments/obligation_form.html",
        None,
        project,
        form,
        lambda: services.create_obligation(project, current_user, **_obligation_values(form)),
        _("企业履约事项已登记"),
    )


@bp.route("/obligations/<int:obligation_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_obligation(obligation_id: int):
    obligation = load_or_404(Obligation, obligation_id)
    require_write(obligation)
    form = ObligationForm(obj=obligation if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(obligation.version)
    return _obligation_page(
        "commitments/obligation_form.html",
        obligation,
        obligation.project,
        form,
        lambda: services.update_obligation(
            obligation, current_user, version=_version(form), **_obligation_values(form)
        ),
        _("企业履约事项已保存"),
    )


@bp.route("/obligations/<int:obligation_id>/outcome", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def obligation_outcome(obligation_id: int):
    obligation = load_or_404(Obligation, obligation_id)
    require_write(obligation)
    form = OutcomeForm()
    if request.method == "GET":
        form.version.data = str(obligation.version)
    return _obligation_page(
        "commitments/outcome_form.html",
        obligation,
        obligation.project,
        form,
        lambda: services.record_obligation_outcome(
            obligation,
            current_user,
            actual_value=form.actual_value.data,
            actual_on=form.actual_on.data,
            missed=form.missed.data,
            note=form.note.data,
            version=_version(form),
        ),
        _("履约核验已记录"),
    )


@bp.route("/obligations/<int:obligation_id>/lift", methods=["GET", "POST"])
@roles_required("manager")
def lift_withhold(obligation_id: int):
    obligation = load_or_404(Obligation, obligation_id)
    require_write(obligation)
    form = LiftForm()
    if request.method == "GET":
        form.version.data = str(obligation.version)
    return _obligation_page(
        "commitments/lift_form.html",
        obligation,
        obligation.project,
        form,
        lambda: services.lift_withhold(obligation, current_user, note=form.note.data, version=_version(form)),
        _("已解除暂缓，相关承诺恢复原状态"),
    )
