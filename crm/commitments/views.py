"""Pages of the commitments (承诺): the registers and their exports, drafting, and the
detail page with the manager's decisions, status changes and fulfillments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.commitments import policies as policy_services
from crm.commitments import queries, services
from crm.commitments.blueprints import bp
from crm.commitments.exports import export_response
from crm.commitments.forms import (
    ApproveForm,
    CommitmentForm,
    FulfillmentForm,
    LinkObligationsForm,
    RefuseForm,
    ReviewForm,
    StatusForm,
)
from crm.commitments.models import (
    COMMITMENT_STATUSES,
    OBLIGATION_KINDS,
    OBLIGATION_STATUSES,
    Commitment,
    Policy,
)
from crm.commitments.payment import payment_blockers
from crm.commitments.register import RegisterFilters, export_rows, figures, parse_filters, register_rows
from crm.commitments.reviews import approval_problems
from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, roles_required, writable
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.handlers import edit_form, form_page, form_post
from crm.core.pagination import page_args
from crm.core.parsing import int_or_none
from crm.core.redirects import next_or
from crm.projects.models import Project
from crm.projects.sections import ProjectAction, ProjectSection

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
    """The commitment register (承诺兑现台账) of the readable counties, filtered, with its figures."""
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
    """The filtered register as XLSX or CSV (UTF-8 or GB18030)."""
    if fmt not in ("xlsx", "csv"):
        abort(404)
    today = clock.today()
    filters = _filters_or_flash()
    encoding = "gb18030" if request.args.get("encoding", "").lower() == "gb18030" else "utf-8-sig"
    return export_response(export_rows(filters, today, current_user), today, fmt, encoding)


@bp.route("/projects/<int:project_id>/commitments")
@roles_required(*READ_ROLES)
def project_register(project_id: int):
    """One project's commitments and the investor's obligations."""
    project = load_or_404(Project, project_id)
    today = clock.today()
    filters = RegisterFilters(project_id=project.id)
    return render_template(
        "commitments/project.html",
        project=project,
        rows=register_rows(filters, today),
        figures=figures(filters, today),
        obligations=queries.project_obligations(project.id),
        today=today,
    )


# ---- drafting -------------------------------------------------------------------------


def _commitment_form(project: Project, commitment: Commitment | None) -> CommitmentForm:
    form = edit_form(CommitmentForm, commitment)
    rows = db.session.execute(policy_services.policies_for_county(project.county_id)).scalars()
    form.policy_id.choices = [("", _("请选择"))] + [(str(p.id), f"{p.name}（{p.legal_basis}）") for p in rows]
    if commitment is not None and request.method == "GET":
        form.policy_id.data = str(commitment.policy_id)
    return form


def _commitment_values(form: CommitmentForm) -> dict:
    policy_id = int_or_none(form.policy_id.data)
    return {"policy": db.session.get(Policy, policy_id) if policy_id else None, **form.values()}


def _to_detail(commitment: Commitment):
    return redirect(url_for("commitments.detail", commitment_id=commitment.id))


@bp.route("/projects/<int:project_id>/commitments/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create_commitment(project_id: int):
    """Draft a commitment to a project's investor; a manager approves it later."""
    project = writable(Project, project_id)
    form = _commitment_form(project, None)
    return form_post(
        form,
        save=lambda: services.create_commitment(project, current_user, **_commitment_values(form)),
        page=form_page("commitments/form.html", form=form, project=project, commitment=None),
        done=lambda commitment: redirect(next_or(url_for("commitments.detail", commitment_id=commitment.id))),
        saved=_("承诺已起草，待局长批准"),
    )


@bp.route("/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_commitment(commitment_id: int):
    """Change a draft's terms (refused if someone saved it first)."""
    commitment = writable(Commitment, commitment_id)
    form = _commitment_form(commitment.project, commitment)
    return form_post(
        form,
        save=lambda: services.update_commitment(
            commitment, current_user, version=int_or_none(form.version.data), **_commitment_values(form)
        ),
        page=form_page("commitments/form.html", form=form, project=commitment.project, commitment=commitment),
        done=lambda _result: _to_detail(commitment),
        saved=_("承诺已保存"),
    )


# ---- the detail page and its actions --------------------------------------------------


#: The forms of the detail page, by the name its template knows each by.
DETAIL_FORMS = {
    "approve_form": ApproveForm,
    "refuse_form": RefuseForm,
    "review_form": ReviewForm,
    "status_form": StatusForm,
    "fulfillment_form": FulfillmentForm,
    "link_form": LinkObligationsForm,
}
#: What each of those forms hands its service besides the version (``form.values()`` if not named).
DETAIL_ARGUMENTS = {
    "refuse_form": lambda form: {"reason": form.reason.data},
    "status_form": lambda form: {"action": form.action.data or "", "note": form.note.data},
    "link_form": lambda form: {"obligation_ids": form.obligation_ids.data or []},
}


def _detail_page(commitment: Commitment, **forms):
    """The detail page, for ``form_post``: ``forms`` replaces the blank form the user posted,
    ``conflict`` holds the values now stored."""

    def page(conflict=None):
        version = str(commitment.version)
        shown = {
            name: forms.get(name) or kind(formdata=None, version=version)
            for name, kind in DETAIL_FORMS.items()
        }
        project_obligations = queries.project_obligations(commitment.project_id)
        shown["link_form"].obligation_ids.choices = [(o.id, o.id) for o in project_obligations]
        if "link_form" not in forms:
            shown["link_form"].obligation_ids.data = [o.id for o in commitment.linked_obligations]
        return render_template(
            "commitments/detail.html",
            commitment=commitment,
            today=clock.today(),
            cap=services.policy_cap(commitment.policy, commitment.project),
            cap_problem=services.cap_problem(commitment),
            actions=services.allowed_actions(commitment),
            decisions=services.decision_history(commitment),
            review_problems=approval_problems(commitment),
            risks=services.commitment_risks(commitment),
            project_obligations=project_obligations,
            payment_blockers=payment_blockers(commitment, None),
            conflict=conflict,
            **shown,
        )

    return page


@bp.route("/commitments/<int:commitment_id>")
@roles_required(*READ_ROLES)
def detail(commitment_id: int):
    """One commitment: its terms, decisions and fulfillments, and the actions allowed now."""
    return _detail_page(load_or_404(Commitment, commitment_id))()


def _detail_action(commitment_id: int, form_name: str, act, saved: str):
    """Post the detail page's form ``form_name``: ``act(commitment, user, version=…, **arguments)``
    with its ``DETAIL_ARGUMENTS``, then the detail page again (with the posted form in place
    of its blank one when refused)."""
    commitment = writable(Commitment, commitment_id)
    form = DETAIL_FORMS[form_name]()
    read = DETAIL_ARGUMENTS.get(form_name, lambda form: form.values())
    return form_post(
        form,
        save=lambda: act(commitment, current_user, version=int_or_none(form.version.data), **read(form)),
        page=_detail_page(commitment, **{form_name: form}),
        done=lambda _result: _to_detail(commitment),
        saved=saved,
    )


@bp.route("/commitments/<int:commitment_id>/approve", methods=["POST"])
@roles_required("manager")
def approve(commitment_id: int):
    """A manager other than the drafter approves a draft (both reviews passed; above the
    policy's cap only with a collective-decision record)."""

    def act(commitment: Commitment, actor, **arguments):
        try:
            return services.approve_commitment(commitment, actor, **arguments)
        except ConflictError:
            raise
        except ServiceError as exc:
            # The refusal lists every reason; the collective-decision messages also go beside
            # their fields, and then form_post flashes nothing: the list is flashed here.
            if any(hasattr(ApproveForm, name) for name in exc.errors):
                flash(exc.message, "danger")
            raise

    return _detail_action(commitment_id, "approve_form", act, _("承诺已批准"))


@bp.route("/commitments/<int:commitment_id>/reviews", methods=["POST"])
@roles_required(*WRITE_ROLES)
def add_review(commitment_id: int):
    """Record a 公平竞争审查 or 合法性审核（司法局） of a draft's terms."""
    return _detail_action(commitment_id, "review_form", services.add_review, _("审查记录已登记"))


@bp.route("/commitments/<int:commitment_id>/refuse", methods=["POST"])
@roles_required("manager")
def refuse(commitment_id: int):
    """A manager sends a draft back (驳回) with a reason."""
    return _detail_action(
        commitment_id, "refuse_form", services.refuse_commitment, _("承诺已驳回，退回起草人修改")
    )


@bp.route("/commitments/<int:commitment_id>/status", methods=["POST"])
@roles_required("manager")
def change_status(commitment_id: int):
    """A manager suspends, resumes, revokes or claws back a commitment, with a note."""
    return _detail_action(commitment_id, "status_form", services.change_status, _("承诺状态已更新"))


@bp.route("/commitments/<int:commitment_id>/fulfillments", methods=["POST"])
@roles_required(*WRITE_ROLES)
def add_fulfillment(commitment_id: int):
    """Record a delivery (兑现) against an approved commitment."""
    return _detail_action(commitment_id, "fulfillment_form", services.record_fulfillment, _("兑现已登记"))


@bp.route("/commitments/<int:commitment_id>/obligations", methods=["POST"])
@roles_required(*WRITE_ROLES)
def link_obligations(commitment_id: int):
    """Set the investor obligations the commitment's payment depends on (政企双兑现)."""
    return _detail_action(
        commitment_id, "link_form", services.link_obligations, _("兑现所依赖的企业履约事项已更新")
    )


# ---- the project page -----------------------------------------------------------------


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection:
    """The project page's commitments and investor obligations, and their create pages
    returning there."""
    actions = ()
    if can_write:
        actions = (
            ProjectAction(
                _("起草承诺"), url_for("commitments.create_commitment", project_id=project.id, next=back)
            ),
            ProjectAction(
                _("登记企业履约事项"),
                url_for("commitments.create_obligation", project_id=project.id, next=back),
            ),
        )
    html = render_template(
        "commitments/_project_section.html",
        project=project,
        commitments=queries.project_commitments(project.id),
        obligations=queries.project_obligations(project.id),
        statuses=COMMITMENT_STATUSES,
        obligation_kinds=OBLIGATION_KINDS,
        obligation_statuses=OBLIGATION_STATUSES,
    )
    return ProjectSection(Markup(html), actions)
