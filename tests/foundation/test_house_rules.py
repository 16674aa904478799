"""Issue 13's house rules that a reader relies on, checked so that they stay true: every
module of ``chains/`` and ``crm/core/`` says what it is for and what it offers, and every
view (page or API) says in one line what it does."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crm.core.resources import SOURCE_ROOT

ROOT = Path(SOURCE_ROOT)
MODULES = sorted(p for folder in ("chains", "crm/core") for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_and_chain_modules_have_a_docstring_and_all(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(ROOT)}: no module docstring"
    if path.name != "__init__.py":
        names = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for t in node.targets
            if hasattr(t, "id")
        }
        assert "__all__" in names, f"{path.relative_to(ROOT)}: no __all__"


def test_every_view_has_a_docstring(app):
    undocumented = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not (view.__doc__ or "").strip()
    )
    assert undocumented == []
