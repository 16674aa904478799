"""Chain firms (链上企业) on a segment: place, edit, remove; turn a target firm into a
lead (新建招商线索); aim an existing project at a segment or stop aiming."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from chains import queries, services
from chains.forms import FirmEditForm, FirmForm
from chains.models import ChainFirm, Segment
from chains.views.common import bp, detail_url, form_page, part_button, writable_part
from chains.vocabulary import PRESENCES
from crm.core.access import WRITE_ROLES, load_or_404, roles_required
from crm.core.handlers import action_post, edit_form, form_post, go_to
from crm.core.parsing import int_or_none
from crm.core.redirects import is_safe_next
from crm.projects.confidential import name_for
from crm.projects.models import Project

__all__ = ["firm_delete", "firm_edit", "firm_lead", "firm_new", "segment_projects"]


def _firm_anchor(firm: ChainFirm) -> str:
    """The chain page's section of the firm's segment, where its firms are listed."""
    return f"segment-{firm.segment_id}"


@bp.route("/<int:chain_id>/segments/<int:segment_id>/firms/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def firm_new(chain_id: int, segment_id: int):
    """Place a company on a segment (an existing one, or a new one by its name)."""
    chain, segment = writable_part(Segment, segment_id, chain_id)
    form = FirmForm()
    if request.method == "GET" and request.args.get("presence") in PRESENCES:
        form.presence.data = request.args["presence"]
    return form_post(
        form,
        save=lambda: services.add_firm(
            segment,
            company_name=form.company_name.data,
            uscc=form.uscc.data or None,
            role=form.role.data,
            presence=form.presence.data,
            note=form.note.data or "",
        ),
        page=lambda **_extra: render_template(
            "chains/firm_form.html",
            form=form,
            chain=chain,
            segment=segment,
            company_names=queries.company_names(),
        ),
        done=go_to(detail_url(chain, f"segment-{segment.id}")),
        saved=_("链上企业已添加"),
    )


@bp.route("/<int:chain_id>/firms/<int:firm_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def firm_edit(chain_id: int, firm_id: int):
    """Change a chain firm's role, presence or note (refused if someone saved it first)."""
    chain, firm = writable_part(ChainFirm, firm_id, chain_id)
    form = edit_form(FirmEditForm, firm)
    title = _("编辑链上企业") + "：" + firm.company.name
    return form_post(
        form,
        save=lambda: services.update_firm(
            firm,
            role=form.role.data,
            presence=form.presence.data,
            note=form.note.data or "",
            version=int_or_none(form.version.data),
        ),
        page=form_page(form, chain, title),
        done=lambda firm: redirect(detail_url(chain, _firm_anchor(firm))),
        saved=_("链上企业已保存"),
    )


@bp.route("/<int:chain_id>/firms/<int:firm_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def firm_delete(chain_id: int, firm_id: int):
    """Remove a firm from its segment (the company itself stays)."""
    return part_button(ChainFirm, firm_id, chain_id, services.delete_firm, _firm_anchor, _("链上企业已移除"))


@bp.route("/<int:chain_id>/firms/<int:firm_id>/lead", methods=["POST"])
@roles_required(*WRITE_ROLES)
def firm_lead(chain_id: int, firm_id: int):
    """新建招商线索 from a target firm; the segment then counts as targeted."""
    chain, firm = writable_part(ChainFirm, firm_id, chain_id)
    back = request.form.get("next")
    if not is_safe_next(back):
        back = url_for("chains.graph", chain_id=chain.id, segment=firm.segment_id)
    return action_post(
        lambda: services.create_lead_for_firm(firm, current_user),
        back=back,
        saved=_("已新建招商线索：%(name)s", name=services.lead_name(firm)),
    )


@bp.route("/<int:chain_id>/segments/<int:segment_id>/projects", methods=["POST"])
@roles_required(*WRITE_ROLES)
def segment_projects(chain_id: int, segment_id: int):
    """Aim an existing project at the segment (action=aim) or stop aiming (action=unaim)."""
    chain, segment = writable_part(Segment, segment_id, chain_id)
    back = url_for("chains.graph", chain_id=chain.id, segment=segment.id)
    if not request.form.get("project_id"):  # 关联已有项目 without a project chosen
        flash(_("请选择项目"), "warning")
        return redirect(back)
    project = load_or_404(Project, request.form.get("project_id"))
    name = name_for(project, current_user)
    if request.form.get("action") == "unaim":
        act, saved = services.unaim_project, _("已取消关联项目：%(name)s", name=name)
    else:
        act, saved = services.aim_project, _("已关联项目：%(name)s", name=name)
    return action_post(lambda: act(project, segment), back=back, saved=saved)
