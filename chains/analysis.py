"""Chain gap analysis: pure functions over a chain graph.

The graph is the ``networkx.DiGraph`` made by :func:`chains.build.build_chain_graph`:
one node per segment with attributes ``name``, ``stage``, ``importance``, ``parent``,
``order``, ``firms`` (dicts with ``company``, ``role``, ``presence``) and
``open_project_count``; one edge per supply link, supplier → consumer. No Flask, no
database: every function takes the graph first, as networkx does.

The rules are those of docs/design.md, "Chain gap analysis".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import networkx as nx

from chains.vocabulary import IMPORTANCE_WEIGHTS, STAGE_RANK, STATUSES

__all__ = [
    "CycleError",
    "local_firms",
    "segment_status",
    "segment_statuses",
    "completeness",
    "local_supply_rate",
    "leader_supply_rates",
    "critical_gaps",
    "would_create_cycle",
    "cycle_path",
    "check_new_link",
    "extension_suggestions",
    "chain_summary",
]


class CycleError(ValueError):
    """A supply link refused because it would close a cycle; ``path`` is the cycle."""

    def __init__(self, message: str, path: list):
        super().__init__(message)
        self.path = path


def _example() -> nx.DiGraph:
    """The small chain used by the examples: 正极 → 电芯 → 整车, 隔膜 → 电芯."""
    G = nx.DiGraph()
    segments = (  # id, name, stage, importance, order, firms (company, role, presence)
        (1, "正极", "upstream", "key", 1, [("甲", "supporting", "local")]),
        (2, "隔膜", "upstream", "general", 2, []),
        (3, "电芯", "midstream", "core", 1, [("乙", "leader", "local"), ("丙", "supporting", "local")]),
        (4, "整车", "downstream", "core", 1, [("丁", "leader", "target")]),
    )
    for node, name, stage, importance, order, firms in segments:
        G.add_node(
            node,
            name=name,
            stage=stage,
            importance=importance,
            parent=None,
            order=order,
            firms=[{"company": c, "role": r, "presence": p} for c, r, p in firms],
            open_project_count=0,
        )
    G.add_edges_from([(1, 3), (2, 3), (3, 4)])
    return G


def _weight(G: nx.DiGraph, node: Hashable) -> int:
    return IMPORTANCE_WEIGHTS[G.nodes[node].get("importance", "general")]


def local_firms(G: nx.DiGraph, node: Hashable) -> list[dict]:
    """Return the chain firms of a segment whose presence is ``local``.

    Examples
    --------
    >>> G = _example()
    >>> [f["company"] for f in local_firms(G, 3)]
    ['乙', '丙']
    >>> local_firms(G, 4)
    []
    """
    return [f for f in G.nodes[node].get("firms", ()) if f.get("presence") == "local"]


def segment_status(G: nx.DiGraph, node: Hashable) -> str:
    """Return the status of one segment: ``gap``, ``targeted``, ``weak`` or ``strong``.

    - ``gap``: no local firm and nothing targeted;
    - ``targeted``: no local firm, but a chain firm with presence ``target`` or an open
      project aims at it (``open_project_count`` > 0);
    - ``weak``: local firms, but fewer than 2, or a ``core`` segment without a local
      ``leader``;
    - ``strong``: otherwise.

    Parameters
    ----------
    G : DiGraph
        The chain graph.
    node : node
        A segment of ``G``.

    Returns
    -------
    str
        One of :data:`chains.vocabulary.STATUSES`.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("电芯", importance="core", open_project_count=0, firms=[
    ...     {"company": "甲", "role": "supporting", "presence": "local"},
    ...     {"company": "乙", "role": "supporting", "presence": "local"}])
    >>> segment_status(G, "电芯")          # core without a local leader
    'weak'
    >>> G.nodes["电芯"]["firms"].append({"company": "丙", "role": "leader", "presence": "local"})
    >>> segment_status(G, "电芯")
    'strong'
    >>> G.add_node("隔膜", importance="general", open_project_count=0, firms=[
    ...     {"company": "丁", "role": "supporting", "presence": "external"}])
    >>> segment_status(G, "隔膜")          # an external firm does not count
    'gap'
    >>> G.nodes["隔膜"]["open_project_count"] = 1
    >>> segment_status(G, "隔膜")
    'targeted'
    """
    data = G.nodes[node]
    local = local_firms(G, node)
    if not local:
        targeted = data.get("open_project_count", 0) > 0 or any(
            f.get("presence") == "target" for f in data.get("firms", ())
        )
        return "targeted" if targeted else "gap"
    if len(local) < 2:
        return "weak"
    if data.get("importance") == "core" and not any(f.get("role") == "leader" for f in local):
        return "weak"
    return "strong"


def segment_statuses(G: nx.DiGraph) -> dict[Hashable, str]:
    """Return ``{segment: status}`` for every segment (see :func:`segment_status`).

    Examples
    --------
    >>> segment_statuses(_example())
    {1: 'weak', 2: 'gap', 3: 'strong', 4: 'targeted'}
    """
    return {node: segment_status(G, node) for node in G}


def completeness(G: nx.DiGraph) -> float:
    """Return the weighted share of segments that have at least one local firm.

    Weights are core 3, key 2, general 1; the result is in 0..1, and 0.0 for a chain
    without segments.

    Parameters
    ----------
    G : DiGraph
        The chain graph.

    Returns
    -------
    float
        Covered weight ÷ total weight.

    Examples
    --------
    >>> G = _example()   # 正极 key (local) 2 + 电芯 core (local) 3 of 2 + 1 + 3 + 3
    >>> completeness(G)
    0.5555555555555556
    >>> completeness(nx.DiGraph())
    0.0
    """
    total = sum(_weight(G, n) for n in G)
    if total == 0:
        return 0.0
    covered = sum(_weight(G, n) for n in G if local_firms(G, n))
    return covered / total


def local_supply_rate(G: nx.DiGraph, node: Hashable) -> float:
    """Return the local supply rate (本地配套率) of a segment's leader.

    It is the share of the segment's ancestors — every upstream segment, transitively —
    that have at least one local firm; 1.0 when the segment has no ancestor.

    Parameters
    ----------
    G : DiGraph
        The chain graph.
    node : node
        The segment of the leader firm.

    Returns
    -------
    float
        In 0..1.

    Examples
    --------
    >>> G = nx.DiGraph([("锂矿", "正极"), ("正极", "电芯"), ("隔膜", "电芯")])
    >>> nx.set_node_attributes(G, {n: [] for n in G}, "firms")
    >>> G.nodes["锂矿"]["firms"] = [{"company": "甲", "role": "supporting", "presence": "local"}]
    >>> local_supply_rate(G, "电芯")   # ancestors 锂矿 (local), 正极, 隔膜
    0.3333333333333333
    >>> local_supply_rate(G, "锂矿")   # no ancestor
    1.0
    """
    ancestors = nx.ancestors(G, node)
    if not ancestors:
        return 1.0
    return sum(1 for a in ancestors if local_firms(G, a)) / len(ancestors)


def leader_supply_rates(G: nx.DiGraph) -> list[dict]:
    """Return the local supply rate of every leader firm on the chain.

    One dict per firm with role ``leader``: ``segment``, ``company``, ``presence`` and
    ``rate``, sorted by rate (lowest first, the leaders that most need local suppliers),
    then company name.

    Examples
    --------
    >>> for row in leader_supply_rates(_example()):
    ...     print(row["company"], row["presence"], round(row["rate"], 2))
    乙 local 0.5
    丁 target 0.67
    """
    rows = []
    rate_cache: dict[Hashable, float] = {}
    for node, data in G.nodes(data=True):
        for firm in data.get("firms", ()):
            if firm.get("role") != "leader":
                continue
            if node not in rate_cache:
                rate_cache[node] = local_supply_rate(G, node)
            rows.append(
                {
                    "segment": node,
                    "company": firm.get("company", ""),
                    "presence": firm.get("presence"),
                    "rate": rate_cache[node],
                }
            )
    rows.sort(key=lambda r: (r["rate"], r["company"]))
    return rows


def critical_gaps(
    G: nx.DiGraph, statuses: Mapping[Hashable, str] | None = None
) -> list[tuple[Hashable, int]]:
    """Return the gap and targeted segments ranked by how much of the chain they hold up.

    Score = weight × (1 + number of descendant segments); ranked by score, highest
    first, ties by segment name (code point order), then by node key.

    Parameters
    ----------
    G : DiGraph
        The chain graph.
    statuses : mapping, optional
        Precomputed :func:`segment_statuses`, to avoid computing them twice.

    Returns
    -------
    list of (node, int)
        ``(segment, score)`` pairs, most critical first.

    Examples
    --------
    >>> G = _example()
    >>> critical_gaps(G)     # 整车 core: 3 × (1 + 0); 隔膜 general: 1 × (1 + 2)
    [(4, 3), (2, 3)]
    >>> [G.nodes[n]["name"] for n, _ in critical_gaps(G)]   # tie: by name, code point order
    ['整车', '隔膜']
    """
    if statuses is None:
        statuses = segment_statuses(G)
    ranked = [
        (node, _weight(G, node) * (1 + len(nx.descendants(G, node))))
        for node in G
        if statuses[node] in ("gap", "targeted")
    ]
    ranked.sort(key=lambda item: (-item[1], G.nodes[item[0]].get("name", ""), str(item[0])))
    return ranked


def cycle_path(G: nx.DiGraph, supplier: Hashable, consumer: Hashable) -> list | None:
    """Return the cycle a new link supplier → consumer would close, or ``None``.

    The cycle is given as a list of segments starting and ending with ``supplier``.

    Examples
    --------
    >>> G = _example()
    >>> cycle_path(G, 4, 1)     # 整车 → 正极 closes 整车 → 正极 → 电芯 → 整车
    [4, 1, 3, 4]
    >>> cycle_path(G, 2, 4) is None
    True
    >>> cycle_path(G, 3, 3)
    [3, 3]
    """
    if supplier == consumer:
        return [supplier, supplier]
    if supplier not in G or consumer not in G:
        return None
    try:
        back = nx.shortest_path(G, consumer, supplier)
    except nx.NetworkXNoPath:
        return None
    return [supplier] + back


def would_create_cycle(G: nx.DiGraph, supplier: Hashable, consumer: Hashable) -> bool:
    """Return whether adding the link supplier → consumer would close a cycle.

    Examples
    --------
    >>> G = _example()
    >>> would_create_cycle(G, 4, 1), would_create_cycle(G, 1, 4)
    (True, False)
    """
    return cycle_path(G, supplier, consumer) is not None


def check_new_link(G: nx.DiGraph, supplier: Hashable, consumer: Hashable) -> None:
    """Raise :class:`CycleError` when the link supplier → consumer would close a cycle.

    The message names the cycle by segment names, so staff can see which existing link
    to reconsider.

    Parameters
    ----------
    G : DiGraph
        The chain graph, without the new link.
    supplier, consumer : node
        Ends of the proposed link.

    Raises
    ------
    CycleError
        With ``path``, the cycle as a list of segments.

    Examples
    --------
    >>> check_new_link(_example(), 4, 1)
    Traceback (most recent call last):
    ...
    chains.analysis.CycleError: 不能添加供应关系 整车 → 正极：将形成循环 整车 → 正极 → 电芯 → 整车
    >>> check_new_link(_example(), 1, 4) is None
    True
    """
    path = cycle_path(G, supplier, consumer)
    if path is None:
        return

    def name(node: Hashable) -> str:
        return str(G.nodes[node].get("name", node)) if node in G else str(node)

    message = (
        f"不能添加供应关系 {name(supplier)} → {name(consumer)}："
        f"将形成循环 {' → '.join(name(n) for n in path)}"
    )
    raise CycleError(message, path)


def extension_suggestions(G: nx.DiGraph, template_doc: Mapping) -> list[dict]:
    """Return the template segments the chain lacks (延链建议), matched by name.

    Each suggestion is a dict with ``name``, ``stage``, ``importance``, ``parent`` (the
    template's parent name or ``None``), ``suppliers`` (existing segments the template
    says would supply it) and ``consumers`` (existing segments it would supply), in
    template order: by stage, then ``order``.

    Parameters
    ----------
    G : DiGraph
        The county's chain graph.
    template_doc : mapping
        A chain document (see :mod:`chains.documents`), e.g. ``chains.catalog.load_template(key)``.

    Returns
    -------
    list of dict
        One suggestion per missing template segment.

    Examples
    --------
    >>> template = {"name": "动力电池", "segments": [
    ...     {"name": "正极", "stage": "upstream", "order": 1},
    ...     {"name": "负极", "stage": "upstream", "order": 2},
    ...     {"name": "电芯", "stage": "midstream", "order": 1},
    ...     {"name": "回收", "stage": "downstream", "order": 9}],
    ...     "links": [["正极", "电芯"], ["负极", "电芯"], ["电芯", "回收"], ["回收", "正极"]]}
    >>> for s in extension_suggestions(_example(), template):
    ...     print(s["name"], s["stage"], s["suppliers"], s["consumers"])
    负极 upstream [] [3]
    回收 downstream [3] [1]
    """
    by_name: dict[str, Hashable] = {}
    for node, data in G.nodes(data=True):
        by_name.setdefault(str(data.get("name", "")).strip(), node)
    suppliers: dict[str, list[str]] = {}
    consumers: dict[str, list[str]] = {}
    for supplier, consumer in template_doc.get("links", ()):
        supplier, consumer = supplier.strip(), consumer.strip()
        suppliers.setdefault(consumer, []).append(supplier)
        consumers.setdefault(supplier, []).append(consumer)

    def existing(names: Iterable[str]) -> list[Hashable]:
        return [by_name[n] for n in names if n in by_name]

    suggestions = []
    for index, segment in enumerate(template_doc.get("segments", ())):
        name = segment["name"].strip()
        if name in by_name:
            continue
        suggestions.append(
            {
                "name": name,
                "stage": segment["stage"],
                "importance": segment.get("importance", "general"),
                "parent": segment.get("parent") or None,
                "suppliers": existing(suppliers.get(name, ())),
                "consumers": existing(consumers.get(name, ())),
                "_key": (STAGE_RANK.get(segment["stage"], 9), segment.get("order", index), index),
            }
        )
    suggestions.sort(key=lambda s: s["_key"])
    for s in suggestions:
        del s["_key"]
    return suggestions


def chain_summary(G: nx.DiGraph, statuses: Mapping[Hashable, str] | None = None) -> dict:
    """Return the headline figures of a chain: counts by status and completeness.

    Examples
    --------
    >>> chain_summary(_example())   # doctest: +NORMALIZE_WHITESPACE
    {'segments': 4, 'gap': 1, 'targeted': 1, 'weak': 1, 'strong': 1,
     'completeness': 0.5555555555555556, 'local_firms': 3}
    """
    if statuses is None:
        statuses = segment_statuses(G)
    summary: dict = {"segments": G.number_of_nodes()}
    for status in STATUSES:
        summary[status] = sum(1 for s in statuses.values() if s == status)
    summary["completeness"] = completeness(G)
    summary["local_firms"] = sum(len(local_firms(G, n)) for n in G)
    return summary
