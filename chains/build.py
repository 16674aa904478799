"""Build the chain graph (``networkx.DiGraph``) from plain rows.

The database layer converts its ORM objects into the row dataclasses below (or plain
dicts with the same keys) and calls :func:`build_chain_graph`; nothing here knows about
SQLAlchemy or Flask. Each segment is one node keyed by its id, with attributes

- ``name``, ``stage`` (upstream/midstream/downstream), ``importance`` (core/key/general),
  ``parent`` (id of the parent segment or ``None``), ``order``;
- ``firms``: list of dicts ``{"id", "company", "company_id", "uscc", "role", "presence",
  "note"}`` in the order given;
- ``open_project_count``: number of distinct projects, not ``lost``, aiming at it.

Each supply link is an edge supplier → consumer. Firms are node data, not nodes, so
the graph stays a graph of segments and every networkx algorithm applies directly.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

import networkx as nx

from chains.documents import normalize_chain_document
from chains.vocabulary import IMPORTANCES, PRESENCES, ROLES, STAGES

__all__ = [
    "CLOSED_PROJECT_STAGES",
    "FirmRow",
    "LinkRow",
    "ProjectAim",
    "SegmentRow",
    "build_chain_graph",
    "document_from_graph",
    "graph_from_document",
    "rows_from_document",
]

CLOSED_PROJECT_STAGES = frozenset({"lost"})


@dataclass(frozen=True)
class SegmentRow:
    id: Hashable
    name: str
    stage: str
    importance: str = "general"
    parent_id: Hashable | None = None
    order: int = 0


@dataclass(frozen=True)
class LinkRow:
    supplier_id: Hashable
    consumer_id: Hashable


@dataclass(frozen=True)
class FirmRow:
    segment_id: Hashable
    company: str
    role: str
    presence: str
    note: str = ""
    company_id: Hashable | None = None
    uscc: str | None = None
    id: Hashable | None = None


@dataclass(frozen=True)
class ProjectAim:
    """One project aiming at one segment; ``stage`` is the project's pipeline stage."""

    segment_id: Hashable
    project_id: Hashable | None = None
    stage: str = "lead"


def _as_row(row: Any, cls: type) -> Any:
    if isinstance(row, cls):
        return row
    if isinstance(row, Mapping):
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names})
    raise TypeError(f"expected {cls.__name__} or a mapping, got {type(row).__name__}")


def build_chain_graph(
    segments: Iterable[SegmentRow | Mapping],
    links: Iterable[LinkRow | Mapping] = (),
    firms: Iterable[FirmRow | Mapping] = (),
    project_aims: Iterable[ProjectAim | Mapping] = (),
) -> nx.DiGraph:
    """Return the chain graph of the given rows.

    Raises ``ValueError`` for an unknown stage, importance, role or presence, and for
    a link, firm or aim pointing at an unknown segment: those are bugs upstream, and a
    silently wrong gap map is worse than an error.

    >>> G = build_chain_graph(
    ...     [SegmentRow(1, "正极材料", "upstream", "key"), {"id": 2, "name": "动力电池",
    ...      "stage": "midstream", "importance": "core"}],
    ...     [LinkRow(1, 2)],
    ...     [FirmRow(2, "甲电池公司", "leader", "local")],
    ...     [ProjectAim(1, project_id=7, stage="visited"), ProjectAim(1, 8, "lost")])
    >>> list(G.edges)
    [(1, 2)]
    >>> G.nodes[2]["firms"][0]["company"], G.nodes[1]["open_project_count"]
    ('甲电池公司', 1)
    """
    G = nx.DiGraph()
    for segment in map(lambda r: _as_row(r, SegmentRow), segments):
        if segment.stage not in STAGES:
            raise ValueError(f"segment {segment.id!r}: unknown stage {segment.stage!r}")
        if segment.importance not in IMPORTANCES:
            raise ValueError(f"segment {segment.id!r}: unknown importance {segment.importance!r}")
        G.add_node(
            segment.id,
            name=segment.name,
            stage=segment.stage,
            importance=segment.importance,
            parent=segment.parent_id,
            order=segment.order or 0,
            firms=[],
            open_project_count=0,
        )
    for node in G:
        parent = G.nodes[node]["parent"]
        if parent is not None and parent not in G:
            raise ValueError(f"segment {node!r}: unknown parent {parent!r}")
    for link in map(lambda r: _as_row(r, LinkRow), links):
        for end in (link.supplier_id, link.consumer_id):
            if end not in G:
                raise ValueError(
                    f"link {link.supplier_id!r} -> {link.consumer_id!r}: unknown segment {end!r}"
                )
        G.add_edge(link.supplier_id, link.consumer_id)
    for firm in map(lambda r: _as_row(r, FirmRow), firms):
        if firm.segment_id not in G:
            raise ValueError(f"firm {firm.company!r}: unknown segment {firm.segment_id!r}")
        if firm.role not in ROLES or firm.presence not in PRESENCES:
            raise ValueError(f"firm {firm.company!r}: bad role {firm.role!r} or presence {firm.presence!r}")
        G.nodes[firm.segment_id]["firms"].append(
            {
                "id": firm.id,
                "company": firm.company,
                "company_id": firm.company_id,
                "uscc": firm.uscc,
                "role": firm.role,
                "presence": firm.presence,
                "note": firm.note or "",
            }
        )
    seen_projects: set[tuple] = set()
    for aim in map(lambda r: _as_row(r, ProjectAim), project_aims):
        if aim.segment_id not in G:
            raise ValueError(f"project {aim.project_id!r}: unknown segment {aim.segment_id!r}")
        if aim.stage in CLOSED_PROJECT_STAGES:
            continue
        if aim.project_id is not None:
            if (aim.segment_id, aim.project_id) in seen_projects:
                continue
            seen_projects.add((aim.segment_id, aim.project_id))
        G.nodes[aim.segment_id]["open_project_count"] += 1
    return G


def rows_from_document(doc: dict) -> tuple[list[SegmentRow], list[LinkRow], list[FirmRow]]:
    """Turn a chain document into rows, numbering segments 1, 2, … in document order.

    The document is validated first (``ChainDocumentError`` if it is not valid).

    >>> segments, links, firms = rows_from_document({"name": "示例", "segments": [
    ...     {"name": "电芯", "stage": "midstream"},
    ...     {"name": "整车", "stage": "downstream", "importance": "core"}],
    ...     "links": [["电芯", "整车"]]})
    >>> [(s.id, s.name) for s in segments], links
    ([(1, '电芯'), (2, '整车')], [LinkRow(supplier_id=1, consumer_id=2)])
    """
    doc = normalize_chain_document(doc)
    ids = {s["name"]: index for index, s in enumerate(doc["segments"], start=1)}
    segments = [
        SegmentRow(
            id=ids[s["name"]],
            name=s["name"],
            stage=s["stage"],
            importance=s["importance"],
            parent_id=ids[s["parent"]] if s["parent"] else None,
            order=s["order"],
        )
        for s in doc["segments"]
    ]
    links = [LinkRow(ids[a], ids[b]) for a, b in doc["links"]]
    firms = [
        FirmRow(
            segment_id=ids[f["segment"]],
            company=f["company"],
            role=f["role"],
            presence=f["presence"],
            note=f["note"],
            uscc=f["uscc"],
        )
        for f in doc["firms"]
    ]
    return segments, links, firms


def graph_from_document(doc: dict) -> nx.DiGraph:
    """Return the chain graph of a chain document (segment ids 1, 2, … as in
    :func:`rows_from_document`).

    >>> from chains.catalog import load_template
    >>> G = graph_from_document(load_template("photovoltaic"))
    >>> import networkx as nx; nx.is_directed_acyclic_graph(G)
    True
    """
    return build_chain_graph(*rows_from_document(doc))


def document_from_graph(G: nx.DiGraph, name: str, description: str = "") -> dict:
    """Export a chain graph as a chain document (segments by ``order`` then name).

    >>> G = build_chain_graph([SegmentRow(1, "电芯", "midstream", order=2),
    ...     SegmentRow(2, "电池包", "midstream", parent_id=1, order=1)], [LinkRow(2, 1)],
    ...     [FirmRow(1, "甲公司", "supporting", "target", note="已考察")])
    >>> doc = document_from_graph(G, "示例")
    >>> [s["name"] for s in doc["segments"]], doc["segments"][0]["parent"], doc["links"]
    (['电池包', '电芯'], '电芯', [['电池包', '电芯']])
    >>> doc["firms"]
    [{'segment': '电芯', 'company': '甲公司', 'uscc': None, 'role': 'supporting', 'presence': 'target', 'note': '已考察'}]
    """
    nodes = sorted(G.nodes, key=lambda n: (G.nodes[n]["order"], G.nodes[n]["name"]))

    def name_of(node: Hashable) -> str:
        return G.nodes[node]["name"]

    segments = [
        {
            "name": name_of(n),
            "stage": G.nodes[n]["stage"],
            "importance": G.nodes[n]["importance"],
            "parent": name_of(G.nodes[n]["parent"]) if G.nodes[n]["parent"] is not None else None,
            "order": G.nodes[n]["order"],
        }
        for n in nodes
    ]
    links = sorted([name_of(a), name_of(b)] for a, b in G.edges)
    firms = [
        {
            "segment": name_of(n),
            "company": f["company"],
            "uscc": f.get("uscc"),
            "role": f["role"],
            "presence": f["presence"],
            "note": f.get("note", ""),
        }
        for n in nodes
        for f in G.nodes[n]["firms"]
    ]
    return {
        "format": "chaincrm-chain/1",
        "name": name,
        "description": description,
        "segments": segments,
        "links": links,
        "firms": firms,
    }
