"""Server-side layout: stages left to right, suppliers before consumers, firms beside."""

import pytest

from chains.build import FirmRow, build_chain_graph, rows_from_document
from chains.catalog import TEMPLATE_KEYS, load_template
from chains.layout import chain_layout

STAGE_RANK = {"upstream": 0, "midstream": 1, "downstream": 2}


def template_graph(key, firms_per_segment=0):
    segments, links, _ = rows_from_document(load_template(key))
    firms = (
        [
            FirmRow(s.id, f"企业{s.id}-{i}", "supporting", "local")
            for s in segments
            for i in range(firms_per_segment + s.id % 3)
        ]
        if firms_per_segment
        else []
    )
    return build_chain_graph(segments, links, firms)


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_upstream_left_of_midstream_left_of_downstream(key):
    G = template_graph(key)
    layout = chain_layout(G)
    xs = {stage: [layout.segments[n][0] for n in G if G.nodes[n]["stage"] == stage] for stage in STAGE_RANK}
    assert max(xs["upstream"]) < min(xs["midstream"])
    assert max(xs["midstream"]) < min(xs["downstream"])
    bands = [b.stage for b in layout.bands]
    assert bands == ["upstream", "midstream", "downstream"]
    for supplier, consumer in G.edges:  # every template link flows left to right
        assert layout.segments[supplier][0] < layout.segments[consumer][0]


def test_segments_in_a_column_are_sorted_by_order_and_do_not_overlap():
    G = build_chain_graph(
        [
            {"id": 1, "name": "乙", "stage": "upstream", "order": 2},
            {"id": 2, "name": "甲", "stage": "upstream", "order": 1},
            {"id": 3, "name": "丙", "stage": "upstream", "order": 3},
        ]
    )
    layout = chain_layout(G)
    assert layout.segments[1][0] == layout.segments[2][0] == layout.segments[3][0]
    ys = [layout.segments[n][1] for n in (2, 1, 3)]
    assert ys == sorted(ys) and min(b - a for a, b in zip(ys, ys[1:])) >= 60


def test_firms_sit_beside_their_own_segment():
    G = template_graph("photovoltaic", firms_per_segment=4)
    layout = chain_layout(G)
    positions = list(layout.segments.items())
    for node in G:
        sx, sy = layout.segments[node]
        assert len(layout.firms[node]) == len(G.nodes[node]["firms"])
        for fx, fy in layout.firms[node]:
            assert sx < fx < sx + 300
            nearest = min(positions, key=lambda item: (item[1][0] - fx) ** 2 + (item[1][1] - fy) ** 2)
            assert nearest[0] == node
    all_points = [p for n in G for p in layout.firms[n]] + list(layout.segments.values())
    assert len(set(all_points)) == len(all_points)
    assert all(0 < x < layout.width and 0 < y < layout.height for x, y in all_points)


def test_layout_survives_a_cycle_and_an_empty_chain():
    G = build_chain_graph(
        [{"id": 1, "name": "甲", "stage": "midstream"}, {"id": 2, "name": "乙", "stage": "midstream"}],
        [{"supplier_id": 1, "consumer_id": 2}, {"supplier_id": 2, "consumer_id": 1}],
    )
    assert set(chain_layout(G).segments) == {1, 2}
    empty = chain_layout(build_chain_graph([]))
    assert empty.segments == {} and empty.width > 0
