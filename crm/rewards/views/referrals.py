"""引荐备案 pages: the register, registering and correcting a referral, the manager's disputes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.forms import parsed_or_refused
from crm.core.handlers import action_post, edit_form, form_page, form_post
from crm.core.pagination import page_args
from crm.core.parsing import int_or_none, record_id_or_none
from crm.core.redirects import next_or
from crm.projects.confidential import name_for
from crm.projects.models import Project
from crm.projects.sections import ProjectAction, ProjectSection
from crm.regions.services import region_names
from crm.rewards import queries, services
from crm.rewards.forms import DisputeForm, ReferralForm
from crm.rewards.models import REFERRAL_STATUSES, Referral
from crm.rewards.referrers import parse_co_referrers_text
from crm.rewards.views.common import bp


def _values(form: ReferralForm) -> dict:
    """The form's values for the service; co-referrers not one per line are refused there."""
    co_referrers = parsed_or_refused(
        form.co_referrers, parse_co_referrers_text, _("引荐备案有误，请检查标出的字段")
    )
    return {**form.values(), "co_referrers": co_referrers}


def _to_register(saved: str, back: str | None = None):
    """Back to the register with ``saved`` flashed (or the refusal of a second claim), and a
    warning when the referral was registered after signing (kept, but it earns no reward)."""

    def done(referral: Referral, refused: bool = False):
        if refused:
            flash(_("该项目已有有效的引荐备案，本次登记未被采纳，已列入“引荐争议”由局长处理。"), "warning")
        else:
            flash(saved, "success")
        if referral.registered_late():
            flash(_("备案登记日期晚于项目签约日期：该项目不能获得引荐奖励。"), "warning")
        return redirect(back or url_for("rewards.referrals"))

    return done


@bp.route("/referrals")
@roles_required(*READ_ROLES)
def referrals():
    """The referral register, by project name, optionally of one status."""
    status = request.args.get("status") or None
    page = queries.referrals_page(status, *page_args())
    return render_template(
        "rewards/referrals.html",
        referrals=page.pop("rows"),
        status=status,
        counties=region_names(),
        **page,
    )


@bp.route("/referrals/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_referral():
    """Register who introduced a project; a second claim is kept as a dispute."""
    require_write()
    form = ReferralForm()
    form.project_id.choices = [(0, _("请选择项目"))] + queries.project_choices(current_user)
    form.project_id.render_kw = {
        "data-lookup": url_for("projects.lookup"),
        "data-lookup-placeholder": _("输入项目名称（代号）或拼音首字母"),
        "data-lookup-none": _("没有匹配的项目"),
    }
    if request.method == "GET":
        form.project_id.data = record_id_or_none(request.args.get("project_id"))

    def save():
        project = load_or_404(Project, form.project_id.data)
        return services.register_referral(project, **_values(form))

    return form_post(
        form,
        save=save,
        page=form_page("rewards/referral_form.html", form=form, referral=None),
        done=lambda registered: _to_register(_("引荐备案已登记"), next_or(url_for("rewards.referrals")))(
            *registered
        ),
    )


@bp.route("/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_referral(referral_id: int):
    """Correct a referral (refused if someone else saved it first)."""
    referral = writable(Referral, referral_id)
    form = edit_form(ReferralForm, referral)
    form.project_id.choices = [(referral.project_id, name_for(referral.project, current_user))]
    form.project_id.data = referral.project_id
    if request.method == "GET":
        stored = services.referral_values(referral)
        form.co_referrers.data, form.share_percent.data = stored["co_referrers"], stored["share_percent"]
    return form_post(
        form,
        save=lambda: services.update_referral(
            referral, version=int_or_none(form.version.data), **_values(form)
        ),
        page=form_page("rewards/referral_form.html", form=form, referral=referral),
        done=_to_register(_("引荐备案已保存")),
        conflict=_("该引荐备案已被他人修改，当前值已显示，请确认后重新保存。"),
    )


@bp.route("/referrals/<int:referral_id>/delete", methods=["POST"])
@roles_required("manager")
def delete_referral(referral_id: int):
    """Delete a referral no finalized list uses."""
    referral = writable(Referral, referral_id)
    return action_post(
        lambda: services.delete_referral(referral),
        back=url_for("rewards.referrals"),
        saved=_("引荐备案已删除"),
    )


@bp.route("/disputes")
@roles_required(*READ_ROLES)
def disputes():
    """Claims refused because the project had a referral, beside the referral they contest;
    a manager resolves them here, everyone else who reads the county sees them wait."""
    page = queries.disputes_page(*page_args())
    claims = page.pop("rows")
    current = services.active_referrals({c.project_id for c in claims})
    form = DisputeForm() if current_user.has_role("manager") else None
    return render_template("rewards/disputes.html", claims=claims, current=current, form=form, **page)


@bp.route("/disputes/<int:referral_id>/resolve", methods=["POST"])
@roles_required("manager")
def resolve_dispute(referral_id: int):
    """Keep the existing referral, or replace it by the claim."""
    claim = writable(Referral, referral_id)
    return action_post(
        lambda: services.resolve_dispute(claim, request.form.get("action"), request.form.get("note")),
        back=url_for("rewards.disputes"),
        saved=_("引荐争议已处理"),
    )


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection:
    """The project page's referrals, and "登记引荐备案" with the project chosen, returning there."""
    actions = ()
    if can_write:
        url = url_for("rewards.new_referral", project_id=project.id, next=back)
        actions = (ProjectAction(_("登记引荐备案"), url),)
    html = render_template(
        "rewards/_project_section.html",
        project=project,
        referrals=queries.project_referrals(project.id),
        statuses=REFERRAL_STATUSES,
        can_write=can_write,
    )
    return ProjectSection(Markup(html), actions)
