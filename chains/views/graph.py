"""The chain gap graph (缺链图谱): the interactive page with its segment panel, the SVG
map, and vis-network served from the application so the page works offline."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, send_file
from markupsafe import Markup

from chains import queries, services
from chains.forms import ConfirmForm
from chains.graph_page import graph_page
from chains.models import Chain, Segment
from chains.render import render_svg, vis_network_asset_paths
from chains.views.common import bp, can_write, load_in_chain
from crm.core.access import READ_ROLES, load_or_404, roles_required
from crm.core.i18n import translator
from crm.projects.models import Project
from crm.projects.sections import ProjectSection
from crm.util.exports import content_disposition

__all__ = ["asset", "graph", "map_svg", "panel", "project_section"]


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
    """The gap graph, the segments listed by status, and ``?segment=``'s panel opened."""
    chain = load_or_404(Chain, chain_id)
    page = graph_page(chain, translator())
    selected = request.args.get("segment", type=int)
    panel_html = None
    if selected in page.statuses:
        segment = load_or_404(Segment, selected)
        panel_html = render_template("chains/_panel.html", **_panel_context(chain, segment, page.statuses))
    return render_template(
        "chains/graph.html",
        chain=chain,
        summary=page.summary,
        statuses=page.statuses,
        payload_json=page.payload_json,
        legend=page.legend,
        by_status=page.by_status,
        segments=page.segments,
        panel_html=panel_html,
        can_write=can_write(chain),
    )


def _panel_context(chain: Chain, segment: Segment, statuses: dict) -> dict:
    projects = services.open_projects_by_segment([segment.id])[segment.id]
    writable = can_write(chain)
    return {
        "candidates": queries.aim_candidates(p.id for p in projects) if writable else [],
        "chain": chain,
        "segment": segment,
        "status": statuses[segment.id],
        "firms": queries.segment_firms(segment.id),
        "projects": projects,
        "investors": {p.investor_company_id for p in projects},
        "confirm": ConfirmForm(),
        "can_write": writable,
        "carriers": _suited_carriers(chain, segment),
    }


def _suited_carriers(chain: Chain, segment: Segment) -> list:
    """Vacant carriers whose 适宜产业 fit the chain or segment, from the land module if it is
    installed (its hook answers ``(name, vacant ㎡, url)``; chains never imports it)."""
    provider = current_app.extensions.get("chaincrm_gap_carriers")
    if provider is None:
        return []
    found = {}
    for industry in (segment.name, chain.name):
        for item in provider(chain.county_id, industry):
            found.setdefault(item[2], item)
    return list(found.values())


@bp.route("/<int:chain_id>/segments/<int:segment_id>/panel")
@roles_required(*READ_ROLES)
def panel(chain_id: int, segment_id: int):
    """One segment's panel: its status, firms, open projects and what the user may do."""
    chain = load_or_404(Chain, chain_id)
    segment = load_in_chain(Segment, segment_id, chain)
    statuses = graph_page(chain, translator()).statuses
    return render_template("chains/_panel.html", **_panel_context(chain, segment, statuses))


@bp.route("/<int:chain_id>/map.svg")
@roles_required(*READ_ROLES)
def map_svg(chain_id: int):
    """The printable map (图谱) as SVG; ``?download`` saves it, ``?firms=0`` leaves firms out."""
    chain = load_or_404(Chain, chain_id)
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    svg = render_svg(
        analysis.graph,
        analysis.statuses,
        title=chain.name,
        translate=translator(),
        show_firms=request.args.get("firms") != "0",
    )
    inline = request.args.get("download") is None
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={"Content-Disposition": content_disposition(f"{chain.name}产业链图谱.svg", inline=inline)},
    )


def project_section(project: Project, can_write: bool, back: str) -> ProjectSection:
    """The project page's targeted segments, each linked to its chain's graph with the
    segment's panel open (where a project is aimed or no longer aimed)."""
    html = render_template("chains/_project_section.html", segments=queries.project_segments(project.id))
    return ProjectSection(Markup(html))
