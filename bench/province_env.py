"""Processes and databases for bench/province.py: fresh databases, gen-data, the server.

Everything here runs the real commands (``chaincrm gen-data``, ``chaincrm users token``,
``chaincrm serve``) as subprocesses, the way an operator would.
"""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The console script installed beside the Python running the benchmark (the venv).
CHAINCRM = os.path.join(os.path.dirname(sys.executable), "chaincrm")
PG_DSN = "host=127.0.0.1 port=5432 user=chaincrm password=chaincrm dbname={db}"
PG_URL = "postgresql+psycopg://chaincrm:chaincrm@127.0.0.1:5432/{db}"
PG_BENCH_DB = "chaincrm_bench"

# The tests' helpers for server processes (a free port, stopping a server).
sys.path.insert(0, os.path.join(ROOT, "tests"))
from server_processes import free_port, stop_process  # noqa: E402


def base_env(db_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "CHAINCRM_DATABASE_URL": db_url,
            "CHAINCRM_SECRET_KEY": "bench",
            "CHAINCRM_ENV": "development",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


# --- databases ---------------------------------------------------------------------


def ensure_postgres() -> None:
    """Start the local cluster if it is down; wait until it accepts connections."""
    if _pg_ready():
        return
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "start"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    for _ in range(60):
        if _pg_ready():
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL does not answer on 127.0.0.1:5432")


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_DSN.format(db="postgres"), autocommit=True) as conn:
        conn.execute(sql)


def fresh_database(backend: str, workdir: str) -> str:
    """An empty database for one run; returns its SQLAlchemy URL."""
    if backend == "sqlite":
        path = os.path.join(workdir, "bench.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return f"sqlite:///{path}"
    ensure_postgres()
    _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    _pg_admin(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_URL.format(db=PG_BENCH_DB)


def drop_database(db_url: str) -> None:
    if db_url.startswith("postgresql") and db_url.rsplit("/", 1)[-1] == PG_BENCH_DB:
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def backend_of(db_url: str) -> str:
    return "postgresql" if db_url.startswith("postgresql") else "sqlite"


# --- commands ----------------------------------------------------------------------


def run_command(args: list[str], db_url: str, log_path: str, extra_env: dict | None = None) -> float:
    """Run ``chaincrm ARGS``; returns seconds taken; exits with the log's tail on failure."""
    env = base_env(db_url)
    env.update(extra_env or {})
    started = time.perf_counter()
    with open(log_path, "ab") as log:
        log.write(f"$ chaincrm {' '.join(args)}\n".encode())
        log.flush()
        code = subprocess.run(
            [CHAINCRM, *args], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, check=False
        ).returncode
    elapsed = time.perf_counter() - started
    if code != 0:
        with open(log_path, "rb") as log:
            tail = log.read()[-3000:].decode(errors="replace")
        raise SystemExit(f"chaincrm {' '.join(args)} failed (exit {code}):\n{tail}")
    return elapsed


def issue_token(db_url: str, username: str) -> str:
    out = subprocess.run(
        [CHAINCRM, "users", "token", username],
        env=base_env(db_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(
            f"chaincrm users token {username} failed: {out.stderr.strip() or out.stdout.strip()}"
        )
    return out.stdout.strip().splitlines()[-1].strip()


# --- the server --------------------------------------------------------------------


@dataclass
class Server:
    """``chaincrm serve`` (waitress, 8 threads; gunicorn with ``workers`` > 1) with the SQL
    statement count header on."""

    db_url: str
    log_path: str
    workers: int = 1
    port: int = 0
    proc: subprocess.Popen | None = None
    pid: int = 0
    _log: object = field(default=None, repr=False)

    def start(self, timeout: float = 900) -> Server:
        # The timeout is generous: serve fills every county's cached figures before it
        # listens, which takes minutes at 10×.
        self.port = free_port()
        env = base_env(self.db_url)
        env["CHAINCRM_SQL_COUNT_HEADER"] = "1"
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - open while the server runs
        # The console script is a Python file with a shebang, so the Popen pid is the
        # Python process that serves (checked below), not a shell wrapper.
        self.proc = subprocess.Popen(
            [
                CHAINCRM,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.proc.pid
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except urllib.error.HTTPError as answer:  # it listens, but its login page fails
                self.stop()
                raise SystemExit(f"the server answers {answer.code} on /login; see {self.log_path}") from None
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit(f"the server did not answer within {timeout:.0f} s; see {self.log_path}")
        with open(f"/proc/{self.pid}/cmdline", "rb") as fh:
            cmdline = fh.read().split(b"\0")
        if not any(b"python" in part for part in cmdline[:1]):
            raise SystemExit(f"pid {self.pid} is not the Python server process: {cmdline!r}")
        return self

    def reset_peak(self) -> None:
        """Reset VmHWM to the current RSS (Linux: 5 > clear_refs)."""
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as fh:
                fh.write("5")
        except OSError:
            pass

    def peak_mb(self) -> float:
        return _status_kb(self.pid, "VmHWM") / 1024

    def rss_mb(self) -> float:
        return _status_kb(self.pid, "VmRSS") / 1024

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_offset(self) -> int:
        return os.path.getsize(self.log_path)

    def log_since(self, offset: int) -> str:
        with open(self.log_path, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, 10)
        if self._log is not None:
            self._log.close()
            self._log = None


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def log_problems(text: str) -> dict:
    """Counts of what must not appear in a server log, and the distinct exception lines."""
    exceptions = re.findall(r"^(\w[\w.]*(?:Error|Exception)\b.*)$", text, re.MULTILINE)
    depths = [int(d) for d in re.findall(r"Task queue depth is (\d+)", text)]
    return {
        # faulthandler's report of a crashed interpreter counts as one.
        "tracebacks": text.count("Traceback (most recent call last)") + text.count("Fatal Python error"),
        "locked": text.lower().count("database is locked"),
        "queue_max": max(depths, default=0),
        "exceptions": sorted({e[:200] for e in exceptions}),
    }


# --- the machine -------------------------------------------------------------------


def machine_info(backends: list[str]) -> list[tuple[str, str]]:
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?")
        with open("/proc/meminfo") as fh:
            mem_kb = int(next(line.split()[1] for line in fh if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        mem_kb = 0
    rows = [
        ("CPU", f"{cpu} — {os.cpu_count()} cores"),
        ("RAM", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
    ]
    if "postgresql" in backends:
        rows.append(("PostgreSQL", _pg_version()))
    commit = subprocess.run(
        ["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    rows.append(("chaincrm", (commit or "?") + (" (uncommitted changes)" if dirty else "")))
    return rows


def _pg_version() -> str:
    try:
        import psycopg

        ensure_postgres()
        with psycopg.connect(PG_DSN.format(db="postgres")) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 - only a label
        return f"unknown ({exc.__class__.__name__})"


def database_size_mb(db_url: str) -> float:
    if backend_of(db_url) == "sqlite":
        path = db_url.split("sqlite:///", 1)[1]
        return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s)) / 2**20
    import psycopg

    name = db_url.rsplit("/", 1)[-1]
    with psycopg.connect(PG_DSN.format(db="postgres")) as conn:
        return conn.execute("SELECT pg_database_size(%s)", (name,)).fetchone()[0] / 2**20
