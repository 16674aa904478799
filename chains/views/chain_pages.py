"""Chain pages: the overview, a chain's page, creating (blank or from a template),
editing and deleting a chain, and its printable report."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from chains import exports, queries, services
from chains.catalog import list_templates
from chains.forms import ChainCreateForm, ChainForm, ConfirmForm, LinkForm
from chains.models import Chain
from chains.overview import overview_rows
from chains.views.common import bp, can_write, detail_url, form_page, segment_choices
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.db import db
from crm.core.handlers import action_post, edit_form, form_post, go_to
from crm.core.pagination import page_number
from crm.core.parsing import int_or_none
from crm.projects.models import STAGE_LABELS as PROJECT_STAGE_LABELS
from crm.regions.models import Region

__all__ = ["create", "delete", "detail", "edit", "index", "report"]

REPORT_ROWS = 10  # gaps and target firms a one-page report lists


@bp.route("/")
@roles_required(*READ_ROLES)
def index():
    """The chains of the user's counties, with each one's completeness and gaps."""
    chains, total, page = queries.chain_page(
        page_number(request.args.get("page")), current_app.config["PER_PAGE"]
    )
    return render_template(
        "chains/index.html",
        rows=overview_rows(chains),
        counties=queries.county_names(c.county_id for c in chains),
        show_county=current_user.role.value == "coordinator",
        can_write=can_write(),
        stage_names={key: _(label) for key, label in PROJECT_STAGE_LABELS.items()},
        page=page,
        per_page=current_app.config["PER_PAGE"],
        total=total,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create():
    """A new chain of the user's county: blank, or from a bundled template."""
    require_write()
    templates = list_templates()
    form = ChainCreateForm()
    form.template.choices = [("", _("空白产业链（不用模板）"))] + [
        (t["key"], _("%(name)s（%(n)d 个环节）", name=t["name"], n=t["segment_count"])) for t in templates
    ]

    def save() -> Chain:
        fields = {
            "name": form.name.data or "",
            "leader_official": form.leader_official.data or "",
            "description": form.description.data or "",
        }
        if form.template.data:
            return services.create_chain_from_template(form.template.data, **fields)
        return services.create_chain(fields.pop("name"), **fields)

    return form_post(
        form,
        save=save,
        page=lambda **_extra: render_template("chains/create.html", form=form, templates=templates),
        done=lambda chain: redirect(detail_url(chain)),
        saved=_("产业链已建立"),
    )


@bp.route("/<int:chain_id>")
@roles_required(*READ_ROLES)
def detail(chain_id: int):
    """A chain's segments, firms and supply links, with its gap analysis."""
    chain = load_or_404(Chain, chain_id)
    segments = queries.chain_segments(chain.id)
    link_form = LinkForm()
    link_form.supplier_id.choices = link_form.consumer_id.choices = segment_choices(chain)
    analysis = services.analyse(chain)
    return render_template(
        "chains/detail.html",
        chain=chain,
        analysis=analysis,
        G=analysis.graph,
        segments=segments,
        links=queries.chain_links(chain.id),
        names={s.id: s.name for s in segments},
        link_form=link_form,
        confirm=ConfirmForm(),
        can_write=can_write(chain),
    )


@bp.route("/<int:chain_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(chain_id: int):
    """Rename a chain, change its 链长 or description (refused if someone saved first)."""
    chain = writable(Chain, chain_id)
    form = edit_form(ChainForm, chain)
    return form_post(
        form,
        save=lambda: services.update_chain(
            chain,
            name=form.name.data,
            leader_official=form.leader_official.data or "",
            description=form.description.data or "",
            version=int_or_none(form.version.data),
        ),
        page=form_page(form, chain, _("编辑产业链")),
        done=go_to(detail_url(chain)),
        saved=_("产业链已保存"),
    )


@bp.route("/<int:chain_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(chain_id: int):
    """Delete a chain with its segments, links, firms and project aims."""
    chain = writable(Chain, chain_id)
    return action_post(
        lambda: services.delete_chain(chain),
        back=detail_url(chain),
        done=url_for("chains.index"),
        saved=_("产业链已删除"),
    )


@bp.route("/<int:chain_id>/report")
@roles_required(*READ_ROLES)
def report(chain_id: int):
    """The chain on one printable page: summary, the worst gaps, the target firms."""
    chain = load_or_404(Chain, chain_id)
    analysis = services.analyse(chain)
    projects = services.open_projects_by_segment([n for n, _s in analysis.gaps])
    gaps = exports.gap_rows(analysis, projects)
    return render_template(
        "chains/report.html",
        chain=chain,
        analysis=analysis,
        gaps=gaps[:REPORT_ROWS],
        more_gaps=max(0, len(gaps) - REPORT_ROWS),
        targets=exports.target_rows(analysis)[:REPORT_ROWS],
        county=db.session.get(Region, chain.county_id),
    )
