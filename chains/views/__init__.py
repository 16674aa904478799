"""The chain pages (blueprint ``chains``, under ``/chains/``), one module per thing served:
chain pages, segments and links, firms, the gap graph, import and export.

Each view does what only it knows (load through the tenant scope: 404; check the role:
403; build the form) and hands the post to ``crm.core.handlers``; read queries live in
:mod:`chains.queries`, writes in :mod:`chains.services`.
"""

from __future__ import annotations

from chains.views import chain_pages, firms, graph, import_export, segments
from chains.views.common import bp

__all__ = ["bp", "chain_pages", "firms", "graph", "import_export", "segments"]
