"""The province benchmark (README: ``bench/province.py``) runs end to end on a tiny province.

It starts the real server, so it runs once per database: SQLite in the SQLite pass of the
suite, PostgreSQL in the PostgreSQL pass. A failed request, a server traceback or a
"database is locked" makes the script exit non-zero.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

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
    assert result.returncode == 0, output[-4000:]
    endpoint_lines = re.findall(r"^\s+(county|province) · .+ err=(\d+)", output, re.MULTILINE)
    assert len(endpoint_lines) >= 30, output[-4000:]
    assert all(errors == "0" for _scope, errors in endpoint_lines)
    assert "SQL" in output and "peak" in output
    assert (tmp_path / "results.md").read_text(encoding="utf-8").count("|") > 100
