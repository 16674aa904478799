"""Rows → chain graph."""

import pytest

from chains.build import FirmRow, LinkRow, ProjectAim, SegmentRow, build_chain_graph


def test_node_attributes_and_edges():
    G = build_chain_graph(
        [
            SegmentRow(1, "正极", "upstream", "key", order=2),
            SegmentRow(2, "电芯", "midstream", "core"),
            SegmentRow(3, "叠片电芯", "midstream", parent_id=2),
        ],
        [LinkRow(1, 2), LinkRow(1, 3)],
        [FirmRow(2, "甲", "leader", "local", note="龙头", company_id=9)],
        [
            ProjectAim(2, 1, "signed"),
            ProjectAim(2, 1, "signed"),
            ProjectAim(2, 2, "lost"),
            ProjectAim(2, 3, "lead"),
        ],
    )
    assert sorted(G.edges) == [(1, 2), (1, 3)]
    assert G.nodes[1]["order"] == 2 and G.nodes[1]["importance"] == "key"
    assert G.nodes[3]["parent"] == 2 and G.nodes[3]["importance"] == "general"
    firm = G.nodes[2]["firms"][0]
    assert (firm["company"], firm["role"], firm["presence"], firm["note"], firm["company_id"]) == (
        "甲",
        "leader",
        "local",
        "龙头",
        9,
    )
    assert G.nodes[2]["open_project_count"] == 2  # project 1 counted once, lost project 2 not
    assert G.nodes[1]["open_project_count"] == 0


def test_dict_rows_are_accepted():
    G = build_chain_graph(
        [{"id": "a", "name": "甲", "stage": "upstream", "extra": 1}],
        firms=[{"segment_id": "a", "company": "x", "role": "service", "presence": "external"}],
    )
    assert G.nodes["a"]["firms"][0]["role"] == "service"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"segments": [SegmentRow(1, "甲", "sideways")]},
        {"segments": [SegmentRow(1, "甲", "upstream", "vital")]},
        {"segments": [SegmentRow(1, "甲", "upstream", parent_id=5)]},
        {"segments": [SegmentRow(1, "甲", "upstream")], "links": [LinkRow(1, 2)]},
        {"segments": [SegmentRow(1, "甲", "upstream")], "firms": [FirmRow(2, "x", "leader", "local")]},
        {"segments": [SegmentRow(1, "甲", "upstream")], "firms": [FirmRow(1, "x", "king", "local")]},
        {"segments": [SegmentRow(1, "甲", "upstream")], "project_aims": [ProjectAim(2, 1)]},
    ],
)
def test_inconsistent_rows_raise(kwargs):
    with pytest.raises(ValueError):
        build_chain_graph(**kwargs)
