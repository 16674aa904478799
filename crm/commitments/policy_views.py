"""Pages of the policy catalog (优惠政策): the list, publishing and changing a policy."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.commitments import policies as policy_services
from crm.commitments import queries
from crm.commitments.blueprints import bp
from crm.commitments.forms import PolicyForm, WithdrawPolicyForm
from crm.commitments.models import Policy
from crm.core import clock
from crm.core.access import READ_ROLES, roles_required
from crm.core.db import db
from crm.core.handlers import at_version, edit_form, form_page, form_post, go_to
from crm.core.pagination import paged
from crm.core.parsing import int_or_none
from crm.regions.models import Region


@bp.route("/policies")
@roles_required(*READ_ROLES, "admin")
def policies():
    """The policies the user may read: their county's and every region's above it."""
    rows, pager = paged(lambda page, per_page: queries.policy_page(current_user, page, per_page))
    manageable = {r.id for r in policy_services.manageable_regions(current_user)}
    return render_template(
        "commitments/policies.html", policies=rows, manageable=manageable, today=clock.today(), **pager
    )


def _policy_form(policy: Policy | None) -> PolicyForm:
    form = edit_form(PolicyForm, policy)
    regions = policy_services.manageable_regions(current_user)
    form.region_id.choices = [(str(r.id), f"{r.code} {r.name}") for r in regions]
    if policy is not None:
        form.region_id.choices = [(str(policy.region_id), policy.region.name)]
        if request.method == "GET":
            form.region_id.data = str(policy.region_id)
    return form


def _policy_post(form: PolicyForm, save, saved: str, policy: Policy | None = None):
    """The policy form page (``policy`` None: a new one), saved by ``save()``, then back to
    the catalog."""
    return form_post(
        form,
        save=save,
        page=form_page("commitments/policy_form.html", form=form, policy=policy),
        done=go_to(url_for("commitments.policies")),
        saved=saved,
    )


@bp.route("/policies/new", methods=["GET", "POST"])
@roles_required("manager", "admin")
def create_policy():
    """Publish a policy for a region the user manages."""
    form = _policy_form(None)
    return _policy_post(
        form,
        lambda: policy_services.create_policy(
            current_user, db.session.get(Region, int(form.region_id.data)), **form.values()
        ),
        _("政策已发布"),
    )


@bp.route("/policies/<int:policy_id>/edit", methods=["GET", "POST"])
@roles_required("manager", "admin")
def edit_policy(policy_id: int):
    """Change a policy of a region the user manages (refused if someone saved it first)."""
    policy = policy_services.load_managed_policy(current_user, policy_id)
    form = _policy_form(policy)
    return _policy_post(
        form,
        lambda: policy_services.update_policy(
            policy, current_user, version=int_or_none(form.version.data), **form.values()
        ),
        _("政策已保存"),
        policy,
    )


@bp.route("/policies/<int:policy_id>/withdraw", methods=["GET", "POST"])
@roles_required("manager", "admin")
def withdraw_policy(policy_id: int):
    """Withdraw (废止) a policy of a region the user manages; its live commitments go to 存量清理."""
    policy = policy_services.load_managed_policy(current_user, policy_id)
    form = at_version(WithdrawPolicyForm(), policy)
    return form_post(
        form,
        save=lambda: policy_services.withdraw_policy(
            policy, current_user, version=int_or_none(form.version.data), **form.values()
        ),
        page=form_page("commitments/withdraw_form.html", form=form, policy=policy),
        done=go_to(url_for("commitments.cleanup")),
        saved=_("政策已废止，其下仍在履行的承诺已列入存量清理"),
    )
