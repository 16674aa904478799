"""Pages between counties: transfers (offer, answer, withdraw), benefit-sharing agreements
(异地建设), collision alerts and the coordinator's ruling.

Records naming another county are loaded by id and answered 404 unless the reader's scope
reads one of their counties (``crm.coordination.access``); a project is loaded through the
tenant scope as everywhere else.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from crm.coordination import access, queries, services
from crm.coordination.forms import AgreementForm, AnswerForm, OfferForm, RulingForm
from crm.coordination.models import (
    AGREEMENT_KINDS,
    COLLISION_MATCHES,
    COLLISION_RULINGS,
    TRANSFER_REASONS,
    TRANSFER_STATUSES,
    CollisionAlert,
    Transfer,
)
from crm.core.access import READ_ROLES, load_or_404, roles_required
from crm.core.db import MAX_INTEGER, db
from crm.core.handlers import action_post, form_page, form_post, go_to
from crm.projects.models import Project
from crm.projects.sections import ProjectAction, ProjectSection
from crm.regions.models import Region, RegionLevel

bp = Blueprint("coordination", __name__)

LABELS = {
    "reasons": TRANSFER_REASONS,
    "statuses": TRANSFER_STATUSES,
    "kinds": AGREEMENT_KINDS,
    "matches": COLLISION_MATCHES,
    "rulings": COLLISION_RULINGS,
}


def _by_id(model, record_id: int):
    if not 0 < record_id <= MAX_INTEGER:
        abort(404)
    return db.session.get(model, record_id)


def _other_counties(exclude: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Region.id, Region.name)
        .where(Region.level == RegionLevel.county, Region.id != exclude)
        .order_by(Region.code)
    ).all()
    return [(rid, name) for rid, name in rows]


@bp.route("/transfers")
@roles_required(*READ_ROLES)
def transfers():
    """Transfers and benefit-sharing agreements naming a county the reader reads."""
    items = queries.transfers_for(request.args.get("status") or None)
    agreements = queries.agreements_for()
    project_ids = [t.project_id for t in items] + [a.project_id for a in agreements]
    counties = {c for t in items for c in (t.from_county_id, t.to_county_id)}
    counties |= {s.county_id for a in agreements for s in a.shares} | {a.host_county_id for a in agreements}
    return render_template(
        "coordination/transfers.html",
        transfers=items,
        agreements=agreements,
        names=queries.project_labels(project_ids, current_user),
        counties=queries.county_names(counties),
        labels=LABELS,
    )


@bp.route("/projects/<int:project_id>/transfer", methods=["GET", "POST"])
@roles_required("manager")
def offer(project_id: int):
    """A manager offers the county's project to another county (项目流转)."""
    project = load_or_404(Project, project_id)
    access.require_manager_of(current_user, project.county_id)
    form = OfferForm()
    form.to_county_id.choices = _other_counties(project.county_id)
    return form_post(
        form,
        save=lambda: services.offer_transfer(project, form.values(), current_user),
        page=form_page("coordination/offer.html", form=form, project=project),
        done=lambda transfer: redirect(url_for("coordination.transfer", transfer_id=transfer.id)),
        saved=_("流转已推荐，等待接收县答复"),
    )


@bp.route("/projects/<int:project_id>/offsite", methods=["GET", "POST"])
@roles_required("manager")
def offsite(project_id: int):
    """A manager records 异地建设: built in another county's park, benefits shared."""
    project = load_or_404(Project, project_id)
    access.require_manager_of(current_user, project.county_id)
    form = AgreementForm()
    form.host_county_id.choices = _other_counties(project.county_id)
    return form_post(
        form,
        save=lambda: services.create_agreement(project, form.values(), current_user),
        page=form_page("coordination/offsite.html", form=form, project=project),
        done=go_to(url_for("coordination.transfers")),
        saved=_("异地建设利益分成已登记"),
    )


@bp.route("/transfers/<int:transfer_id>")
@roles_required(*READ_ROLES)
def transfer(transfer_id: int):
    """One transfer: the offer, its answer and the agreement it made."""
    item = _by_id(Transfer, transfer_id)
    access.require_visible_transfer(item)
    form = AnswerForm()
    form.version.data = item.version
    return render_template(
        "coordination/transfer.html",
        transfer=item,
        name=queries.project_label(item.project_id, current_user),
        counties=queries.county_names((item.from_county_id, item.to_county_id)),
        labels=LABELS,
        form=form,
        may_answer=item.status == "offered" and access.is_manager_of(current_user, item.to_county_id),
        may_withdraw=item.status == "offered" and access.is_manager_of(current_user, item.from_county_id),
    )


@bp.post("/transfers/<int:transfer_id>/answer")
@roles_required("manager")
def answer(transfer_id: int):
    """The receiving county's manager accepts or declines."""
    item = _by_id(Transfer, transfer_id)
    access.require_visible_transfer(item)
    access.require_manager_of(current_user, item.to_county_id)
    accept = request.form.get("decision") == "accept"
    back = url_for("coordination.transfer", transfer_id=item.id)
    return action_post(
        lambda: services.answer_transfer(
            item, accept, request.form.get("note"), request.form.get("version"), current_user
        ),
        back=back,
        saved=_("已接收，项目已转入本县") if accept else _("已拒绝该流转"),
    )


@bp.post("/transfers/<int:transfer_id>/withdraw")
@roles_required("manager")
def withdraw(transfer_id: int):
    """The offering county's manager takes back an unanswered offer."""
    item = _by_id(Transfer, transfer_id)
    access.require_visible_transfer(item)
    access.require_manager_of(current_user, item.from_county_id)
    back = url_for("coordination.transfer", transfer_id=item.id)
    return action_post(
        lambda: services.withdraw_transfer(item, request.form.get("version"), current_user),
        back=back,
        saved=_("流转已撤回"),
    )


@bp.route("/collisions")
@roles_required(*READ_ROLES)
def collisions():
    """Collision alerts (撞车) naming the reader's county, or both counties a coordinator reads."""
    status = request.args.get("status") or None
    items = queries.collisions_for(current_user, status)
    counties = {c for a in items for c in a.counties()}
    return render_template(
        "coordination/collisions.html",
        alerts=items,
        names=queries.collision_labels(items, current_user),
        counties=queries.county_names(counties),
        labels=LABELS,
        status=status,
    )


@bp.route("/collisions/<int:alert_id>")
@roles_required(*READ_ROLES)
def collision(alert_id: int):
    """One collision alert: who recorded first contact, and the coordinator's ruling."""
    alert = _by_id(CollisionAlert, alert_id)
    access.require_visible_collision(current_user, alert)
    counties = queries.county_names(alert.counties())
    form = RulingForm()
    form.version.data = alert.version
    form.lead_county_id.choices = [(0, "—")] + [(cid, counties[cid]) for cid in alert.counties()]
    return render_template(
        "coordination/collision.html",
        alert=alert,
        names=queries.collision_labels([alert], current_user),
        counties=counties,
        labels=LABELS,
        form=form,
        may_rule=alert.status == "open" and access.can_rule(current_user, alert),
    )


@bp.post("/collisions/<int:alert_id>/rule")
@roles_required("coordinator")
def rule(alert_id: int):
    """The coordinator over both counties rules on a collision."""
    alert = _by_id(CollisionAlert, alert_id)
    access.require_visible_collision(current_user, alert)
    lead = request.form.get("lead_county_id", type=int) or None
    years = request.form.get("years", type=int) or 5
    values = {
        "ruling": request.form.get("ruling"),
        "lead_county_id": lead,
        "note": request.form.get("note"),
        "version": request.form.get("version"),
        "from_share_percent": request.form.get("from_share_percent") or "50",
        "years": years,
    }
    return action_post(
        lambda: services.rule_collision(alert, values, current_user),
        back=url_for("coordination.collision", alert_id=alert.id),
        saved=_("裁定已记录"),
    )


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection | None:
    """The project page's transfers and agreements, and the manager's 推荐流转 / 异地建设."""
    items = [t for t in queries.transfers_for() if t.project_id == project.id]
    agreements = [a for a in queries.agreements_for() if a.project_id == project.id]
    actions = ()
    if access.is_manager_of(current_user, project.county_id):
        actions = (
            ProjectAction(_("推荐流转"), url_for("coordination.offer", project_id=project.id)),
            ProjectAction(_("登记异地建设"), url_for("coordination.offsite", project_id=project.id)),
        )
    if not items and not agreements and not actions:
        return None
    counties = {c for t in items for c in (t.from_county_id, t.to_county_id)}
    counties |= {s.county_id for a in agreements for s in a.shares}
    html = render_template(
        "coordination/_project_section.html",
        transfers=items,
        agreements=agreements,
        counties=queries.county_names(counties),
        labels=LABELS,
    )
    return ProjectSection(Markup(html), actions)
