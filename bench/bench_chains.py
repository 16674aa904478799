"""Benchmark of the chain graph layers on a large synthetic chain.

A county chain of 200 segments and 2,000 firms (far above any real county chain):

- analysis (statuses, completeness, critical gaps, leader supply rates) — goal < 50 ms;
- payload and page generation (layout, vis-network payload, escaped JSON, standalone
  HTML page) — goal < 300 ms; the printable SVG is timed beside it.

Prints figures only. ``--pages DIR`` also writes the pages a headless browser can time
(see :func:`write_benchmark_pages`): the fixed layout and pyvis's default (physics on),
with the vis-network files pyvis ships copied next to them, so they load offline.

Run: ``.venv/bin/python bench/bench_chains.py [--pages DIR] [--repeat N]``
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import time
from pathlib import Path

import networkx as nx

from chains.analysis import chain_summary, critical_gaps, leader_supply_rates, segment_statuses
from chains.build import FirmRow, LinkRow, ProjectAim, SegmentRow, build_chain_graph
from chains.layout import chain_layout
from chains.render import (
    fixed_layout_html,
    graph_payload,
    payload_json,
    pyvis_default_html,
    render_svg,
    standalone_html,
    vis_network_asset_paths,
)

SEGMENTS = 200
FIRMS = 2_000
LINKS_PER_SEGMENT = 2
STAGES = (("upstream", 60), ("midstream", 80), ("downstream", 60))


def synthetic_rows(seed: int = 20240601):
    """Rows of a synthetic chain: links only run forward (so the chain is a DAG)."""
    rnd = random.Random(seed)
    segments = []
    for stage, count in STAGES:
        for i in range(count):
            sid = len(segments) + 1
            segments.append(
                SegmentRow(
                    sid,
                    f"{stage[:1].upper()}环节{sid:03d}",
                    stage,
                    rnd.choice(("core", "key", "key", "general", "general", "general")),
                    order=i,
                )
            )
    links = set()
    for consumer in range(11, SEGMENTS + 1):
        for _ in range(LINKS_PER_SEGMENT):
            links.add((rnd.randint(max(1, consumer - 60), consumer - 1), consumer))
    firms = [
        FirmRow(
            rnd.randint(1, SEGMENTS),
            f"合成企业{i:04d}有限公司",
            rnd.choice(("leader", "supporting", "supporting", "supporting", "service")),
            rnd.choice(("local", "local", "target", "external")),
        )
        for i in range(FIRMS)
    ]
    aims = [
        ProjectAim(rnd.randint(1, SEGMENTS), pid, rnd.choice(("lead", "visited", "signed", "lost")))
        for pid in range(150)
    ]
    return segments, [LinkRow(a, b) for a, b in sorted(links)], firms, aims


def synthetic_graph(seed: int = 20240601) -> nx.DiGraph:
    return build_chain_graph(*synthetic_rows(seed))


def analyse(G: nx.DiGraph) -> dict:
    statuses = segment_statuses(G)
    return {
        "summary": chain_summary(G, statuses),
        "critical_gaps": critical_gaps(G, statuses),
        "leader_rates": leader_supply_rates(G),
        "statuses": statuses,
    }


def page(G: nx.DiGraph, statuses) -> str:
    payload = graph_payload(G, statuses, layout=chain_layout(G))
    return standalone_html(payload, js_url="/vendor/vis-network.min.js", css_url="/vendor/vis-network.css")


def write_benchmark_pages(out_dir: str | Path, G: nx.DiGraph | None = None) -> dict[str, Path]:
    """Write the pages for a headless-browser benchmark and return their paths.

    ``fixed.html`` (server layout, physics off) and ``pyvis_default.html`` (pyvis's
    default options, physics on) draw the same synthetic chain; both set
    ``window.chainGraph.firstDrawMs`` and ``window.chainGraph.stableMs`` in the page.
    The vis-network files are copied beside them, so ``file://`` URLs work offline.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    G = G if G is not None else synthetic_graph()
    statuses = segment_statuses(G)
    paths = {
        "fixed": out / "fixed.html",
        "pyvis_default": out / "pyvis_default.html",
        "svg": out / "chain.svg",
    }
    paths["fixed"].write_text(fixed_layout_html(G, statuses, title="基准：固定布局"), "utf-8")
    paths["pyvis_default"].write_text(pyvis_default_html(G, statuses), "utf-8")
    paths["svg"].write_text(render_svg(G, statuses, title="基准：合成产业链"), "utf-8")
    for name, source in vis_network_asset_paths().items():
        shutil.copyfile(source, out / name)
    return paths


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float], goal_ms: float | None = None) -> None:
    goal = f"  (goal < {goal_ms:.0f} ms)" if goal_ms else ""
    print(
        f"{label:<34} median {statistics.median(times):8.1f} ms   min {min(times):8.1f} ms"
        f"   max {max(times):8.1f} ms{goal}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pages", metavar="DIR", help="also write the pages for a browser benchmark")
    args = parser.parse_args()

    rows = synthetic_rows()
    G = build_chain_graph(*rows)
    statuses = segment_statuses(G)
    print(
        f"synthetic chain: {G.number_of_nodes()} segments, {G.number_of_edges()} links, "
        f"{sum(len(d['firms']) for _, d in G.nodes(data=True))} firms, repeat {args.repeat}"
    )
    report("build graph from rows", timed(lambda: build_chain_graph(*rows), args.repeat))
    report("analysis", timed(lambda: analyse(G), args.repeat), 50)
    report("layout", timed(lambda: chain_layout(G), args.repeat))
    report("payload (layout + nodes/edges)", timed(lambda: graph_payload(G, statuses), args.repeat))
    report("payload + page (escaped JSON)", timed(lambda: page(G, statuses), args.repeat), 300)
    report("printable SVG", timed(lambda: render_svg(G, statuses), args.repeat))
    html = page(G, statuses)
    print(
        f"page size {len(html.encode()) / 1024:.0f} KiB, "
        f"payload JSON {len(payload_json(graph_payload(G, statuses)).encode()) / 1024:.0f} KiB"
    )
    if args.pages:
        for name, path in write_benchmark_pages(args.pages, G).items():
            print(f"wrote {name}: {path}")


if __name__ == "__main__":
    main()
