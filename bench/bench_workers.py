"""Several server processes on one PostgreSQL database: the stress mix with 1 and with N.

``chaincrm gen-data`` fills one fresh database (PostgreSQL by default); then, for each
``--workers`` value in turn, ``chaincrm serve --workers W`` is started on it, the county
users of bench/province.py log in, and the same 50-client stress mix runs for
``--stress-seconds`` (page reads, API reads, activity POSTs and project PATCHes). Rounds
alternate the worker counts, so a busy machine weighs on each alike. Prints requests per
second, errors and the server log's problems per run, and the ratio to one process.

Goal (issue 19): with 2 processes on 2 cores, ≥ 1.6× the requests per second of one, 0 errors.

Run: ``.venv/bin/python bench/bench_workers.py [--workers 1,2] [--rounds 2]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

import province as bench  # noqa: E402
import province_env as env  # noqa: E402

PASSWORD = "bench-password-1"


def one_run(db_url: str, workers: int, args, workdir: str) -> dict:
    """Start ``serve --workers``, log in, stress; the figures of that run."""
    log = os.path.join(workdir, f"server-{workers}.log")
    server = env.Server(db_url, log, workers=workers).start()
    try:
        layout = bench.gen_layout(args.counties, args.sample_counties)
        options = SimpleNamespace(
            password=PASSWORD, stress_clients=args.stress_clients, stress_seconds=args.stress_seconds
        )
        _province, counties, staff = bench.sign_in(options, server, layout)
        result = bench.stress(options, server, counties, staff)
        result["alive"] = server.alive()
        result["requests"] = sum(result["statuses"].values())
        result["rps"] = result["requests"] / result["wall"]
        return result
    finally:
        server.stop()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", default="postgresql", choices=("sqlite", "postgresql"))
    p.add_argument("--counties", type=int, default=100)
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--sample-counties", type=int, default=5)
    p.add_argument("--workers", default="1,2", help="comma list of process counts")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--stress-clients", type=int, default=50)
    p.add_argument("--stress-seconds", type=float, default=60)
    args = p.parse_args(argv)
    counts = [int(w) for w in args.workers.split(",")]

    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.2f}")
    workdir = tempfile.mkdtemp(prefix="chaincrm-bench-workers-")
    db_url = env.fresh_database(args.backend, workdir)
    failed = False
    try:
        options = SimpleNamespace(layout="gen", counties=args.counties, password=PASSWORD, skip_gen=None)
        seconds = bench.fill(options, db_url, args.scale, os.path.join(workdir, "gen.log"))
        print(f"gen-data {args.counties} counties × {args.scale}: {seconds:.0f} s", flush=True)
        per_count: dict[int, list[float]] = {w: [] for w in counts}
        for round_no in range(1, args.rounds + 1):
            for workers in counts:
                r = one_run(db_url, workers, args, workdir)
                per_count[workers].append(r["rps"])
                problems = {k: r["log"][k] for k in ("tracebacks", "locked", "exceptions") if r["log"][k]}
                errors = sum(n for status, n in r["statuses"].items() if not 200 <= status < 300)
                failed |= bool(errors or problems or not r["alive"])
                print(
                    f"round {round_no}, {workers} process(es): {r['requests']} requests, "
                    f"{r['rps']:.1f}/s, {errors} errors, log problems {problems or 'none'}, "
                    f"load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
                for failure in r["failures"][:5]:
                    print(f"    {failure}")
        base = statistics.median(per_count[counts[0]])
        for workers in counts:
            median = statistics.median(per_count[workers])
            print(
                f"{workers} process(es): median {median:.1f} requests/s, {median / base:.2f}× of {counts[0]}"
            )
    finally:
        env.drop_database(db_url)
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
