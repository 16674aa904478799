"""Province-scale benchmark: the real server (waitress) on SQLite and PostgreSQL.

    .venv/bin/python bench/province.py                      # 100 counties, 1× and 10×, both databases
    .venv/bin/python bench/province.py --quick              # smoke test: 2 counties, 1×, 20 requests, 5 s stress
    .venv/bin/python bench/province.py --backends sqlite --counties 10 --scales 1 --results bench/RESULTS-run.md

For every database × scale it fills a fresh database with ``chaincrm gen-data`` (timed),
starts ``chaincrm serve`` on 127.0.0.1 with ``CHAINCRM_SQL_COUNT_HEADER=1``, logs in as
real users (the form with its CSRF token; API tokens from ``chaincrm users token``) and
drives the main pages and API lists with ``--concurrency`` keep-alive clients: as county
managers (requests spread over several counties, random record ids of that county) and as
the province coordinator (every county). Per endpoint it prints n, errors (non-2xx),
median and p95 latency, throughput, SQL statements per request (from the header) and the
server's peak RSS (VmHWM, reset before each endpoint). Then the province-wide XLSX
export, and a stress phase (``--stress-clients`` clients for ``--stress-seconds`` mixing
page reads, API reads and writes) with the server log searched for "database is locked"
and tracebacks. At the end: the machine, and per database a 1×-vs-10× comparison marking
SQL statement counts that differ and missed targets (median ≤ 50 ms, p95 ≤ 150 ms; export
of 50,000 projects ≤ 10 s and ≤ 300 MB).

Exit status 1 when any request failed (non-2xx or no answer) or the server logged a
traceback or "database is locked"; missed latency targets only show in the tables.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import province_env as env
import province_http as web
from province_report import EndpointStats, Table, comparison_table, endpoint_table, format_ms_list

EXPORT_TARGET_S, EXPORT_TARGET_MB, EXPORT_TARGET_ROWS = 10, 300, 50_000

# (name, path, api) — driven as county managers, then as the province coordinator.
COUNTY_ENDPOINTS = [
    ("dashboard", "/dashboard", False),
    ("projects", "/projects", False),
    ("projects sorted p3", "/projects?sort=amount&dir=desc&min_amount=1&page=3", False),
    ("project board", "/projects/board", False),
    ("project detail", "/projects/{project}", False),
    ("companies", "/companies", False),
    ("company detail", "/companies/{company}", False),
    ("activities", "/activities", False),
    ("follow-ups", "/followups", False),
    ("funds", "/funds", False),
    ("chains", "/chains/", False),
    ("chain gap graph", "/chains/{chain}/graph", False),
    ("commitments", "/commitments", False),
    ("referrals", "/rewards/referrals", False),
    ("API projects", "/api/v1/projects", True),
    ("API projects sorted p3", "/api/v1/projects?sort=amount&dir=desc&min_amount=1&page=3", True),
    ("API project", "/api/v1/projects/{project}", True),
    ("API companies", "/api/v1/companies", True),
    ("API activities", "/api/v1/projects/{project}/activities", True),
    ("API chains", "/api/v1/chains", True),
    ("API commitments", "/api/v1/commitments", True),
    ("API referrals", "/api/v1/referrals", True),
    ("API dashboard", "/api/v1/dashboard", True),
]
PROVINCE_ENDPOINTS = [e for e in COUNTY_ENDPOINTS if "{" not in e[1] and e[0] not in ("follow-ups", "funds")]


# --- who logs in ---------------------------------------------------------------------


@dataclass
class Layout:
    """User names of the data set: the province coordinator and, per sampled county,
    the manager (reads) and a staff member (writes)."""

    province: str
    counties: list[tuple[str, str, str]]  # (region code, manager, staff)


def gen_layout(counties: int, sample: int) -> Layout:
    """``chaincrm gen-data`` names: counties 91CCKK (ten per city CC), users u<code>_<role>."""
    codes = [f"91{i // 10 + 1:02d}{i % 10 + 1:02d}" for i in range(counties)]
    sample = max(1, min(sample, counties))
    picks = sorted({round(k * (counties - 1) / max(1, sample - 1)) for k in range(sample)})
    return Layout(
        "u910000_coordinator", [(codes[i], f"u{codes[i]}_manager", f"u{codes[i]}_staff1") for i in picks]
    )


def demo_layout() -> Layout:
    """``chaincrm demo`` names (development before gen-data existed)."""
    return Layout(
        "province",
        [("610323", "qishan_manager", "qishan_staff"), ("610324", "fufeng_manager", "fufeng_staff")],
    )


# --- one database × scale --------------------------------------------------------------


def fill(args, db_url: str, scale: int, log: str) -> float:
    if args.layout == "demo":
        return env.run_command(["demo", "--no-serve"], db_url, log, {"CHAINCRM_DEMO_PASSWORD": args.password})
    return env.run_command(
        [
            "gen-data",
            "--counties",
            str(args.counties),
            "--scale",
            str(scale),
            "--password",
            args.password,
            "--seed",
            "1",
        ],
        db_url,
        log,
    )


def sign_in(args, server: env.Server, layout: Layout):
    """Log everybody in (form + token); returns the province context, the county contexts
    and the staff accounts."""
    usernames = [layout.province] + [u for _c, m, s in layout.counties for u in (m, s)]
    with ThreadPoolExecutor(3) as pool:
        tokens = dict(zip(usernames, pool.map(lambda u: env.issue_token(server.db_url, u), usernames)))
        logins = dict(zip(usernames, pool.map(lambda u: web.login(server.port, u, args.password), usernames)))
    for name, account in logins.items():
        account.token = tokens[name]
    province = web.Context(logins[layout.province])
    counties, staff = [], []
    for _code, manager, staffer in layout.counties:
        account = logins[manager]
        projects = web.api_json(server.port, account, "/api/v1/projects?per_page=200")["items"]
        ids = {
            "project": [p["id"] for p in projects],
            # A confidential project is edited by its owner and the managers only (403 for
            # the staff member who writes in the stress phase).
            "writable project": [p["id"] for p in projects if not p.get("code_name")],
            "company": _ids(server, account, "/api/v1/companies?per_page=200"),
            "chain": _ids(server, account, "/api/v1/chains?per_page=200"),
        }
        counties.append(web.Context(account, ids))
        staff.append(logins[staffer])
    return province, counties, staff


def _ids(server: env.Server, account: web.Account, path: str) -> list[int]:
    return [item["id"] for item in web.api_json(server.port, account, path)["items"]]


def drive(args, server: env.Server, province, counties) -> list[EndpointStats]:
    stats = []
    plan = [(f"county · {n}", p, api, counties) for n, p, api in COUNTY_ENDPOINTS]
    plan += [(f"province · {n}", p, api, [province]) for n, p, api in PROVINCE_ENDPOINTS]
    for seed, (name, path, api, contexts) in enumerate(plan):
        needed = [k for k in ("project", "company", "chain") if f"{{{k}}}" in path]
        usable = [c for c in contexts if all(c.ids.get(k) for k in needed)]
        if not usable:
            print(f"  {name:<36} skipped: no records to open")
            continue
        server.reset_peak()
        samples, wall, failures = web.run_endpoint(
            server.port,
            web.Endpoint(name, path, api, ""),
            usable,
            args.requests,
            args.concurrency,
            args.endpoint_seconds,
            seed,
        )
        s = EndpointStats.of(name, path, samples, wall, server.peak_mb(), failures)
        stats.append(s)
        print(
            f"  {name:<36} n={s.n:<4} err={s.errors:<3} median {s.median:7.1f} ms  p95 {s.p95:7.1f} ms  "
            f"{s.rps:6.1f} req/s  SQL {s.sql:<6} peak {s.peak_mb:5.0f} MB",
            flush=True,
        )
        for failure in failures:
            print(f"      ! {failure}")
    return stats


def export(args, server: env.Server, province, workdir: str) -> dict:
    target = os.path.join(workdir, "export.xlsx")
    server.reset_peak()
    base = server.rss_mb()
    sample, first_byte = web.download(
        server.port, province.account, "/projects/export.xlsx", target, args.export_timeout
    )
    result = {
        "status": sample.status,
        "seconds": sample.ms / 1000,
        "first_byte": first_byte,
        "bytes": sample.nbytes,
        "peak_mb": server.peak_mb(),
        "base_mb": base,
        "sql": sample.sql,
        "rows": None,
    }
    if sample.status == 200:
        from openpyxl import load_workbook

        book = load_workbook(target, read_only=True)
        result["rows"] = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True)) - 1
        book.close()
    os.remove(target)
    return result


def stress(args, server: env.Server, counties, staff) -> dict:
    pools = [list(c.ids["writable project"]) for c in counties]
    per_county = [len(range(i, args.stress_clients, len(counties))) for i in range(len(counties))]
    clients = []
    for i in range(args.stress_clients):
        k, slot = i % len(counties), i // len(counties)
        pool = pools[k]
        own = pool[slot :: per_county[k]] if len(pool) >= per_county[k] else [pool[slot % len(pool)]]
        clients.append(web.StressClient(counties[k], staff[k], own[:20]))
    offset = server.log_offset()
    server.reset_peak()
    result = web.stress(server.port, clients, args.stress_seconds)
    result["peak_mb"] = server.peak_mb()
    result["log"] = env.log_problems(server.log_since(offset))
    return result


def run_once(args, backend: str, scale: int) -> dict:
    label = f"{backend} {scale}×"
    print(f"\n=== {label}: {args.counties} counties" if args.layout == "gen" else f"\n=== {label}: demo data")
    load = os.getloadavg()[0]
    print(f"  load average (1 min) before: {load:.2f} — other work on the machine skews the figures")
    workdir = tempfile.mkdtemp(prefix=f"chaincrm-bench-{backend}-")
    log = os.path.join(workdir, "server.log")
    db_url = args.skip_gen or env.fresh_database(backend, workdir)
    server = None
    try:
        if args.skip_gen:
            print(f"  using {db_url} as it is")
            gen_seconds = None
            size = env.database_size_mb(db_url)
        else:
            gen_seconds = fill(args, db_url, scale, os.path.join(workdir, "gen.log"))
            size = env.database_size_mb(db_url)
            print(f"  gen-data: {gen_seconds:.1f} s, database {size:.0f} MB", flush=True)
        server = env.Server(db_url, log).start()
        print(f"  server pid {server.pid} on port {server.port}, RSS {server.rss_mb():.0f} MB; log {log}")
        layout = gen_layout(args.counties, args.sample_counties) if args.layout == "gen" else demo_layout()
        province, counties, staff = sign_in(args, server, layout)
        print(
            f"  logged in: {province.account.username} and {', '.join(c.account.username for c in counties)}"
        )
        stats = drive(args, server, province, counties)
        print(f"  export as {province.account.username} …", flush=True)
        exported = export(args, server, province, workdir)
        e = exported
        print(
            f"  export: status {e['status']}, {e['seconds']:.1f} s, {e['bytes'] / 2**20:.1f} MB, {e['rows']} rows,"
            f" server peak {e['peak_mb']:.0f} MB (before {e['base_mb']:.0f} MB)"
        )
        print(f"  stress: {args.stress_clients} clients for {args.stress_seconds:.0f} s …", flush=True)
        stressed = stress(args, server, counties, staff)
        problems = env.log_problems(server.log_since(0))
        alive = server.alive()
        return {
            "label": label,
            "backend": backend,
            "scale": scale,
            "gen": gen_seconds,
            "db_mb": size,
            "load": load,
            "load_after": os.getloadavg()[0],
            "stats": stats,
            "export": exported,
            "stress": stressed,
            "log": problems,
            "alive": alive,
            "log_path": log,
            "concurrency": args.concurrency,
            "stress_clients": args.stress_clients,
            "stress_seconds": args.stress_seconds,
        }
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            if not args.skip_gen:
                env.drop_database(db_url)
            if not _log_worth_keeping(log):
                shutil.rmtree(workdir, ignore_errors=True)
        elif not args.skip_gen:
            print(f"  kept {db_url}")


def _log_tail(log: str, size: int = 3000) -> str:
    """The last ``size`` characters of a server log (kept when it shows a crash)."""
    try:
        with open(log, "rb") as fh:
            return fh.read().decode(errors="replace")[-size:]
    except OSError:
        return "(no log)"


def _log_worth_keeping(log: str) -> bool:
    """A log with a traceback or lock error is kept (only the database is removed)."""
    if not os.path.exists(log):
        return False
    with open(log, "rb") as fh:
        problems = env.log_problems(fh.read().decode(errors="replace"))
    if problems["tracebacks"] or problems["locked"]:
        for name in os.listdir(os.path.dirname(log)):
            if name.startswith("bench.db"):
                os.remove(os.path.join(os.path.dirname(log), name))
        return True
    return False


# --- the report --------------------------------------------------------------------------


def run_tables(run: dict) -> list[Table]:
    tables = [endpoint_table(f"{run['label']} — endpoints (concurrency {run['concurrency']})", run["stats"])]
    e, st = run["export"], run["stress"]
    export_table = Table(
        f"{run['label']} — province-wide XLSX export",
        ["status", "seconds", "first byte s", "MB", "rows", "SQL", "peak MB", "target"],
    )
    misses = []
    if e["rows"] and e["rows"] <= EXPORT_TARGET_ROWS * 1.05:
        misses += [f">{EXPORT_TARGET_S} s"] if e["seconds"] > EXPORT_TARGET_S else []
        misses += [f">{EXPORT_TARGET_MB} MB"] if e["peak_mb"] > EXPORT_TARGET_MB else []
    export_table.add(
        e["status"],
        e["seconds"],
        e["first_byte"],
        e["bytes"] / 2**20,
        e["rows"],
        e["sql"] or "–",
        e["peak_mb"],
        " ".join(misses) or ("ok" if e["status"] == 200 else "FAILED"),
    )
    tables.append(export_table)
    total = sum(st["statuses"].values())
    bad = {code: n for code, n in st["statuses"].items() if not 200 <= code < 300}
    stress_table = Table(
        f"{run['label']} — stress ({run['stress_clients']} clients, {run['stress_seconds']:.0f} s)",
        [
            "requests",
            "req/s",
            "errors by status",
            "reads",
            "writes",
            "'database is locked'",
            "tracebacks",
            "waitress queue max",
            "peak MB",
        ],
        right={0, 1, 5, 6, 7, 8},
    )
    stress_table.add(
        total,
        total / st["wall"],
        ", ".join(f"{k}: {v}" for k, v in sorted(bad.items())) or "none",
        f"{len(st['reads'])} ({format_ms_list(st['reads'])})",
        f"{len(st['writes'])} ({format_ms_list(st['writes'])})",
        st["log"]["locked"],
        st["log"]["tracebacks"],
        st["log"]["queue_max"],
        st["peak_mb"],
    )
    tables.append(stress_table)
    return tables


def report(runs: list[dict]) -> tuple[list[Table], list[str]]:
    tables = [Table("machine", ["item", "value"], right=set())]
    for key, value in env.machine_info(sorted({r["backend"] for r in runs})):
        tables[0].add(key, value)
    gen = Table("runs", ["run", "gen-data s", "database MB", "load avg before", "load avg after"])
    for run in runs:
        gen.add(
            run["label"],
            run["gen"] if run["gen"] is not None else "–",
            run["db_mb"],
            f"{run['load']:.2f}",
            f"{run['load_after']:.2f}",
        )
    tables.append(gen)
    for backend in dict.fromkeys(r["backend"] for r in runs):
        mine = [r for r in runs if r["backend"] == backend]
        scales = [r["scale"] for r in mine]
        tables.append(
            comparison_table(
                f"{backend}: "
                + " vs ".join(f"{s}×" for s in scales)
                + " (targets: median ≤ 50 ms, p95 ≤ 150 ms, same SQL count)",
                scales,
                {r["scale"]: r["stats"] for r in mine},
            )
        )
    failures = []
    for run in runs:
        for s in run["stats"]:
            if s.errors:
                failures.append(f"{run['label']}: {s.name}: {s.errors} of {s.n} requests failed")
                failures += [f"    {f}" for f in s.failures]
        if run["export"]["status"] != 200:
            failures.append(f"{run['label']}: export answered {run['export']['status']}")
        bad = {k: v for k, v in run["stress"]["statuses"].items() if not 200 <= k < 300}
        if bad:
            failures.append(f"{run['label']}: stress errors {bad}")
            failures += [f"    {f}" for f in run["stress"]["failures"]]
        if run["log"]["tracebacks"] or run["log"]["locked"]:
            failures.append(
                f"{run['label']}: server log has {run['log']['tracebacks']} tracebacks, "
                f"{run['log']['locked']} 'database is locked' (kept: {run['log_path']})"
            )
            failures += [f"    {x}" for x in run["log"]["exceptions"][:10]]
        if not run["alive"]:
            failures.append(
                f"{run['label']}: the server died; the end of its log:\n{_log_tail(run['log_path'])}"
            )
    return tables, failures


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--backends", default="sqlite,postgresql", help="comma list: sqlite, postgresql")
    p.add_argument("--counties", type=int, default=100)
    p.add_argument("--scales", default="1,10", help="comma list of gen-data --scale values")
    p.add_argument("--concurrency", type=int, default=4, help="clients in the latency runs")
    p.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    p.add_argument(
        "--endpoint-seconds", type=float, default=30, help="time limit per endpoint (≥ 5 requests)"
    )
    p.add_argument(
        "--sample-counties", type=int, default=5, help="counties whose users drive the county pages"
    )
    p.add_argument("--stress-clients", type=int, default=50)
    p.add_argument("--stress-seconds", type=float, default=60)
    p.add_argument("--export-timeout", type=float, default=900)
    p.add_argument("--password", default="bench-password-1", help="password of the generated users")
    p.add_argument("--skip-gen", metavar="DB_URL", help="benchmark this already filled database (one run)")
    p.add_argument(
        "--layout",
        choices=("gen", "demo"),
        default="gen",
        help="user names of gen-data (default) or of 'chaincrm demo'",
    )
    p.add_argument("--results", metavar="FILE.md", help="also write the tables as Markdown")
    p.add_argument("--keep", action="store_true", help="keep the databases and logs")
    p.add_argument("--quick", action="store_true", help="smoke test: 2 counties, 1×, 20 requests, 5 s stress")
    args = p.parse_args(argv)
    if args.quick:  # only where the option was left at its default
        for name, value in (
            ("counties", 2),
            ("scales", "1"),
            ("requests", 20),
            ("stress_seconds", 5),
            ("endpoint_seconds", 10),
        ):
            if getattr(args, name) == p.get_default(name):
                setattr(args, name, value)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if any(b not in ("sqlite", "postgresql") for b in args.backends):
        p.error("--backends takes sqlite and/or postgresql")
    if args.skip_gen:
        args.backends, args.scales = [env.backend_of(args.skip_gen)], args.scales[:1]
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    runs = []
    for backend in args.backends:
        for scale in args.scales:
            runs.append(run_once(args, backend, scale))
            for table in run_tables(runs[-1]):
                print("\n" + table.text())
    tables, failures = report(runs)
    print()
    for table in tables:
        print(table.text() + "\n")
    print(f"total {time.perf_counter() - started:.0f} s")
    if failures:
        print("\nFAILURES:\n" + "\n".join(failures))
    if args.results:
        with open(args.results, "w", encoding="utf-8") as fh:
            command = " ".join([".venv/bin/python bench/province.py", *(argv or sys.argv[1:])])
            fh.write(f"# chaincrm province benchmark\n\n`{command}`\n\n")
            for table in tables[:2] + [t for r in runs for t in run_tables(r)] + tables[2:]:
                fh.write(table.markdown() + "\n\n")
            if failures:
                fh.write("## Failures\n\n```\n" + "\n".join(failures) + "\n```\n")
        print(f"wrote {args.results}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
