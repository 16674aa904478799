"""Issue 19's chain and cold-cache goals, before and after, side by side in one run.

The *before* is a commit (``--baseline``, default ``int``) unpacked with ``git archive``
into a temporary folder; the *after* is this checkout. Both run with this virtual
environment, one after the other, under the same load:

- bench/bench_chain_browser.py for each (the gap graph of 200 segments and 2,000 firms:
  finding vis-network in a fresh process, page generation, drawn in headless Chromium);
- bench/bench_cold_start.py with both (the first province dashboard and chain overview
  after a start), the two servers taking turns.

Prints figures only. Run: ``.venv/bin/python bench/bench_issue19.py [--baseline REF]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def unpack(ref: str, folder: Path) -> Path:
    """``ref``'s tree in ``folder``; returns it."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def graph_figures(code: Path, repeat: int, folder: Path, name: str) -> dict:
    out = folder / f"graph-{name}.json"
    subprocess.run(
        [sys.executable, str(HERE / "bench_chain_browser.py"), "--repeat", str(repeat), "--code", str(code)]
        + ["--json", str(out), "--no-pyvis"],
        check=True,
    )
    return json.loads(out.read_text("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="int", help="the commit measured as 'before'")
    parser.add_argument("--repeat", type=int, default=7, help="graph page visits per checkout")
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2, help="server starts per checkout")
    parser.add_argument("--skip-cold", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        before = unpack(args.baseline, folder / "before")
        results = {}
        for name, code in (("before", before), ("after", ROOT)):
            print(f"\n== gap graph, {name} ({code})")
            results[name] = graph_figures(code, args.repeat, folder, name)
        print(f"\nload average after the graph runs: {os.getloadavg()}")
        print("\ngap graph of 200 segments + 2,000 firms    before      after    goal")
        rows = [
            ("finding vis-network, fresh process (ms)", "asset_lookup_ms", None),
            ("page generation, first visit (ms)", "generation_first_ms", 150),
            ("page generation, later visits, median (ms)", "generation_rest_ms", 150),
            ("drawn after navigation, median (ms)", "drawn_ms", 1000),
        ]
        for label, key, goal in rows:
            cells = []
            for name in ("before", "after"):
                value = results[name][key]
                cells.append(statistics.median(value) if isinstance(value, list) else value)
            print(f"{label:44}{cells[0]:8.0f}   {cells[1]:8.0f}   {goal or '':>5}")
        print(
            f"{'drawn, max of the visits (ms)':44}{max(results['before']['drawn_ms']):8.0f}"
            f"   {max(results['after']['drawn_ms']):8.0f}"
        )
        if not args.skip_cold:
            print("\n== cold caches after a start (SQLite)")
            subprocess.run(
                [sys.executable, str(HERE / "bench_cold_start.py"), "--counties", str(args.counties)]
                + ["--rounds", str(args.rounds), "--code", str(before), "--code", str(ROOT)],
                check=True,
            )
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
