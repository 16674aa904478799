"""Rendering: colours/shapes/sizes, hostile names stay text, nothing links outside."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from chains.build import FirmRow, ProjectAim, build_chain_graph, rows_from_document
from chains.catalog import load_template
from chains.layout import chain_layout
from chains.render import (
    IMPORTANCE_SIZES,
    STATUS_COLORS,
    fixed_layout_html,
    graph_payload,
    node_style,
    payload_json,
    pyvis_default_html,
    render_svg,
    standalone_html,
    vis_network_asset_paths,
)

HOSTILE = "<script>alert(1)</script>"
BREAKOUT = '</script><img src=x onerror="alert(2)">&amp;'
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def hostile_graph():
    return build_chain_graph(
        [
            {"id": 1, "name": BREAKOUT, "stage": "upstream", "importance": "core"},
            {"id": 2, "name": "电芯", "stage": "midstream", "importance": "general"},
        ],
        [{"supplier_id": 1, "consumer_id": 2}],
        [FirmRow(1, HOSTILE, "leader", "local", note=BREAKOUT), FirmRow(2, "甲", "service", "target")],
    )


def sample_graph():
    segments, links, _ = rows_from_document(load_template("new_energy_vehicle"))
    firms = [
        FirmRow(segments[0].id, "本地龙头", "leader", "local"),
        FirmRow(segments[0].id, "本地配套", "supporting", "local"),
        FirmRow(segments[1].id, "外地服务", "service", "external"),
    ]
    return build_chain_graph(segments, links, firms, [ProjectAim(segments[2].id, 1, "visited")])


def external_urls(text):
    return [u for u in re.findall(r"https?://[^\s\"'<>)]*", text) if u != "http://www.w3.org/2000/svg"]


def test_payload_colours_by_status_shapes_by_role_sizes_by_importance():
    G = sample_graph()
    payload = graph_payload(G)
    segments = {n["segment"]: node_style(payload, n) for n in payload["nodes"] if n["kind"] == "segment"}
    firms = {n["label"]: node_style(payload, n) for n in payload["nodes"] if n["kind"] == "firm"}
    ids = [s.id for s in rows_from_document(load_template("new_energy_vehicle"))[0]]
    assert segments[ids[0]]["color"]["background"] == STATUS_COLORS["strong"]
    assert segments[ids[1]]["color"]["background"] == STATUS_COLORS["gap"]  # external only
    assert segments[ids[2]]["color"]["background"] == STATUS_COLORS["targeted"]  # open project
    assert len({firms[n]["shape"] for n in ("本地龙头", "本地配套", "外地服务")}) == 3
    assert firms["本地龙头"]["color"] != firms["外地服务"]["color"]  # colour by presence
    assert IMPORTANCE_SIZES["core"] > IMPORTANCE_SIZES["key"] > IMPORTANCE_SIZES["general"]
    for node, data in G.nodes(data=True):
        assert segments[node]["size"] == IMPORTANCE_SIZES[data["importance"]]
    assert len([e for e in payload["edges"] if e.get("arrows") == "to"]) == G.number_of_edges()


def test_payload_positions_come_from_the_layout_and_physics_is_off():
    G = sample_graph()
    layout = chain_layout(G)
    payload = graph_payload(G, layout=layout)
    assert payload["options"]["physics"] == {"enabled": False}
    for node in payload["nodes"]:
        if node["kind"] == "segment":
            assert (node["x"], node["y"]) == layout.segments[node["segment"]]
    without_firms = graph_payload(G, show_firms=False)
    assert all(n["kind"] == "segment" for n in without_firms["nodes"])


def test_hostile_names_stay_plain_text_in_payload(hostile_graph):
    payload = graph_payload(hostile_graph)
    labels = {n["label"] for n in payload["nodes"]}
    assert BREAKOUT in labels  # shown as written, not interpreted
    firm = next(n for n in payload["nodes"] if n["kind"] == "firm" and n["role"] == "leader")
    assert HOSTILE in firm["title"] and BREAKOUT in firm["title"]  # tooltip: text, unescaped
    embedded = payload_json(payload)
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert json.loads(embedded) == json.loads(json.dumps(payload))
    assert external_urls(embedded) == []


@pytest.mark.parametrize("make_page", [fixed_layout_html, pyvis_default_html])
def test_pages_cannot_be_broken_out_of_and_link_nothing_outside(hostile_graph, make_page):
    page = make_page(
        hostile_graph, js_url="/static/vis/vis-network.min.js", css_url="/static/vis/vis-network.css"
    )
    assert page.count("</script>") == 3  # vis script tag, data block, init script
    assert "<script>alert" not in page and "<img" not in page
    assert external_urls(page) == []
    data = re.search(
        r'<script id="chain-graph-data" type="application/json">(.*?)</script>', page, re.S
    ).group(1)
    labels = {n["label"] for n in json.loads(data)["nodes"]}
    assert BREAKOUT in labels
    assert 'src="/static/vis/vis-network.min.js"' in page


def test_pyvis_default_page_keeps_physics_and_fixed_page_does_not():
    G = sample_graph()
    default = json.loads(re.search(r'application/json">(.*?)</script>', pyvis_default_html(G), re.S).group(1))
    fixed = json.loads(re.search(r'application/json">(.*?)</script>', fixed_layout_html(G), re.S).group(1))
    assert default["options"]["physics"]["enabled"] is True
    assert all("x" not in n for n in default["nodes"])
    assert fixed["options"]["physics"]["enabled"] is False
    assert len(default["nodes"]) == len(fixed["nodes"])


def test_standalone_page_escapes_title_and_urls():
    page = standalone_html({"nodes": [], "edges": [], "options": {}}, title=HOSTILE, js_url='x.js"><script>')
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "x.js&quot;&gt;&lt;script&gt;" in page


def test_svg_is_wellformed_escaped_and_offline(hostile_graph):
    svg = render_svg(hostile_graph, title=HOSTILE)
    root = ET.fromstring(svg)  # parses: nothing broke the XML
    texts = [el.text for el in root.iter() if el.tag in (SVG_NS + "text", SVG_NS + "title")]
    assert HOSTILE in texts  # title drawn as the literal characters
    assert any(t and HOSTILE in t for t in texts)  # firm tooltip
    assert not list(root.iter(SVG_NS + "script")) and not list(root.iter("script"))
    assert "<script>" not in svg
    assert external_urls(svg) == []
    assert "上游" in svg and "图例" in svg


def test_svg_uses_the_same_layout_as_the_payload():
    G = sample_graph()
    layout = chain_layout(G)
    svg = render_svg(G, layout=layout)
    root = ET.fromstring(svg)
    circles = {(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(SVG_NS + "circle")}
    for x, y in layout.segments.values():
        assert (round(x, 1), round(y, 1)) in circles


def test_svg_survives_control_characters():
    G = build_chain_graph([{"id": 1, "name": "甲\x00乙\x1b", "stage": "upstream"}])
    ET.fromstring(render_svg(G))


def test_vis_network_assets_are_local_files_of_pyvis():
    paths = vis_network_asset_paths()
    assert set(paths) == {"vis-network.min.js", "vis-network.css"}
    assert all(p.is_file() and "pyvis" in p.parts for p in paths.values())
    head = paths["vis-network.min.js"].read_text("utf-8")[:400]
    assert "@version 9." in head


def test_labels_are_large_enough_to_read_once_zoomed():
    from chains.render import MIN_LABEL_PX, SEGMENT_FONT_SIZE, fixed_options

    options = fixed_options()
    sizes = {name: group["font"]["size"] for name, group in options["groups"].items()}
    assert {size for name, size in sizes.items() if name.startswith("status:")} == {SEGMENT_FONT_SIZE}
    assert min(sizes.values()) >= MIN_LABEL_PX  # no label under MIN_LABEL_PX at zoom 1
    assert options["nodes"]["scaling"]["label"]["enabled"] is False
    assert options["layout"]["hierarchical"]["enabled"] is False  # the server lays out left to right
