"""Server-side layout of a chain graph: stages left to right, firms beside their segment.

The same coordinates feed the interactive vis-network payload and the printable SVG
(:mod:`chains.render`), so the page and the printout show the same picture, and the
browser runs no physics: the graph is still the moment it appears.

Columns: upstream on the left, midstream in the middle, downstream on the right. Inside
a stage, a segment's sub-column is its depth (longest supply path reaching it from any
source of the chain), so a supplier sits left of its consumers; inside a column, segments
are sorted by ``order`` then name. A segment's firms sit in a small grid to its right.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

from chains.vocabulary import STAGES

__all__ = [
    "Layout",
    "StageBand",
    "chain_layout",
    "supply_depths",
]

MARGIN = 40.0
HEADER_HEIGHT = 50.0
SEGMENT_SLOT = 90.0  # vertical room of a segment without firms
FIRM_OFFSET_X = 70.0  # from segment centre to its first firm column
FIRM_DX = 64.0
FIRM_DY = 40.0
COLUMN_GAP = 140.0
STAGE_GAP = 60.0


@dataclass(frozen=True)
class StageBand:
    stage: str
    left: float
    right: float


@dataclass
class Layout:
    """Fixed positions of a chain drawing, in pixels, origin top left."""

    segments: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    # firms[segment][i] is the position of G.nodes[segment]["firms"][i]
    firms: dict[Hashable, list[tuple[float, float]]] = field(default_factory=dict)
    bands: list[StageBand] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


def supply_depths(G: nx.DiGraph) -> dict[Hashable, int]:
    """Return each segment's depth: the length of the longest supply path ending at it.

    Segments on a cycle (which the chain rules forbid, but a drawing must survive)
    share the depth of their strongly connected component.

    >>> supply_depths(nx.DiGraph([("矿", "材料"), ("材料", "电芯"), ("矿", "电芯")]))
    {'矿': 0, '材料': 1, '电芯': 2}
    """
    if nx.is_directed_acyclic_graph(G):
        depth: dict[Hashable, int] = {}
        for node in nx.topological_sort(G):
            depth[node] = max((depth[p] + 1 for p in G.predecessors(node)), default=0)
        return {node: depth[node] for node in G}
    condensed = nx.condensation(G)
    component_depth = supply_depths(condensed)
    mapping = condensed.graph["mapping"]
    return {node: component_depth[mapping[node]] for node in G}


def _columns(G: nx.DiGraph) -> list[tuple[str, list[Hashable]]]:
    depth = supply_depths(G)
    columns: list[tuple[str, list[Hashable]]] = []
    for stage in STAGES:
        in_stage = [n for n in G if G.nodes[n].get("stage") == stage]
        for d in sorted({depth[n] for n in in_stage}):
            members = [n for n in in_stage if depth[n] == d]
            members.sort(
                key=lambda n: (G.nodes[n].get("order") or 0, str(G.nodes[n].get("name", "")), str(n))
            )
            columns.append((stage, members))
    return columns


def chain_layout(G: nx.DiGraph, *, show_firms: bool = True, firms_per_row: int = 2) -> Layout:
    """Compute fixed positions for every segment (and, if ``show_firms``, every firm).

    >>> G = nx.DiGraph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(G, {1: "upstream", 2: "midstream", 3: "downstream"}, "stage")
    >>> nx.set_node_attributes(G, {1: [], 2: [{"company": "甲"}], 3: []}, "firms")
    >>> layout = chain_layout(G)
    >>> layout.segments[1][0] < layout.segments[2][0] < layout.segments[3][0]
    True
    >>> layout.firms[2][0][0] > layout.segments[2][0]   # the firm sits right of its segment
    True
    """
    layout = Layout()
    columns = _columns(G)
    firm_rows: dict[Hashable, int] = {}
    firm_cols = 0
    for _, members in columns:
        for node in members:
            count = len(G.nodes[node].get("firms", ())) if show_firms else 0
            firm_rows[node] = -(-count // firms_per_row)  # ceiling
            firm_cols = max(firm_cols, min(count, firms_per_row))
    column_width = FIRM_OFFSET_X + firm_cols * FIRM_DX if firm_cols else 60.0

    def slot_height(node: Hashable) -> float:
        return max(SEGMENT_SLOT, firm_rows[node] * FIRM_DY + 20.0)

    column_heights = [sum(slot_height(n) for n in members) for _, members in columns]
    content_height = max(column_heights, default=SEGMENT_SLOT)
    top = MARGIN + HEADER_HEIGHT

    x = MARGIN + 40.0
    band_left: dict[str, float] = {}
    band_right: dict[str, float] = {}
    previous_stage = None
    for (stage, members), height in zip(columns, column_heights):
        if previous_stage is not None:
            x += COLUMN_GAP + (STAGE_GAP if stage != previous_stage else 0.0)
        band_left.setdefault(stage, x - 40.0)
        band_right[stage] = x + column_width
        y = top + (content_height - height) / 2
        for node in members:
            slot = slot_height(node)
            centre_y = y + slot / 2
            layout.segments[node] = (x, centre_y)
            positions = []
            firms = G.nodes[node].get("firms", ()) if show_firms else ()
            rows = firm_rows[node]
            first_y = centre_y - (rows - 1) * FIRM_DY / 2
            for index in range(len(firms)):
                row, col = divmod(index, firms_per_row)
                positions.append((x + FIRM_OFFSET_X + col * FIRM_DX, first_y + row * FIRM_DY))
            layout.firms[node] = positions
            y += slot
        x += column_width
        previous_stage = stage
    layout.bands = [StageBand(s, band_left[s], band_right[s]) for s in STAGES if s in band_left]
    layout.width = (x if columns else MARGIN) + MARGIN
    layout.height = top + content_height + MARGIN
    return layout
