"""Chain pages: overview, editor, gap graph with side panel, exports and import."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from chains import exports, services
from chains.forms import (
    ChainCreateForm,
    ChainForm,
    ConfirmForm,
    FirmEditForm,
    FirmForm,
    ImportForm,
    LinkForm,
    SegmentForm,
)
from chains.models import Chain, ChainFirm, Segment, SegmentLink
from chains.overview import overview_rows
from chains.render import (
    IMPORTANCE_LABELS,
    PRESENCE_LABELS,
    ROLE_LABELS,
    STAGE_LABELS,
    STATUS_LABELS,
    graph_payload,
    payload_json,
    render_svg,
    vis_network_asset_paths,
)
from chains.templates import dump_chain_document, list_templates
from crm.companies.models import Company
from crm.core.access import READ_ROLES, WRITE_ROLES, load_or_404, require_write, roles_required
from crm.core.db import db
from crm.core.errors import ConflictError, ServiceError
from crm.core.forms import apply_service_errors
from crm.projects.models import STAGE_LABELS as PROJECT_STAGE_LABELS
from crm.projects.models import Project
from crm.regions.models import Region
from crm.util.exports import content_disposition

bp = Blueprint("chains", __name__, url_prefix="/chains")

LABELS = {
    "stage": STAGE_LABELS,
    "importance": IMPORTANCE_LABELS,
    "role": ROLE_LABELS,
    "presence": PRESENCE_LABELS,
    "status": STATUS_LABELS,
    "project_stage": PROJECT_STAGE_LABELS,
}
STATUS_ORDER = ("gap", "targeted", "weak", "strong")


@bp.app_context_processor
def _chain_labels():
    return {"chain_labels": LABELS}


def _translator():
    """gettext memoised for one request: the graph asks for the same few labels
    thousands of times (one tooltip per firm), and each Flask-Babel call is slow."""
    cache: dict[str, str] = {}

    def translate(message: str) -> str:
        if message not in cache:
            cache[message] = _(message)
        return cache[message]

    return translate


def _can_write(chain: Chain | None = None) -> bool:
    scope = db.session.info.get("tenant_scope")
    if scope is None or scope.write_county_id is None:
        return False
    return chain is None or scope.can_write(chain.county_id)


def _load_chain(chain_id: int) -> Chain:
    return load_or_404(Chain, chain_id)


def _load_in_chain(model, record_id: int, chain: Chain):
    obj = load_or_404(model, record_id)
    if obj.chain_id != chain.id:
        abort(404)
    return obj


def _segment_choices(chain: Chain, blank: str | None = None) -> list[tuple]:
    segments = db.session.execute(
        select(Segment)
        .where(Segment.chain_id == chain.id)
        .order_by(Segment.stage, Segment.sort_order, Segment.name)
    ).scalars()
    choices = [(s.id, f"{_(STAGE_LABELS[s.stage])} · {s.name}") for s in segments]
    return ([(0, blank)] if blank is not None else []) + choices


def _refused(form, exc: ServiceError) -> None:
    db.session.rollback()
    apply_service_errors(form, exc)


# --- overview ------------------------------------------------------------------------


@bp.route("/")
@roles_required(*READ_ROLES)
def index():
    per_page = current_app.config["PER_PAGE"]
    page = request.args.get("page", 1, type=int)
    total = db.session.execute(select(func.count()).select_from(Chain)).scalar_one()
    page = max(1, min(page, (total + per_page - 1) // per_page or 1))
    chains = (
        db.session.execute(
            select(Chain)
            .order_by(Chain.county_id, Chain.name, Chain.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        .scalars()
        .all()
    )
    counties = (
        {
            r.id: r.name
            for r in db.session.execute(
                select(Region).where(Region.id.in_({c.county_id for c in chains}))
            ).scalars()
        }
        if chains
        else {}
    )
    show_county = current_user.role.value == "coordinator"
    return render_template(
        "chains/index.html",
        rows=overview_rows(chains),
        counties=counties,
        show_county=show_county,
        can_write=_can_write(),
        status_order=STATUS_ORDER,
        stage_names={key: _(label) for key, label in PROJECT_STAGE_LABELS.items()},
        page=page,
        per_page=per_page,
        total=total,
    )


# --- create / import / meta ----------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def create():
    require_write()
    templates = list_templates()
    form = ChainCreateForm()
    form.template.choices = [("", _("空白产业链（不用模板）"))] + [
        (t["key"], f"{t['name']}（{t['segment_count']} 个环节）") for t in templates
    ]
    if form.validate_on_submit():
        try:
            if form.template.data:
                chain = services.create_chain_from_template(
                    form.template.data,
                    name=form.name.data or "",
                    leader_official=form.leader_official.data or "",
                    description=form.description.data or "",
                )
            else:
                chain = services.create_chain(
                    form.name.data or "",
                    leader_official=form.leader_official.data or "",
                    description=form.description.data or "",
                )
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("产业链已建立"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id))
    return render_template("chains/create.html", form=form, templates=templates)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def import_chain():
    require_write()
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors = [_("请选择要导入的 JSON 文件")]
            status = 422
        else:
            data = upload.read(services.MAX_IMPORT_BYTES + 1)
            try:
                chain = services.import_chain(
                    data, name=form.name.data or "", leader_official=form.leader_official.data or ""
                )
            except ServiceError as exc:
                _refused(form, exc)
                status = 422
            else:
                db.session.commit()
                flash(_("产业链已导入"), "success")
                return redirect(url_for("chains.detail", chain_id=chain.id))
    return render_template("chains/import.html", form=form), status


@bp.route("/<int:chain_id>/export.json")
@roles_required(*READ_ROLES)
def export_json(chain_id: int):
    chain = _load_chain(chain_id)
    body = dump_chain_document(services.export_chain_document(chain))
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": content_disposition(f"{chain.name}.json")},
    )


@bp.route("/<int:chain_id>")
@roles_required(*READ_ROLES)
def detail(chain_id: int):
    chain = _load_chain(chain_id)
    analysis = services.analyse(chain)
    G = analysis.graph
    segments = (
        db.session.execute(
            select(Segment).where(Segment.chain_id == chain.id).order_by(Segment.sort_order, Segment.id)
        )
        .scalars()
        .all()
    )
    links = (
        db.session.execute(
            select(SegmentLink).where(SegmentLink.chain_id == chain.id).order_by(SegmentLink.id)
        )
        .scalars()
        .all()
    )
    names = {s.id: s.name for s in segments}
    link_form = LinkForm()
    link_form.supplier_id.choices = link_form.consumer_id.choices = _segment_choices(chain)
    return render_template(
        "chains/detail.html",
        chain=chain,
        analysis=analysis,
        G=G,
        segments=segments,
        links=links,
        names=names,
        link_form=link_form,
        confirm=ConfirmForm(),
        can_write=_can_write(chain),
        status_order=STATUS_ORDER,
    )


@bp.route("/<int:chain_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def edit(chain_id: int):
    chain = _load_chain(chain_id)
    require_write(chain)
    form = ChainForm(obj=chain if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(chain.version)
    if form.validate_on_submit():
        try:
            services.update_chain(
                chain,
                name=form.name.data,
                leader_official=form.leader_official.data or "",
                description=form.description.data or "",
                version=_version(form),
            )
        except ConflictError as exc:
            db.session.rollback()
            flash(_("该产业链已被他人修改，当前值已显示，请确认后重新保存。"), "warning")
            return render_template(
                "chains/form.html", form=form, chain=chain, title=_("编辑产业链"), conflict=exc.current
            ), 409
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("产业链已保存"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id))
    return render_template("chains/form.html", form=form, chain=chain, title=_("编辑产业链"))


@bp.route("/<int:chain_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def delete(chain_id: int):
    chain = _load_chain(chain_id)
    require_write(chain)
    if ConfirmForm().validate_on_submit():
        services.delete_chain(chain)
        db.session.commit()
        flash(_("产业链已删除"), "success")
    return redirect(url_for("chains.index"))


def _version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


# --- segments ------------------------------------------------------------------------


@bp.route("/<int:chain_id>/segments/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def segment_new(chain_id: int):
    chain = _load_chain(chain_id)
    require_write(chain)
    form = SegmentForm()
    form.parent_id.choices = _segment_choices(chain, blank=_("（无）"))
    if form.validate_on_submit():
        try:
            services.add_segment(
                chain,
                name=form.name.data,
                stage=form.stage.data,
                importance=form.importance.data,
                parent_id=form.parent_id.data,
                sort_order=form.sort_order.data,
            )
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("环节已添加"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id) + "#segments")
    return render_template(
        "chains/form.html", form=form, chain=chain, title=_("添加环节")
    ), 422 if form.errors else 200


@bp.route("/<int:chain_id>/segments/<int:segment_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def segment_edit(chain_id: int, segment_id: int):
    chain = _load_chain(chain_id)
    segment = _load_in_chain(Segment, segment_id, chain)
    require_write(chain)
    form = SegmentForm(obj=segment if request.method == "GET" else None)
    form.parent_id.choices = [c for c in _segment_choices(chain, blank=_("（无）")) if c[0] != segment.id]
    if request.method == "GET":
        form.version.data = str(segment.version)
    if form.validate_on_submit():
        try:
            services.update_segment(
                segment,
                name=form.name.data,
                stage=form.stage.data,
                importance=form.importance.data,
                parent_id=form.parent_id.data,
                sort_order=form.sort_order.data or 0,
                version=_version(form),
            )
        except ConflictError as exc:
            db.session.rollback()
            flash(_("该环节已被他人修改，当前值已显示，请确认后重新保存。"), "warning")
            return render_template(
                "chains/form.html", form=form, chain=chain, title=_("编辑环节"), conflict=exc.current
            ), 409
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("环节已保存"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id) + "#segments")
    return render_template(
        "chains/form.html", form=form, chain=chain, title=_("编辑环节")
    ), 422 if form.errors else 200


@bp.route("/<int:chain_id>/segments/<int:segment_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def segment_delete(chain_id: int, segment_id: int):
    chain = _load_chain(chain_id)
    segment = _load_in_chain(Segment, segment_id, chain)
    require_write(chain)
    if ConfirmForm().validate_on_submit():
        services.delete_segment(segment)
        db.session.commit()
        flash(_("环节已删除"), "success")
    return redirect(url_for("chains.detail", chain_id=chain.id) + "#segments")


# --- links ---------------------------------------------------------------------------


@bp.route("/<int:chain_id>/links/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def link_new(chain_id: int):
    chain = _load_chain(chain_id)
    require_write(chain)
    form = LinkForm()
    form.supplier_id.choices = form.consumer_id.choices = _segment_choices(chain)
    if form.validate_on_submit():
        try:
            services.add_link(chain, form.supplier_id.data, form.consumer_id.data)
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("供应关系已添加"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id) + "#links")
    return render_template(
        "chains/form.html", form=form, chain=chain, title=_("添加供应关系")
    ), 422 if form.errors else 200


@bp.route("/<int:chain_id>/links/<int:link_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def link_delete(chain_id: int, link_id: int):
    chain = _load_chain(chain_id)
    link = _load_in_chain(SegmentLink, link_id, chain)
    require_write(chain)
    if ConfirmForm().validate_on_submit():
        services.delete_link(link)
        db.session.commit()
        flash(_("供应关系已删除"), "success")
    return redirect(url_for("chains.detail", chain_id=chain.id) + "#links")


# --- firms ---------------------------------------------------------------------------


def _company_names(limit: int = 1000) -> list[str]:
    return list(db.session.execute(select(Company.name).order_by(Company.name).limit(limit)).scalars())


@bp.route("/<int:chain_id>/segments/<int:segment_id>/firms/new", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def firm_new(chain_id: int, segment_id: int):
    chain = _load_chain(chain_id)
    segment = _load_in_chain(Segment, segment_id, chain)
    require_write(chain)
    form = FirmForm()
    if request.method == "GET" and request.args.get("presence") in PRESENCE_LABELS:
        form.presence.data = request.args["presence"]
    if form.validate_on_submit():
        try:
            services.add_firm(
                segment,
                company_name=form.company_name.data,
                uscc=form.uscc.data or None,
                role=form.role.data,
                presence=form.presence.data,
                note=form.note.data or "",
            )
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("链上企业已添加"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id) + f"#segment-{segment.id}")
    return render_template(
        "chains/firm_form.html", form=form, chain=chain, segment=segment, company_names=_company_names()
    ), 422 if form.errors else 200


@bp.route("/<int:chain_id>/firms/<int:firm_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITE_ROLES)
def firm_edit(chain_id: int, firm_id: int):
    chain = _load_chain(chain_id)
    firm = _load_in_chain(ChainFirm, firm_id, chain)
    require_write(chain)
    form = FirmEditForm(obj=firm if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = str(firm.version)
    if form.validate_on_submit():
        try:
            services.update_firm(
                firm,
                role=form.role.data,
                presence=form.presence.data,
                note=form.note.data or "",
                version=_version(form),
            )
        except ConflictError as exc:
            db.session.rollback()
            flash(_("该链上企业已被他人修改，当前值已显示，请确认后重新保存。"), "warning")
            return render_template(
                "chains/form.html",
                form=form,
                chain=chain,
                conflict=exc.current,
                title=_("编辑链上企业") + "：" + firm.company.name,
            ), 409
        except ServiceError as exc:
            _refused(form, exc)
        else:
            db.session.commit()
            flash(_("链上企业已保存"), "success")
            return redirect(url_for("chains.detail", chain_id=chain.id) + f"#segment-{firm.segment_id}")
    return render_template(
        "chains/form.html", form=form, chain=chain, title=_("编辑链上企业") + "：" + firm.company.name
    )


@bp.route("/<int:chain_id>/firms/<int:firm_id>/delete", methods=["POST"])
@roles_required(*WRITE_ROLES)
def firm_delete(chain_id: int, firm_id: int):
    chain = _load_chain(chain_id)
    firm = _load_in_chain(ChainFirm, firm_id, chain)
    require_write(chain)
    segment_id = firm.segment_id
    if ConfirmForm().validate_on_submit():
        services.delete_firm(firm)
        db.session.commit()
        flash(_("链上企业已移除"), "success")
    return redirect(url_for("chains.detail", chain_id=chain.id) + f"#segment-{segment_id}")


@bp.route("/<int:chain_id>/firms/<int:firm_id>/lead", methods=["POST"])
@roles_required(*WRITE_ROLES)
def firm_lead(chain_id: int, firm_id: int):
    """新建招商线索 from a target firm; the segment then counts as targeted."""
    chain = _load_chain(chain_id)
    firm = _load_in_chain(ChainFirm, firm_id, chain)
    require_write(chain)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    segment_id = firm.segment_id
    try:
        project = services.create_lead_for_firm(firm, current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        flash(_("已新建招商线索：%(name)s", name=project.name_for(current_user)), "success")
    back = request.form.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(url_for("chains.graph", chain_id=chain.id, segment=segment_id))


@bp.route("/<int:chain_id>/segments/<int:segment_id>/projects", methods=["POST"])
@roles_required(*WRITE_ROLES)
def segment_projects(chain_id: int, segment_id: int):
    """Aim an existing project at the segment (action=aim) or stop aiming (action=unaim)."""
    chain = _load_chain(chain_id)
    segment = _load_in_chain(Segment, segment_id, chain)
    require_write(chain)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    project = load_or_404(Project, request.form.get("project_id"))
    if request.form.get("action") == "unaim":
        services.unaim_project(project, segment)
        message = _("已取消关联项目：%(name)s", name=project.name_for(current_user))
    else:
        services.aim_project(project, segment)
        message = _("已关联项目：%(name)s", name=project.name_for(current_user))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("chains.graph", chain_id=chain.id, segment=segment.id))


# --- graph, panel, assets ------------------------------------------------------------


@bp.route("/assets/<name>")
@roles_required(*READ_ROLES)
def asset(name: str):
    """pyvis's bundled vis-network, served from here so the page works offline."""
    paths = vis_network_asset_paths()
    if name not in paths:
        abort(404)
    mimetype = "text/javascript" if name.endswith(".js") else "text/css"
    return send_file(paths[name], mimetype=mimetype, max_age=86400)


@bp.route("/<int:chain_id>/graph")
@roles_required(*READ_ROLES)
def graph(chain_id: int):
    chain = _load_chain(chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    payload = graph_payload(analysis.graph, analysis.statuses, translate=_translator())
    G = analysis.graph
    by_status = {status: [] for status in STATUS_ORDER}
    for node in sorted(G, key=lambda n: (G.nodes[n]["order"], G.nodes[n]["name"])):
        by_status[analysis.statuses[node]].append((node, G.nodes[node]))
    selected = request.args.get("segment", type=int)
    panel_html = None
    if selected in G:
        segment = load_or_404(Segment, selected)
        panel_html = render_template(
            "chains/_panel.html", **_panel_context(chain, segment, analysis.statuses)
        )
    return render_template(
        "chains/graph.html",
        chain=chain,
        analysis=analysis,
        payload_json=payload_json(payload),
        legend=payload["legend"],
        by_status=by_status,
        status_order=STATUS_ORDER,
        panel_html=panel_html,
        can_write=_can_write(chain),
    )


def _panel_context(chain: Chain, segment: Segment, statuses: dict) -> dict:
    firms = (
        db.session.execute(
            select(ChainFirm)
            .options(joinedload(ChainFirm.company))
            .where(ChainFirm.segment_id == segment.id)
            .order_by(ChainFirm.id)
        )
        .scalars()
        .all()
    )
    projects = services.open_projects_by_segment([segment.id])[segment.id]
    candidates = []
    if _can_write(chain):
        aimed = {p.id for p in projects}
        candidates = [
            p
            for p in db.session.execute(
                select(Project).where(Project.stage != "lost").order_by(Project.id.desc()).limit(200)
            ).scalars()
            if p.id not in aimed
        ]
    return {
        "candidates": candidates,
        "chain": chain,
        "segment": segment,
        "status": statuses[segment.id],
        "firms": firms,
        "projects": projects,
        "investors": {p.investor_company_id for p in projects},
        "confirm": ConfirmForm(),
        "can_write": _can_write(chain),
    }


@bp.route("/<int:chain_id>/segments/<int:segment_id>/panel")
@roles_required(*READ_ROLES)
def panel(chain_id: int, segment_id: int):
    chain = _load_chain(chain_id)
    segment = _load_in_chain(Segment, segment_id, chain)
    statuses = services.analyse(chain, with_suggestions=False, with_rates=False).statuses
    return render_template("chains/_panel.html", **_panel_context(chain, segment, statuses))


@bp.route("/<int:chain_id>/map.svg")
@roles_required(*READ_ROLES)
def map_svg(chain_id: int):
    chain = _load_chain(chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    svg = render_svg(
        analysis.graph,
        analysis.statuses,
        title=chain.name,
        translate=_translator(),
        show_firms=request.args.get("firms") != "0",
    )
    inline = request.args.get("download") is None
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": content_disposition(f"{chain.name}产业链图谱.svg", inline=inline)},
    )


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": content_disposition(filename)},
    )


@bp.route("/<int:chain_id>/gaps.xlsx")
@roles_required(*READ_ROLES)
def gaps_xlsx(chain_id: int):
    chain = _load_chain(chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    projects = services.open_projects_by_segment([n for n, _s in analysis.gaps])
    data = exports.gap_list_xlsx(chain.name, analysis, projects, current_user)
    return _xlsx(data, f"{chain.name}缺链清单.xlsx")


@bp.route("/<int:chain_id>/targets.xlsx")
@roles_required(*READ_ROLES)
def targets_xlsx(chain_id: int):
    chain = _load_chain(chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    return _xlsx(exports.target_list_xlsx(chain.name, analysis), f"{chain.name}招商目标企业清单.xlsx")


@bp.route("/<int:chain_id>/report")
@roles_required(*READ_ROLES)
def report(chain_id: int):
    chain = _load_chain(chain_id)
    analysis = services.analyse(chain)
    projects = services.open_projects_by_segment([n for n, _s in analysis.gaps])
    gaps = exports.gap_rows(analysis, projects)
    region = db.session.get(Region, chain.county_id)
    return render_template(
        "chains/report.html",
        chain=chain,
        analysis=analysis,
        gaps=gaps[:10],
        more_gaps=max(0, len(gaps) - 10),
        targets=exports.target_rows(analysis)[:10],
        county=region,
        status_order=STATUS_ORDER,
    )
