"""Cold caches after a start: the first province dashboard and the first chain overview.

``chaincrm gen-data --counties N`` fills a fresh SQLite database once; then, for each
checkout given (``--code DIR``, repeatable; default this one), ``chaincrm serve`` of that
checkout is started (``PYTHONPATH=DIR``), the province coordinator logs in through the
form, and the first and second ``/dashboard`` and ``/chains/`` are timed from outside
(HTTP, one request at a time). The start itself is timed until ``/login`` answers. The
checkouts take turns for ``--rounds`` rounds, so a busy machine weighs on both alike.

Goals (issue 19): the first province dashboard after a start ≤ 150 ms, the first
uncached chain overview ≤ 100 ms.

Prints figures only (``--json FILE`` also writes them). Run:
``.venv/bin/python bench/bench_cold_start.py [--counties 100] [--code DIR ...]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

import province_env as env  # noqa: E402
import province_http as web  # noqa: E402

PASSWORD = "bench-password-1"
COORDINATOR = "u910000_coordinator"
# Entries made within a minute of a county's newest audit row expire early (county_cache's
# ``settle``): wait that long after gen-data, as a server started later would.
SETTLE_SECONDS = 65
PAGES = ("/dashboard", "/chains/")


def one_start(db_url: str, code: Path, log_path: str) -> dict:
    """Start ``code``'s server, time the first and second visit of each page, stop it."""
    os.environ["PYTHONPATH"] = str(code)
    server = env.Server(db_url, log_path)
    started = time.perf_counter()
    server.start(timeout=300)
    figures: dict = {"start_s": time.perf_counter() - started}
    try:
        account = web.login(server.port, COORDINATOR, PASSWORD)
        client = web.Client(server.port)
        for path in PAGES:
            for visit in ("first", "second"):
                sample, _response, _body = client.request("GET", path, account.headers(False))
                if sample.status != 200:
                    raise SystemExit(f"GET {path} answered {sample.status}; see {log_path}")
                figures[f"{path} {visit}"] = sample.ms
        client.close()
    finally:
        server.stop()
        os.environ.pop("PYTHONPATH", None)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--code", action="append", help="a checkout to measure (repeat to compare)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    codes = [Path(c).resolve() for c in (args.code or [str(HERE.parent)])]
    with tempfile.TemporaryDirectory() as tmp:
        db_url = env.fresh_database("sqlite", tmp)
        log = os.path.join(tmp, "bench.log")
        seconds = env.run_command(
            [
                "gen-data",
                "--counties",
                str(args.counties),
                "--scale",
                "1",
                "--password",
                PASSWORD,
                "--seed",
                "1",
            ],
            db_url,
            log,
        )
        print(f"gen-data --counties {args.counties}: {seconds:.0f} s")
        time.sleep(SETTLE_SECONDS)
        runs: dict[str, list[dict]] = {str(code): [] for code in codes}
        for round_no in range(args.rounds):
            for code in codes:
                figures = one_start(db_url, code, log)
                runs[str(code)].append(figures)
                print(
                    f"round {round_no + 1} {code}: start {figures['start_s']:.1f} s; "
                    + "; ".join(f"{k} {v:.0f} ms" for k, v in figures.items() if k != "start_s")
                )
    print()
    keys = ["start_s", *(f"{path} {visit}" for path in PAGES for visit in ("first", "second"))]
    print("median of the rounds (ms; start in s)")
    print(f"{'':24}" + "".join(f"{k:>22}" for k in keys))
    for code, figures in runs.items():
        medians = [statistics.median(f[k] for f in figures) for k in keys]
        print(f"{Path(code).name[:24]:24}" + "".join(f"{m:22.1f}" for m in medians))
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1), "utf-8")


if __name__ == "__main__":
    main()
