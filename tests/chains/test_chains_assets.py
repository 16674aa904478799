"""Serving vis-network finds pyvis's files without importing pyvis (which imports IPython):
the first request for the graph's script does not pay for it. No timings."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from chains.render import vis_network_asset_paths
paths = vis_network_asset_paths()
assert all(p.is_file() for p in paths.values()), paths
print(sorted(m for m in ("pyvis", "IPython") if m in sys.modules))
"""


def test_finding_vis_network_imports_neither_pyvis_nor_ipython():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
