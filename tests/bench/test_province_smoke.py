"""The province benchmark (README: ``bench/province.py``) runs end to end on a tiny province.

It starts the real server, so it runs once per database: SQLite in the SQLite pass of the
suite, PostgreSQL in the PostgreSQL pass. A failed request, a server traceback or a
"database is locked" makes the script exit non-zero. One failure is marked, not hidden:
the server's death by segmentation fault on CPython 3.11, a known heap corruption under
threads that Python 3.12 does not show (bench/RESULTS.md, 5 December). It reports as
XFAIL with the server's last words; on any other Python a crash fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_quick_benchmark_drives_every_endpoint_without_errors(database_url, tmp_path):
    backend = "postgresql" if database_url else "sqlite"
    result = subprocess.run(
        [
            sys.executable,
            os.path.join(ROOT, "bench", "province.py"),
            "--quick",
            "--backends",
            backend,
            "--stress-seconds",
            "3",
            "--results",
            str(tmp_path / "results.md"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 and server_crashed_on_python_311(output):
        pytest.xfail(
            "the server died of the known heap corruption of CPython 3.11 under threads "
            "(bench/RESULTS.md, 5 December; Python 3.12 did not crash): " + output[-1500:]
        )
    assert result.returncode == 0, output[-4000:]
    endpoint_lines = re.findall(r"^\s+(county|province) · .+ err=(\d+)", output, re.MULTILINE)
    assert len(endpoint_lines) >= 30, output[-4000:]
    assert all(errors == "0" for _scope, errors in endpoint_lines)
    assert "SQL" in output and "peak" in output
    assert (tmp_path / "results.md").read_text(encoding="utf-8").count("|") > 100


def server_crashed_on_python_311(output: str) -> bool:
    """The benchmark's server died of a segmentation fault, on CPython 3.11 (where the known
    crash happens; a crash on any other version fails the test)."""
    return (
        sys.version_info[:2] == (3, 11)
        and "the server died" in output
        and "Fatal Python error: Segmentation fault" in output
    )


def test_only_a_segfault_on_python_311_is_taken_for_the_known_crash():
    died = "sqlite 1×: the server died; the end of its log:\nFatal Python error: Segmentation fault\n"
    assert server_crashed_on_python_311(died) == (sys.version_info[:2] == (3, 11))
    assert not server_crashed_on_python_311("sqlite 1×: server log has 1 tracebacks\nTraceback ...")
    assert not server_crashed_on_python_311("sqlite 1×: the server died; the end of its log:\nKilled")
