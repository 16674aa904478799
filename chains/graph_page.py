"""What the gap graph page of a chain shows, computed once per version of the chain.

Building the page means loading the chain (segments, links, firms, aimed projects),
analysing it, laying out and describing some 2,000 nodes and writing them as JSON: about
200 ms for a chain of 200 segments and 2,000 firms (bench/bench_chain_browser.py), on
every visit and again for every segment panel opened. None of it changes until the chain
does, and every write that changes it leaves an audit row of the chain's county, except a
shared company's new name: so the page's data is kept under the county's version and its
company stamp (the same rule as the overview rows, :mod:`chains.overview`), and the
language the tooltips were written in (``crm.core.county_cache.per_record``).

Only plain data is kept (strings, numbers, dicts): never ORM objects, which belong to
one request's session.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale

from chains import services
from chains.models import Chain
from chains.overview import company_stamps
from chains.render import Translate, graph_payload, payload_json
from chains.vocabulary import STATUSES
from crm.core import county_cache

__all__ = ["GRAPH_PAGES", "GraphPage", "graph_page"]

GRAPH_PAGES = "chain_graph_pages"  # the kind of figures in the county cache
KEPT_PAGES = 32  # a 2,000-firm chain's page data is about 1 MB


@dataclass(frozen=True)
class GraphPage:
    """The page's data: the vis-network payload as JSON (ready to embed), the legend,
    the summary, each segment's status, and the segments (``(id, {"name", "stage"})``)
    in drawing order and by status."""

    payload_json: str
    legend: list[dict]
    summary: dict
    statuses: dict[int, str]
    segments: list[tuple[int, dict]]
    by_status: dict[str, list[tuple[int, dict]]]


def _compute(chain: Chain, translate: Translate) -> GraphPage:
    analysis = services.analyse(chain, with_suggestions=False, with_rates=False)
    G = analysis.graph
    payload = graph_payload(G, analysis.statuses, translate=translate)
    in_order = [
        (node, {"name": G.nodes[node]["name"], "stage": G.nodes[node]["stage"]})
        for node in sorted(G, key=lambda n: (G.nodes[n]["order"], G.nodes[n]["name"]))
    ]
    by_status: dict[str, list[tuple[int, dict]]] = {status: [] for status in STATUSES}
    for node, data in in_order:
        by_status[analysis.statuses[node]].append((node, data))
    return GraphPage(
        payload_json=payload_json(payload),
        legend=payload["legend"],
        summary=dict(analysis.summary),
        statuses=dict(analysis.statuses),
        segments=in_order,
        by_status=by_status,
    )


def graph_page(chain: Chain, translate: Translate) -> GraphPage:
    """The graph page's data of ``chain`` (readable in the current scope), kept or built;
    ``translate`` (the current language's gettext) writes the tooltips."""
    extra = (str(get_locale()), company_stamps([chain.county_id])[chain.county_id])
    return county_cache.per_record(
        GRAPH_PAGES,
        chain.id,
        chain.county_id,
        lambda: _compute(chain, translate),
        extra=extra,
        max_entries=KEPT_PAGES,
    )
