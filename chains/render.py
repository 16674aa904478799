"""Draw a chain graph: vis-network payload, printable SVG, standalone pages.

The only module that imports pyvis. Everything is computed on the server from one
:func:`chains.layout.chain_layout`, so the interactive graph and the printout agree and
the browser runs no physics.

Safety: labels and tooltips are plain text. vis-network (9.x, the copy pyvis ships)
draws labels on a canvas and sets a string ``title`` with ``innerText``, so a company
called ``<script>alert(1)</script>`` shows as those characters. JSON embedded in a page
goes through :func:`payload_json`, which escapes ``<``, ``>`` and ``&`` so that
``</script>`` inside a name cannot end the script element. SVG text is XML-escaped.

Offline: nothing here links outside the server. vis-network is served from pyvis's own
bundled copy (:func:`vis_network_asset_paths`); pages take the asset URLs as arguments.

UI strings are marked with ``crm.core.i18n.N_`` for extraction and translated at render
time through the ``translate`` argument (the views pass a memoised ``gettext``); the
labels of codes come from :mod:`chains.vocabulary`. Nothing here needs a request.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
from collections.abc import Callable, Hashable, Mapping
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import networkx as nx

from chains.analysis import segment_statuses
from chains.layout import Layout, chain_layout
from chains.vocabulary import IMPORTANCE_LABELS, PRESENCE_LABELS, ROLE_LABELS, STAGE_LABELS, STATUS_LABELS
from crm.core.i18n import N_

__all__ = [
    "FIRM_SIZE",
    "IMPORTANCE_SIZES",
    "PRESENCE_COLORS",
    "ROLE_SHAPES",
    "STATUS_BORDERS",
    "STATUS_COLORS",
    "TIE_STYLE",
    "firm_tooltip",
    "fixed_layout_html",
    "fixed_options",
    "graph_payload",
    "legend_entries",
    "node_groups",
    "node_style",
    "payload_json",
    "pyvis_default_html",
    "render_svg",
    "segment_node_id",
    "segment_tooltip",
    "standalone_html",
    "vis_network_asset_paths",
    "vis_network_version",
]

STATUS_COLORS = {"gap": "#d62728", "targeted": "#f39c12", "weak": "#f1d302", "strong": "#2ca02c"}
STATUS_BORDERS = {"gap": "#8c1a1b", "targeted": "#a86a06", "weak": "#9c8800", "strong": "#1b6b1b"}
IMPORTANCE_SIZES = {"core": 28, "key": 21, "general": 15}
ROLE_SHAPES = {"leader": "star", "supporting": "triangle", "service": "square"}
PRESENCE_COLORS = {"local": "#1f5fa8", "target": "#8e44ad", "external": "#9e9e9e"}
FIRM_SIZE = 9
FIRM_LABEL_CHARS = 6
# Label sizes in canvas units. The page fits the graph, then zooms in until a segment
# label is at least MIN_LABEL_PX screen pixels (static/js/chain_graph.js reads these
# from the payload's options).
SEGMENT_FONT_SIZE = 16
FIRM_FONT_SIZE = 13
MIN_LABEL_PX = 12
FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'SimHei', sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"

Translate = Callable[[str], str]


def _identity(message: str) -> str:
    return message


def segment_node_id(segment: Hashable) -> str:
    """vis-network id of a segment node (firm ids are ``f:<segment>:<index>``)."""
    return f"s:{segment}"


def _firm_node_id(segment: Hashable, index: int) -> str:
    return f"f:{segment}:{index}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def segment_tooltip(G: nx.DiGraph, node: Hashable, status: str, translate: Translate = _identity) -> str:
    """Plain-text tooltip of a segment (newlines, no markup)."""
    data = G.nodes[node]
    firms = data.get("firms", ())
    local = sum(1 for f in firms if f.get("presence") == "local")
    target = sum(1 for f in firms if f.get("presence") == "target")
    lines = [
        str(data.get("name", "")),
        f"{translate(N_('阶段'))}：{translate(STAGE_LABELS.get(data.get('stage'), str(data.get('stage'))))}",
        f"{translate(N_('重要度'))}：{translate(IMPORTANCE_LABELS.get(data.get('importance'), '-'))}",
        f"{translate(N_('状态'))}：{translate(STATUS_LABELS[status])}",
        f"{translate(N_('本地企业'))}：{local}　{translate(N_('招商目标'))}：{target}",
        f"{translate(N_('在跟项目'))}：{data.get('open_project_count', 0)}",
    ]
    return "\n".join(lines)


def firm_tooltip(firm: Mapping, segment_name: str, translate: Translate = _identity) -> str:
    """Plain-text tooltip of a chain firm."""
    # Msgids stand outside the f-strings: Python 3.11's tokenizer hides an f-string's
    # inside from the message extraction (3.12's does not), and the catalog must not
    # depend on the Python that refreshed it.
    presence = translate(N_("分布"))
    lines = [
        str(firm.get("company", "")),
        f"{translate(N_('环节'))}：{segment_name}",
        f"{translate(N_('角色'))}：{translate(ROLE_LABELS.get(firm.get('role'), '-'))}",
        f"{presence}：{translate(PRESENCE_LABELS.get(firm.get('presence'), '-'))}",
    ]
    if firm.get("note"):
        lines.append(f"{translate(N_('备注'))}：{firm['note']}")
    return "\n".join(lines)


def legend_entries(translate: Translate = _identity) -> list[dict]:
    """What the colours, shapes and sizes mean, for an HTML legend beside the graph."""
    entries = [
        {"kind": "status", "key": k, "label": translate(v), "color": STATUS_COLORS[k]}
        for k, v in STATUS_LABELS.items()
    ]
    entries += [
        {"kind": "role", "key": k, "label": translate(v), "shape": ROLE_SHAPES[k]}
        for k, v in ROLE_LABELS.items()
    ]
    entries += [
        {"kind": "presence", "key": k, "label": translate(v), "color": PRESENCE_COLORS[k]}
        for k, v in PRESENCE_LABELS.items()
    ]
    entries += [
        {"kind": "importance", "key": k, "label": translate(v), "size": IMPORTANCE_SIZES[k]}
        for k, v in IMPORTANCE_LABELS.items()
    ]
    return entries


def _segment_group(status: str) -> str:
    return f"status:{status}"


def _firm_group(role: str, presence: str) -> str:
    return f"firm:{role}:{presence}"


def node_groups() -> dict[str, dict]:
    """vis-network groups: one per segment status and one per firm role × presence.

    Styles live in groups so each of thousands of nodes carries only its own data.
    """
    groups = {
        _segment_group(status): {
            "shape": "dot",
            "color": {
                "background": STATUS_COLORS[status],
                "border": STATUS_BORDERS[status],
                "highlight": {"background": STATUS_COLORS[status], "border": "#000000"},
                "hover": {"background": STATUS_COLORS[status], "border": "#000000"},
            },
            "borderWidth": 2,
            "font": {"size": SEGMENT_FONT_SIZE, "color": "#222222"},
            "widthConstraint": {"maximum": 140},
        }
        for status in STATUS_COLORS
    }
    for role, shape in ROLE_SHAPES.items():
        for presence, color in PRESENCE_COLORS.items():
            groups[_firm_group(role, presence)] = {
                "shape": shape,
                "size": FIRM_SIZE,
                "color": {"background": color, "border": "#333333"},
                "borderWidth": 1,
                "font": {"size": FIRM_FONT_SIZE, "color": "#444444"},
            }
    return groups


# Edges default to the faint firm-to-segment tie; supply links set their own style.
_FIRM_EDGE_STYLE = {"color": "#d0d0d0", "width": 0.5, "dashes": True, "arrows": {"to": {"enabled": False}}}
# The ties are not vis-network edges: the page draws them on the canvas under the nodes
# (static/js/chain_graph.js), from each firm node to ``s:<its segment>``. As edges they
# were 2,000 objects of a 2,000-firm chain for vis-network to build, half the time before
# the graph appeared (bench/RESULTS.md), for lines nobody clicks.
TIE_STYLE = {"color": "#d0d0d0", "width": 0.5, "dash": [5, 5]}
_SUPPLY_EDGE_STYLE = {"color": "#8a8a8a", "width": 1.5, "dashes": False, "arrows": "to"}


def fixed_options() -> dict:
    """vis-network options of the fixed drawing: no physics, positions as given.

    The positions already run upstream → downstream from left to right
    (:func:`chains.layout.chain_layout`), so vis's hierarchical layout stays off. Labels
    keep their font size whatever the node size (``scaling.label`` off); the page clamps
    the zoom so that ``scale × SEGMENT_FONT_SIZE ≥ MIN_LABEL_PX`` (the payload's
    ``view``).
    """
    return {
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": False}, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 200, "dragNodes": True, "keyboard": True},
        "edges": {"smooth": False, **_FIRM_EDGE_STYLE},
        "nodes": {"font": {"face": "sans-serif"}, "scaling": {"label": {"enabled": False}}},
        "groups": node_groups(),
    }


def node_style(payload: Mapping, node: Mapping) -> dict:
    """A payload node with its group's style merged in (what vis-network draws)."""
    return {**payload["options"]["groups"].get(node.get("group"), {}), **node}


def graph_payload(
    G: nx.DiGraph,
    statuses: Mapping[Hashable, str] | None = None,
    *,
    layout: Layout | None = None,
    show_firms: bool = True,
    translate: Translate = _identity,
) -> dict:
    """Return ``{"nodes", "edges", "options", "legend", "view", "ties"}`` for vis-network.

    Nodes carry fixed ``x``/``y`` from :func:`chains.layout.chain_layout`; options turn
    physics off. Segment nodes have ``kind: "segment"``, ``segment`` (the node key),
    ``status``, ``size`` (by importance) and group ``status:<status>`` (colour); firm
    nodes have ``kind: "firm"``, ``segment``, ``role``, ``presence`` and group
    ``firm:<role>:<presence>`` (shape by role, colour by presence). Labels and
    ``title`` tooltips are plain text; ``name`` is the full segment or company name (for
    the page's search). ``view`` tells the page the segment font size and the smallest
    label, in screen pixels, it zooms to. ``edges`` are the supply links; each firm's tie
    to its segment is drawn by the page in the ``ties`` style (:data:`TIE_STYLE`).

    >>> G = nx.DiGraph()
    >>> G.add_node(1, name="<b>电芯</b>", stage="midstream", importance="core",
    ...            firms=[{"company": "甲", "role": "leader", "presence": "local"}])
    >>> payload = graph_payload(G)
    >>> payload["options"]["physics"]
    {'enabled': False}
    >>> [(n["id"], n["label"], node_style(payload, n)["shape"]) for n in payload["nodes"]]
    [('s:1', '<b>电芯</b>', 'dot'), ('f:1:0', '甲', 'star')]
    """
    if statuses is None:
        statuses = segment_statuses(G)
    if layout is None:
        layout = chain_layout(G, show_firms=show_firms)
    nodes: list[dict] = []
    edges: list[dict] = []
    for node, data in G.nodes(data=True):
        status = statuses[node]
        x, y = layout.segments[node]
        nodes.append(
            {
                "id": segment_node_id(node),
                "kind": "segment",
                "segment": node,
                "status": status,
                "group": _segment_group(status),
                "label": str(data.get("name", "")),
                "name": str(data.get("name", "")),
                "title": segment_tooltip(G, node, status, translate),
                "x": x,
                "y": y,
                "size": IMPORTANCE_SIZES.get(data.get("importance"), IMPORTANCE_SIZES["general"]),
            }
        )
        if not show_firms:
            continue
        for index, firm in enumerate(data.get("firms", ())):
            fx, fy = layout.firms[node][index]
            firm_id = _firm_node_id(node, index)
            company = str(firm.get("company", ""))
            nodes.append(
                {
                    "id": firm_id,
                    "kind": "firm",
                    "segment": node,
                    "role": firm.get("role"),
                    "presence": firm.get("presence"),
                    "group": _firm_group(firm.get("role"), firm.get("presence")),
                    "label": _short(company, FIRM_LABEL_CHARS),
                    "name": company,
                    "title": firm_tooltip(firm, str(data.get("name", "")), translate),
                    "x": fx,
                    "y": fy,
                }
            )
    for supplier, consumer in G.edges:
        edges.append(
            {
                "from": segment_node_id(supplier),
                "to": segment_node_id(consumer),
                "kind": "supply",
                **_SUPPLY_EDGE_STYLE,
                "title": f"{G.nodes[supplier].get('name', '')} → {G.nodes[consumer].get('name', '')}",
            }
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "options": fixed_options(),
        "legend": legend_entries(translate),
        "view": {"segmentFontSize": SEGMENT_FONT_SIZE, "minLabelPx": MIN_LABEL_PX},
        "ties": TIE_STYLE,
    }


def payload_json(payload: object) -> str:
    """JSON for embedding in HTML (a ``<script>`` element or an attribute).

    ``<``, ``>``, ``&`` and the JavaScript line separators are written as ``\\uXXXX``
    escapes, so no name can close the script element; the JSON value is unchanged.

    >>> payload_json({"label": "</script><script>alert(1)</script>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))  # no spaces: ~8 % of a big graph
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --- SVG -----------------------------------------------------------------------------

_XML_FORBIDDEN = {c: None for c in range(32) if c not in (9, 10, 13)}


def _text(value: object) -> str:
    return xml_escape(str(value).translate(_XML_FORBIDDEN))


def _attr(value: object) -> str:
    return quoteattr(str(value).translate(_XML_FORBIDDEN))


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _shape_svg(shape: str, x: float, y: float, size: float, fill: str, stroke: str = "#333333") -> str:
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="1"'
    if shape == "star":
        points = []
        for i in range(10):
            radius = size * 1.25 if i % 2 == 0 else size * 0.5
            angle = -math.pi / 2 + i * math.pi / 5
            points.append(f"{x + radius * math.cos(angle):.1f},{y + radius * math.sin(angle):.1f}")
        return f'<polygon points="{" ".join(points)}" {common}/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - size:.1f} {x + size:.1f},{y + size * 0.8:.1f} '
            f'{x - size:.1f},{y + size * 0.8:.1f}" {common}/>'
        )
    if shape == "square":
        return f'<rect x="{x - size * 0.8:.1f}" y="{y - size * 0.8:.1f}" width="{size * 1.6:.1f}" height="{size * 1.6:.1f}" {common}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {common}/>'


def _edge_svg(x1: float, y1: float, x2: float, y2: float, r1: float, r2: float) -> str:
    dx, dy = x2 - x1, y2 - y1
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / length, dy / length
    return (
        f'<line x1="{x1 + ux * r1:.1f}" y1="{y1 + uy * r1:.1f}" x2="{x2 - ux * (r2 + 3):.1f}" '
        f'y2="{y2 - uy * (r2 + 3):.1f}" stroke="#8a8a8a" stroke-width="1.5" marker-end="url(#arrow)"/>'
    )


def _legend_svg(x: float, y: float, translate: Translate) -> tuple[list[str], float]:
    out = [
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="14" font-weight="bold">{_text(translate(N_("图例")))}</text>'
    ]
    rows = [
        (
            translate(N_("状态")),
            [(translate(STATUS_LABELS[k]), "dot", STATUS_COLORS[k], 9) for k in STATUS_LABELS],
        ),
        (
            translate(N_("企业角色")),
            [(translate(ROLE_LABELS[k]), ROLE_SHAPES[k], "#ffffff", 8) for k in ROLE_LABELS],
        ),
        (
            translate(N_("企业分布")),
            [(translate(PRESENCE_LABELS[k]), "square", PRESENCE_COLORS[k], 8) for k in PRESENCE_LABELS],
        ),
        (
            translate(N_("重要度")),
            [
                (translate(IMPORTANCE_LABELS[k]), "dot", "#cccccc", IMPORTANCE_SIZES[k] / 2)
                for k in IMPORTANCE_LABELS
            ],
        ),
    ]
    row_y = y + 28
    for heading, items in rows:
        out.append(f'<text x="{x:.0f}" y="{row_y + 5:.0f}" font-size="12">{_text(heading)}</text>')
        item_x = x + 80
        for label, shape, fill, size in items:
            out.append(_shape_svg(shape, item_x, row_y, size, fill))
            out.append(
                f'<text x="{item_x + 18:.0f}" y="{row_y + 5:.0f}" font-size="12">{_text(label)}</text>'
            )
            item_x += 110
        row_y += 28
    return out, row_y - y


def render_svg(
    G: nx.DiGraph,
    statuses: Mapping[Hashable, str] | None = None,
    *,
    layout: Layout | None = None,
    title: str | None = None,
    show_firms: bool = True,
    translate: Translate = _identity,
) -> str:
    """Return a standalone, printable SVG of the chain, from the same layout as the
    interactive graph, with a legend. All text is XML-escaped.

    >>> G = nx.DiGraph()
    >>> G.add_node(1, name="A&B <链>", stage="upstream", importance="key", firms=[])
    >>> svg = render_svg(G, title="示例")
    >>> svg.startswith("<svg") and "A&amp;B &lt;链&gt;" in svg
    True
    """
    if statuses is None:
        statuses = segment_statuses(G)
    if layout is None:
        layout = chain_layout(G, show_firms=show_firms)
    title_height = 40.0 if title else 0.0
    legend_width = 560.0
    width = max(layout.width, legend_width + 80.0)
    body: list[str] = []
    for index, band in enumerate(layout.bands):
        fill = "#f6f8fb" if index % 2 == 0 else "#eef2f7"
        body.append(
            f'<rect x="{band.left:.1f}" y="30" width="{band.right - band.left:.1f}" '
            f'height="{layout.height - 40:.1f}" fill="{fill}"/>'
        )
        body.append(
            f'<text x="{(band.left + band.right) / 2:.1f}" y="60" font-size="16" font-weight="bold" '
            f'text-anchor="middle" fill="#555555">{_text(translate(STAGE_LABELS[band.stage]))}</text>'
        )

    def radius(node: Hashable) -> float:
        return IMPORTANCE_SIZES.get(G.nodes[node].get("importance"), IMPORTANCE_SIZES["general"])

    for supplier, consumer in G.edges:
        (x1, y1), (x2, y2) = layout.segments[supplier], layout.segments[consumer]
        body.append(_edge_svg(x1, y1, x2, y2, radius(supplier), radius(consumer)))
    for node, data in G.nodes(data=True):
        x, y = layout.segments[node]
        status = statuses[node]
        if show_firms:
            for index, firm in enumerate(data.get("firms", ())):
                fx, fy = layout.firms[node][index]
                body.append(
                    f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{fx:.1f}" y2="{fy:.1f}" '
                    f'stroke="#d0d0d0" stroke-width="0.5" stroke-dasharray="3,3"/>'
                )
                body.append("<g>")
                body.append(
                    f"<title>{_text(firm_tooltip(firm, str(data.get('name', '')), translate))}</title>"
                )
                body.append(
                    _shape_svg(
                        ROLE_SHAPES.get(firm.get("role"), "dot"),
                        fx,
                        fy,
                        FIRM_SIZE,
                        PRESENCE_COLORS.get(firm.get("presence"), "#9e9e9e"),
                    )
                )
                body.append(
                    f'<text x="{fx:.1f}" y="{fy + FIRM_SIZE + 11:.1f}" font-size="9" text-anchor="middle" '
                    f'fill="#444444">{_text(_short(str(firm.get("company", "")), FIRM_LABEL_CHARS))}</text>'
                )
                body.append("</g>")
        r = radius(node)
        body.append("<g>")
        body.append(f"<title>{_text(segment_tooltip(G, node, status, translate))}</title>")
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{STATUS_COLORS[status]}" '
            f'stroke="{STATUS_BORDERS[status]}" stroke-width="2"/>'
        )
        for line_no, line in enumerate(_wrap(str(data.get("name", "")), 8)):
            body.append(
                f'<text x="{x:.1f}" y="{y + r + 16 + line_no * 15:.1f}" font-size="13" '
                f'text-anchor="middle" fill="#222222">{_text(line)}</text>'
            )
        body.append("</g>")
    legend, legend_height = _legend_svg(40.0, layout.height + 20.0, translate)
    height = title_height + layout.height + legend_height + 50.0
    parts = [
        f'<svg xmlns="{SVG_NS}" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family={_attr(FONT_FAMILY)}>',
        f"<title>{_text(title or translate(N_('产业链图谱')))}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a8a8a"/></marker></defs>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    if title:
        parts.append(f'<text x="40" y="34" font-size="20" font-weight="bold">{_text(title)}</text>')
    parts.append(f'<g transform="translate(0,{title_height:.0f})">')
    parts.extend(body)
    parts.extend(legend)
    parts.append("</g></svg>")
    return "\n".join(parts)


# --- Standalone pages (benchmark, offline export) ------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{css_url}">
<script src="{js_url}"></script>
<style>html, body {{ margin: 0; height: 100%; }} #chain-graph {{ width: 100%; height: 100vh; }}</style>
</head>
<body>
<div id="chain-graph"></div>
<script id="chain-graph-data" type="application/json">{data}</script>
<script>
(function () {{
  var started = performance.now();
  var data = JSON.parse(document.getElementById("chain-graph-data").textContent);
  var network = new vis.Network(document.getElementById("chain-graph"),
    {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, data.options);
  var physics = !(data.options.physics && data.options.physics.enabled === false);
  if (data.ties) {{  // firm-to-segment ties, drawn under the nodes as static/js/chain_graph.js does
    network.on("beforeDrawing", function (ctx) {{
      var all = network.body.nodes;
      ctx.save();
      ctx.strokeStyle = data.ties.color; ctx.lineWidth = data.ties.width; ctx.setLineDash(data.ties.dash);
      ctx.beginPath();
      data.nodes.forEach(function (node) {{
        var from = all["s:" + node.segment], to = all[node.id];
        if (node.kind === "firm" && from && to) {{ ctx.moveTo(from.x, from.y); ctx.lineTo(to.x, to.y); }}
      }});
      ctx.stroke();
      ctx.restore();
    }});
  }}
  // Timings for the headless benchmark: first frame drawn, and layout at rest.
  window.chainGraph = {{network: network, firstDrawMs: null, stableMs: null}};
  network.once("afterDrawing", function () {{
    window.chainGraph.firstDrawMs = performance.now() - started;
    if (!physics) {{ window.chainGraph.stableMs = window.chainGraph.firstDrawMs; }}
  }});
  network.once("stabilized", function () {{
    window.chainGraph.stableMs = performance.now() - started;
  }});
}})();
</script>
</body>
</html>
"""


def standalone_html(
    payload: Mapping,
    *,
    js_url: str = "vis-network.min.js",
    css_url: str = "vis-network.css",
    title: str = "产业链图谱",
) -> str:
    """Return a self-contained page drawing ``payload`` with vis-network.

    The page loads vis-network from ``js_url``/``css_url`` (serve
    :func:`vis_network_asset_paths` there; the defaults are files next to the page) and
    sets ``window.chainGraph.firstDrawMs`` / ``stableMs`` for browser benchmarks.
    """
    return _PAGE.format(
        title=html_escape(title),
        css_url=html_escape(css_url, quote=True),
        js_url=html_escape(js_url, quote=True),
        data=payload_json(
            {
                "nodes": payload["nodes"],
                "edges": payload["edges"],
                "options": payload["options"],
                "ties": payload.get("ties"),
            }
        ),
    )


def fixed_layout_html(
    G: nx.DiGraph,
    statuses: Mapping[Hashable, str] | None = None,
    *,
    translate: Translate = _identity,
    **page: str,
) -> str:
    """Standalone page of the chain with the server layout and physics off; ``page``: the
    ``js_url``, ``css_url`` and ``title`` of :func:`standalone_html`."""
    return standalone_html(graph_payload(G, statuses, translate=translate), **page)


def pyvis_default_html(
    G: nx.DiGraph,
    statuses: Mapping[Hashable, str] | None = None,
    *,
    title: str = "产业链图谱（pyvis 默认）",
    **page: str,
) -> str:
    """Standalone page of the same nodes and edges with pyvis's default options; ``page``:
    the ``js_url`` and ``css_url`` of :func:`standalone_html`.

    Physics on, no fixed positions: the baseline the benchmark compares the fixed
    layout with. pyvis builds the network data; the page is ours, because pyvis's own
    template links Bootstrap and vis-network from CDNs.
    """
    from pyvis.network import Network

    payload = graph_payload(G, statuses)
    network = Network(directed=True)
    for node in payload["nodes"]:
        # pyvis's default options know nothing of our groups: give each node its style.
        styled = {k: v for k, v in node_style(payload, node).items() if k not in ("x", "y", "group")}
        network.add_node(
            styled.pop("id"),
            label=styled.pop("label"),
            shape=styled.pop("shape"),
            color=styled.pop("color"),
            **styled,
        )
    ties = [
        {"from": segment_node_id(node["segment"]), "to": node["id"]}
        for node in payload["nodes"]
        if node["kind"] == "firm"
    ]
    for edge in payload["edges"] + ties:
        styled = {**_FIRM_EDGE_STYLE, **edge}
        network.add_edge(styled.pop("from"), styled.pop("to"), **styled)
    nodes, edges, _heading, _height, _width, options = network.get_network_data()
    return standalone_html(
        {"nodes": nodes, "edges": edges, "options": json.loads(options)}, title=title, **page
    )


def vis_network_asset_paths() -> dict[str, Path]:
    """Local paths of the vis-network files bundled with pyvis, by file name.

    ``{"vis-network.min.js": Path, "vis-network.css": Path}`` from the newest
    ``templates/lib/vis-<version>`` folder of the installed pyvis (9.1.2 with pyvis
    0.3.2; vis-network is dual-licensed Apache-2.0 / MIT), found without importing pyvis
    and remembered. Serve these from our own server; never link a CDN.

    >>> sorted(vis_network_asset_paths())
    ['vis-network.css', 'vis-network.min.js']
    >>> all(path.is_file() for path in vis_network_asset_paths().values())
    True
    """
    return dict(_vis_network_assets())


@functools.lru_cache(maxsize=1)
def _vis_network_assets() -> tuple[tuple[str, Path], ...]:
    # Found, not imported: ``import pyvis`` imports IPython (0.7 s the first time a
    # process served the graph's script, bench/RESULTS.md), and only the files are needed.
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("pyvis is not installed: it ships the vis-network files")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib"

    def version(folder: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in folder.name.removeprefix("vis-").split(".") if p.isdigit())

    folders = [f for f in lib.glob("vis-*") if (f / "vis-network.min.js").is_file()]
    if not folders:
        raise FileNotFoundError(f"no vis-network bundled with pyvis under {lib}")
    newest = max(folders, key=version)
    return tuple((name, newest / name) for name in ("vis-network.min.js", "vis-network.css"))


def vis_network_version() -> str:
    """Version of the vis-network copy returned by :func:`vis_network_asset_paths`."""
    return vis_network_asset_paths()["vis-network.min.js"].parent.name.removeprefix("vis-")
