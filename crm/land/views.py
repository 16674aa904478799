"""Land pages: parks with their parcels, carriers and plan, where projects land, and the
land-and-projects lists. The 亩均效益 pages are in ``crm.land.efficiency_views``."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.core import clock
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required, writable
from crm.core.handlers import act_on_record, edit_form, form_post, go_to
from crm.core.i18n import N_
from crm.core.parsing import int_or_none
from crm.core.redirects import next_or
from crm.core.tenancy import readable_county_ids
from crm.land import models, plan, queries, services
from crm.land.forms import CarrierForm, ParcelForm, ParkForm, SiteForm
from crm.land.models import Carrier, Parcel, Park, ProjectSite
from crm.projects.models import Project
from crm.projects.sections import ProjectAction, ProjectSection

bp = Blueprint("land", __name__)

# The label tables the land templates read, by the name they know each by.
LABELS = {
    "park_kinds": models.PARK_KINDS,
    "statuses": models.PARCEL_STATUSES,
    "land_uses": models.LAND_USES,
    "carrier_kinds": models.CARRIER_KINDS,
    "idle_levels": queries.IDLE_LEVELS,
}


def _page(template, **context):
    return render_template(template, **LABELS, can_write=current_user.has_role(*WRITE_ROLES), **context)


@bp.route("/land")
@roles_required(*READ_ROLES)
def index():
    """The parks of the counties the user reads, with their parcels' and carriers' totals."""
    return _page("land/index.html", parks=queries.parks())


# What differs between the park, parcel and carrier forms: (form, save, new title,
# edit title, saved message); ``save(owner, values, record, version)`` for each.
_RECORD_FORMS = {
    "park": (ParkForm, services.save_park, N_("新建园区"), N_("编辑园区"), N_("园区已保存")),
    "parcel": (ParcelForm, services.save_parcel, N_("新建地块"), N_("编辑地块"), N_("地块已保存")),
    "carrier": (CarrierForm, services.save_carrier, N_("新建载体"), N_("编辑载体"), N_("载体已保存")),
}


def _record_form(kind: str, owner, record=None):
    """The new or edit page of a park, parcel or carrier (``kind``) belonging to ``owner`` (the
    county id or the park); an edit saves at the version it was read at. Saved, the record's page."""
    form_class, save, new_title, edit_title, saved = _RECORD_FORMS[kind]
    form = form_class() if record is None else edit_form(form_class, record)
    park = owner if isinstance(owner, Park) else None
    title = _(new_title if record is None else edit_title)

    def save_form():
        version = None if record is None else int_or_none(form.version.data)
        return save(owner, form.values(), record, version)

    return form_post(
        form,
        page=lambda conflict=None: _page(
            "land/form.html", form=form, title=title, park=park, conflict=conflict
        ),
        done=lambda kept: redirect(url_for(f"land.{kind}", **{f"{kind}_id": kept.id})),
        saved=_(saved),
        save=save_form,
    )


@bp.route("/land/parks/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_park():
    """Add a park (or a 飞地园区 with its sharing agreement)."""
    require_write()
    return _record_form("park", current_user.county_id)


@bp.route("/land/parks/<int:park_id>")
@roles_required(*READ_ROLES)
def park(park_id: int):
    """A park: its plan, parcels and carriers."""
    record = load_or_404(Park, park_id)
    svg = plan.park_plan_svg(record, queries.matched_parcel_ids(record.id))
    return _page("land/park.html", park=record, plan_svg=Markup(svg))


@bp.route("/land/parks/<int:park_id>/plan.svg")
@roles_required(*READ_ROLES)
def park_plan(park_id: int):
    """The park's schematic plan as an SVG image (drawn here, no map tiles)."""
    record = load_or_404(Park, park_id)
    svg = plan.park_plan_svg(record, queries.matched_parcel_ids(record.id))
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/land/parks/<int:park_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_park(park_id: int):
    """Correct a park."""
    record = writable(Park, park_id)
    return _record_form("park", record.county_id, record)


@bp.route("/land/parks/<int:park_id>/parcels/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_parcel(park_id: int):
    """Add a parcel to a park."""
    record = writable(Park, park_id)
    return _record_form("parcel", record)


@bp.route("/land/parcels/<int:parcel_id>")
@roles_required(*READ_ROLES)
def parcel(parcel_id: int):
    """A parcel: its 标准地 indicators, status and the projects matched to it."""
    record = load_or_404(Parcel, parcel_id)
    return _page("land/parcel.html", parcel=record, sites=queries.parcel_sites(record.id))


@bp.route("/land/parcels/<int:parcel_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_parcel(parcel_id: int):
    """Correct a parcel or record its supply."""
    record = writable(Parcel, parcel_id)
    return _record_form("parcel", record.park, record)


@bp.route("/land/parks/<int:park_id>/carriers/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_carrier(park_id: int):
    """Add a standard factory or building to a park."""
    record = writable(Park, park_id)
    return _record_form("carrier", record)


@bp.route("/land/carriers/<int:carrier_id>")
@roles_required(*READ_ROLES)
def carrier(carrier_id: int):
    """A carrier: its space and vacancy, suited industries and projects matched to it."""
    record = load_or_404(Carrier, carrier_id)
    return _page("land/carrier.html", carrier=record, sites=queries.carrier_sites(record.id))


@bp.route("/land/carriers/<int:carrier_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit_carrier(carrier_id: int):
    """Correct a carrier or its vacancy."""
    record = writable(Carrier, carrier_id)
    return _record_form("carrier", record.park, record)


# ---- where projects land ------------------------------------------------------------


def _site_choices(county_id: int) -> list[tuple[str, str]]:
    choices = [("", _("请选择"))]
    for park in queries.parks():
        if park.county_id != county_id:
            continue
        for p in park.parcels:
            label = _(
                "%(park)s · 地块 %(code)s（%(area)s 亩，%(status)s）",
                park=park.name,
                code=p.code,
                area=p.area_mu,
                status=_(models.PARCEL_STATUSES[p.status]),
            )
            choices.append((f"p{p.id}", label + (" · " + _("标准地") if p.standard else "")))
        for c in park.carriers:
            choices.append(
                (
                    f"c{c.id}",
                    _(
                        "%(park)s · %(name)s（空置 %(vacant)s ㎡）",
                        park=park.name,
                        name=c.name,
                        vacant=c.vacant_area_m2,
                    ),
                )
            )
    return choices


def _target(value: str):
    """``p12`` → (parcel, None), ``c3`` → (None, carrier); another county's id is a 404."""
    if value[:1] == "p" and value[1:].isdigit():
        return load_or_404(Parcel, value[1:]), None
    if value[:1] == "c" and value[1:].isdigit():
        return None, load_or_404(Carrier, value[1:])
    return None, None


@bp.route("/projects/<int:project_id>/sites/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def new_site(project_id: int):
    """Match a project to a parcel or carrier (a 标准地 takes its conditions on signing)."""
    project = writable(Project, project_id)
    form = SiteForm()
    form.target.choices = _site_choices(project.county_id)
    back = next_or(url_for("projects.detail", project_id=project.id))

    def save():
        parcel, carrier = _target(form.target.data or "")
        return services.site_project(
            project,
            current_user,
            parcel=parcel,
            carrier=carrier,
            agreed_start_on=form.agreed_start_on.data,
            agreed_production_on=form.agreed_production_on.data,
            note=form.note.data,
        )

    return form_post(
        form,
        page=lambda conflict=None: _page("land/site_form.html", form=form, project=project, back=back),
        done=go_to(back),
        saved=_("落地位置已保存"),
        save=save,
    )


def _project_page(site: ProjectSite) -> str:
    """Where a button on a land site returns: its project's page."""
    return url_for("projects.detail", project_id=site.project_id)


def _site_button(site_id: int, act, saved: str):
    """A button on a land site: ``act(site)`` under ``action_post``, back to its project's page."""
    return act_on_record(ProjectSite, site_id, act, back=_project_page, saved=saved)


@bp.route("/land/sites/<int:site_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete_site(site_id: int):
    """Undo a match (obligations already created stay)."""
    return _site_button(site_id, services.remove_site, _("已取消匹配"))


@bp.route("/land/sites/<int:site_id>/conditions", methods=["POST"])
@roles_required(*WRITE_ROLES)
def apply_conditions(site_id: int):
    """Turn the 标准地 parcel's indicators into the project's obligations (once, after 签约)."""
    return _site_button(
        site_id,
        lambda site: services.apply_standard_conditions(site, current_user),
        _("已生成标准地履约事项"),
    )


@bp.route("/land/status")
@roles_required(*READ_ROLES)
def status():
    """Land and projects: signed projects without land, parcels supplied but not started
    (闲置 by the legal periods) and land approved but not supplied, each with its age."""
    today, counties = clock.today(), readable_county_ids()
    return _page(
        "land/status.html",
        without_land=queries.signed_without_land(counties, today),
        idle=queries.idle_parcels(counties, today),
        unsupplied=queries.unsupplied_parcels(counties, today),
        today=today,
    )


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection:
    """The project page's "落地位置": its parcels and carriers, and "匹配落地位置"."""
    sites = queries.project_sites(project.id)
    actions = ()
    if can_write:
        actions = (
            ProjectAction(_("匹配落地位置"), url_for("land.new_site", project_id=project.id, next=back)),
        )
    html = render_template(
        "land/_project_section.html",
        project=project,
        sites=sites,
        can_write=can_write,
        conditions_due=services.conditions_due,
        **LABELS,
    )
    return ProjectSection(Markup(html), actions)


def dashboard_panel(county_ids, today):
    """The dashboard's land figures, each linking to its list."""
    if not county_ids:
        return None
    return Markup(
        render_template("land/_dashboard_panel.html", counts=queries.dashboard_land_counts(county_ids, today))
    )


def gap_carriers(county_id: int, industry: str | None) -> list[tuple[str, object, str]]:
    """Carriers suited to a chain gap's industry, for the chain gap page (``chains`` hook):
    ``(park · name, vacant ㎡, url)``."""
    return [
        (f"{c.park.name} · {c.name}", c.vacant_area_m2, url_for("land.carrier", carrier_id=c.id))
        for c in queries.carriers_for_industry(county_id, industry)
    ]
